// Numbers at the edges through analyse_table: subnormals, values near FLT_MAX, all-equal rows, a
// single 1e30 outlier, and n = 1, 2, 3, 5000, 5001 (both sides of Shapiro-Wilk's n = 5000
// boundary). Every test of the battery that applies to the null runs on every row, column and
// the pooled table. The contract checked (there are no reference values here, only invariants):
// a sample is either untestable with a reason, or each selected test either did not run and
// says why, or ran and gave a finite statistic and a p-value in [0, 1]; moments are finite
// wherever they are defined.

#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "embcheck/generate/generate.hpp"
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/statistics/battery.hpp"

using namespace embcheck;

namespace {

std::vector<test_kind> applicable_tests(const null_hypothesis& null) {
  std::vector<test_kind> tests;
  for (const test_kind kind : all_test_kinds)
    if (applies_to(kind, null)) tests.push_back(kind);
  return tests;
}

std::vector<null_hypothesis> nulls() {
  null_hypothesis fitted;
  fitted.fitted = true;
  return {null_hypothesis::standard_normal(), fitted, {null_family::uniform, -1.0, 1.0, false}};
}

/// A generated float32 N(0, 1) table (PyTorch's generator), values then transformed by the case.
table normal_table(std::size_t rows, std::size_t dim, std::uint64_t seed) {
  generate_spec spec;
  spec.rows = rows;
  spec.dim = dim;
  spec.seed = seed;
  return generate_table(spec);
}

void check_sample(const sample_analysis& sample, const std::string& where) {
  INFO(where);
  const moments& m = sample.stats;
  if (m.finite > 0) {
    CHECK(std::isfinite(m.mean));
    CHECK(std::isfinite(m.variance));
    CHECK(std::isfinite(m.min));
    CHECK(std::isfinite(m.max));
    // Skewness and kurtosis are NaN by definition for a constant sample, finite otherwise.
    if (m.variance > 0.0) {
      CHECK(std::isfinite(m.skewness));
      CHECK(std::isfinite(m.excess_kurtosis));
    }
  }
  if (sample.untestable_reason) {
    CHECK(!sample.untestable_reason->empty());
    return;
  }
  for (const test_outcome& t : sample.tests) {
    INFO("test ", std::string(to_string(t.kind)), ": statistic ", t.statistic, ", p ", t.p_value, ", note '",
         t.note, "'");
    if (!t.ran) {
      CHECK(!t.note.empty());
      continue;
    }
    CHECK(std::isfinite(t.statistic));
    CHECK(std::isfinite(t.p_value));
    CHECK(t.p_value >= 0.0);
    CHECK(t.p_value <= 1.0);
    for (const auto& [name, value] : t.details) {
      INFO("detail ", std::string(name));
      CHECK(!std::isnan(value));
    }
  }
}

/// Analyses rows, columns and the pooled table under every null with all its tests.
void check_table(const table& values, const std::string& name) {
  for (const null_hypothesis& null : nulls()) {
    analysis_options options;
    options.null = null;
    options.tests = applicable_tests(null);
    options.axis = {true, values.rows > 1, true};
    options.threads = 2;
    const table_analysis result = analyse_table(values, options);
    const std::string where = name + " under " + null.describe();
    REQUIRE(result.rows.size() == values.rows);
    for (const row_analysis& row : result.rows)
      check_sample(row.sample, where + ", row " + std::to_string(row.index));
    for (std::size_t c = 0; c < result.columns.size(); ++c)
      check_sample(result.columns[c], where + ", column " + std::to_string(c));
    REQUIRE(result.pooled.has_value());
    check_sample(*result.pooled, where + ", pooled");
  }
}

}  // namespace

TEST_CASE("every test applies to at least one null, so the checks below reach each of them") {
  for (const test_kind kind : all_test_kinds) {
    bool applies = false;
    for (const null_hypothesis& null : nulls()) applies = applies || applies_to(kind, null);
    CHECK_MESSAGE(applies, to_string(kind));
  }
}

TEST_CASE("subnormal values") {
  table values = normal_table(3, 200, 1);
  for (float& v : values.floats) v = static_cast<float>(v * 1e-42);  // float32 subnormals are below 1.18e-38
  check_table(values, "N(0, 1) * 1e-42");
  // Every value the smallest subnormal or its negative: two distinct values.
  for (std::size_t i = 0; i < values.floats.size(); ++i)
    values.floats[i] = static_cast<float>((i % 3 == 0 ? -1 : 1) * double{FLT_TRUE_MIN});
  check_table(values, "+-FLT_TRUE_MIN");
}

TEST_CASE("values near FLT_MAX") {
  table values = normal_table(3, 300, 2);
  for (float& v : values.floats) v = static_cast<float>(v * 1e38);
  check_table(values, "N(0, 1) * 1e38");
  for (std::size_t i = 0; i < values.floats.size(); ++i)
    values.floats[i] = static_cast<float>((i % 2 == 0 ? 1 : -1) * double{FLT_MAX} *
                                          (1.0 - 1e-7 * static_cast<double>(i % 5)));
  check_table(values, "+-FLT_MAX");
}

TEST_CASE("all-equal rows are untestable, with a reason") {
  for (const double constant : {0.0, 1.5, -double{FLT_MAX}, double{FLT_TRUE_MIN}}) {
    table values{4, 100, element_type::float32, table_floats(400, static_cast<float>(constant)), {}};
    check_table(values, "constant " + std::to_string(constant));
    analysis_options options;
    options.tests = applicable_tests(options.null);
    const table_analysis result = analyse_table(values, options);
    for (const row_analysis& row : result.rows) {
      REQUIRE(row.sample.untestable_reason.has_value());
      CHECK(row.sample.untestable_reason->find("constant") != std::string::npos);
    }
  }
}

TEST_CASE("a single outlier of 1e30") {
  table values = normal_table(3, 1000, 3);
  values.floats[17] = 1e30F;     // row 0
  values.floats[1000] = -1e30F;  // row 1, first value
  values.floats[2999] = 1e30F;   // row 2, last value
  check_table(values, "N(0, 1) with one +-1e30 per row");
  analysis_options options;
  options.tests = applicable_tests(options.null);
  const table_analysis result = analyse_table(values, options);
  // Such a row is no N(0, 1) sample: every simple-null test that ran must reject it strongly.
  for (const test_kind kind : {test_kind::mean, test_kind::variance}) {
    const test_outcome* t = result.rows[0].sample.find(kind);
    REQUIRE(t != nullptr);
    CHECK(t->p_value < 1e-6);
  }
}

TEST_CASE("sample sizes 1, 2, 3, 5000 and 5001") {
  for (const std::size_t n :
       {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{5000}, std::size_t{5001}}) {
    const table one_row = normal_table(1, n, 4);
    check_table(one_row, "1 x " + std::to_string(n));
    if (n <= 3) {
      const table rows = normal_table(3, n, 5);
      check_table(rows, "3 x " + std::to_string(n));
    }
  }
  // Every test that ran at n = 5000 and 5001 gives a usable p-value; a calibrated N(0, 1) sample
  // is not rejected at 1e-4 by any of them (a false alarm has probability < 12 * 1e-4 per n).
  for (const std::size_t n : {std::size_t{5000}, std::size_t{5001}}) {
    analysis_options options;
    options.tests = applicable_tests(options.null);
    const table_analysis result = analyse_table(normal_table(1, n, 6), options);
    for (const test_outcome& t : result.rows[0].sample.tests) {
      INFO("n = ", n, ", ", std::string(to_string(t.kind)));
      CHECK(t.ran);
      CHECK(t.p_value > 1e-4);
    }
  }
}

TEST_CASE("a row of n = 1 has no test that runs and says so") {
  analysis_options options;
  options.tests = applicable_tests(options.null);
  const table_analysis result = analyse_table(normal_table(2, 1, 7), options);
  for (const row_analysis& row : result.rows) {
    // One value is constant by the definition in moments.hpp (min == max).
    REQUIRE(row.sample.untestable_reason.has_value());
  }
}
