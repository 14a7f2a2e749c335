// Streamed analysis: rows block by block must give the same results as analyse_table; the
// pooled table from merged moments and the F(x) histogram against NumPy and SciPy on the
// committed analysis fixture (tests/scripts/make_analysis_fixtures.py); the streamed verdict
// must equal judge() on the same analysis.
#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "embcheck/statistics/kolmogorov_smirnov.hpp"
#include "embcheck/statistics/streaming.hpp"
#include "embcheck/verdict/streamed_verdict.hpp"

namespace {

using namespace embcheck;

table fixture_table(nlohmann::json& doc) {
  std::ifstream in(EMBCHECK_FIXTURE_DIR "/analysis/table.json");
  REQUIRE(in);
  doc = nlohmann::json::parse(in);
  table t;
  t.rows = doc["rows"].get<std::size_t>();
  t.dim = doc["dim"].get<std::size_t>();
  t.source_type = element_type::float64;
  const auto values = doc["values"].get<std::vector<double>>();
  t.doubles.assign(values.begin(), values.end());
  return t;
}

/// A table of normal rows with a few rows that are not N(0, 1), from std::mt19937_64.
table mixed_table(std::size_t rows, std::size_t dim) {
  std::mt19937_64 engine(20261126);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform(-2.0, 2.0);
  table t;
  t.rows = rows;
  t.dim = dim;
  t.source_type = element_type::float64;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < dim; ++i) {
      double x = r % 7 == 3 ? uniform(engine) : normal(engine);
      if (r % 11 == 5) x *= 1.4;
      if (r == 9 && i == 0) x = 0.0 / 0.0;  // one untestable row
      t.doubles.push_back(x);
    }
  }
  return t;
}

std::vector<row_analysis> streamed_rows(const table& t, const analysis_options& options, std::size_t block,
                                        streamed_pooled* pool) {
  held_rows source(t);
  std::vector<row_analysis> rows;
  analyse_rows_streaming(
      source, options, block,
      [&](row_analysis&& row, std::span<const double> values) {
        CHECK(values.size() == t.dim);
        CHECK(static_cast<const void*>(values.data()) ==
              t.visit_row(row.index, [](auto r) { return static_cast<const void*>(r.data()); }));
        rows.push_back(std::move(row));
      },
      pool);
  return rows;
}

}  // namespace

TEST_CASE("streamed rows equal analyse_table's, in row order, for any block size and thread count") {
  const table t = mixed_table(23, 300);
  analysis_options options;
  options.tests = default_tests(options.null);
  options.padding_row = 4;
  const table_analysis held = analyse_table(t, options);
  for (const unsigned threads : {1u, 2u, 3u}) {
    for (const std::size_t block : {std::size_t{1}, std::size_t{900}, std::size_t{1} << 20}) {
      options.threads = threads;
      const std::vector<row_analysis> rows = streamed_rows(t, options, block, nullptr);
      REQUIRE(rows.size() == held.rows.size());
      for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].index == i);
        CHECK(rows[i].padding == held.rows[i].padding);
        CHECK(rows[i].sample.stats.mean == held.rows[i].sample.stats.mean);
        CHECK(rows[i].sample.untestable_reason == held.rows[i].sample.untestable_reason);
        REQUIRE(rows[i].sample.tests.size() == held.rows[i].sample.tests.size());
        for (std::size_t k = 0; k < rows[i].sample.tests.size(); ++k) {
          // Bit for bit: the same code on the same values.
          CHECK(rows[i].sample.tests[k].p_value == held.rows[i].sample.tests[k].p_value);
          CHECK(rows[i].sample.tests[k].statistic == held.rows[i].sample.tests[k].statistic);
        }
      }
    }
  }
}

TEST_CASE("pooled moments and KS bounds from a stream match NumPy and SciPy") {
  nlohmann::json doc;
  const table t = fixture_table(doc);
  analysis_options options;
  options.tests = {test_kind::ks, test_kind::shapiro_wilk, test_kind::mean, test_kind::variance};
  streamed_pooled pool;
  static_cast<void>(streamed_rows(t, options, 40, &pool));
  const auto& want = doc["pooled"];
  // Merged moments: NumPy's mean and variance of all 160 values to 1e-13 relative.
  CHECK(pool.stats.n == 160);
  CHECK(pool.stats.mean == doctest::Approx(want["mean"].get<double>()).epsilon(1e-13));
  CHECK(pool.stats.variance == doctest::Approx(want["variance"].get<double>()).epsilon(1e-13));
  REQUIRE(pool.histogram);
  const d_interval d = pool.histogram->statistic();
  // SciPy's exact D lies in the bracket, which is at most one bin wide.
  const double scipy_d = want["ks_statistic"].get<double>();
  CHECK(d.lower <= scipy_d);
  CHECK(scipy_d <= d.upper);
  CHECK(d.upper - d.lower <= 1.0 / static_cast<double>(cdf_histogram::bins) + 1e-15);
  const sample_analysis pooled = analyse_streamed_pooled(pool, options);
  const test_outcome* ks = pooled.find(test_kind::ks);
  REQUIRE(ks);
  REQUIRE(ks->ran);
  CHECK(ks->p_is_upper_bound);
  // p at the lower bound of D: at least SciPy's p, and within 1e-5 of it (D is within 2.4e-7).
  CHECK(ks->p_value >= want["ks_p_value"].get<double>());
  CHECK(ks->p_value == doctest::Approx(want["ks_p_value"].get<double>()).epsilon(1e-5));
  const test_outcome* sw = pooled.find(test_kind::shapiro_wilk);
  REQUIRE(sw);
  CHECK_FALSE(sw->ran);
  CHECK(pooled.find(test_kind::mean)->ran);
  CHECK(pooled.find(test_kind::variance)->ran);
}

TEST_CASE("the pooled histogram counts every finite value, from the rows' own F(x) or afresh") {
  // Rows whose KS test ran are counted from the F(x) their test left in the sorted buffer; the
  // row holding a NaN is untestable and is counted value by value, its NaN left out. Either
  // way the histogram is the one of all finite values: same count, and a bracket holding the
  // exact D of all of them (F evaluated here one value at a time, as SciPy's kstest does).
  const table t = mixed_table(30, 500);
  for (const bool rows_tested : {true, false}) {
    CAPTURE(rows_tested);
    analysis_options options;
    options.tests = {test_kind::ks, test_kind::mean};
    options.axis.rows = rows_tested;
    streamed_pooled pool;
    static_cast<void>(streamed_rows(t, options, 2000, &pool));
    REQUIRE(pool.histogram);
    std::vector<double> finite;
    for (const double x : t.doubles)
      if (std::isfinite(x)) finite.push_back(x);
    CHECK(pool.histogram->count() == finite.size());
    std::sort(finite.begin(), finite.end());
    std::vector<double> u(finite.size());
    for (std::size_t i = 0; i < finite.size(); ++i) u[i] = options.null.cdf(finite[i]);
    const double exact = kolmogorov_smirnov_test(u).statistic;
    const d_interval d = pool.histogram->statistic();
    CHECK(d.lower <= exact);
    CHECK(exact <= d.upper);
    CHECK(d.upper - d.lower <= 1.0 / static_cast<double>(cdf_histogram::bins) + 1e-15);
  }
}

TEST_CASE("merged moments equal the moments of the whole sample") {
  const table t = mixed_table(12, 1000);
  moments_merger merger;
  std::vector<double> finite;
  for (std::size_t r = 0; r < t.rows; ++r) {
    t.visit_row(r, [&](auto row) {
      merger.add(compute_moments(row, DBL_MIN));
      for (const double x : row)
        if (std::isfinite(x)) finite.push_back(x);
    });
  }
  const moments merged = merger.result();
  const moments whole = compute_moments(finite, DBL_MIN);
  CHECK(merged.n == t.size());
  CHECK(merged.nan == 1);
  CHECK(merged.finite == whole.finite);
  CHECK(merged.min == whole.min);
  CHECK(merged.max == whole.max);
  // Both are accurate to a few ulps of the exact values; 1e-12 relative bounds their difference.
  CHECK(merged.mean == doctest::Approx(whole.mean).epsilon(1e-12));
  CHECK(merged.variance == doctest::Approx(whole.variance).epsilon(1e-12));
  CHECK(merged.skewness == doctest::Approx(whole.skewness).epsilon(1e-10));
  CHECK(merged.excess_kurtosis == doctest::Approx(whole.excess_kurtosis).epsilon(1e-10));
}

TEST_CASE("the KS bracket holds the exact statistic for uniform and shifted samples") {
  std::mt19937_64 engine(7);
  for (const std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{50}, std::size_t{5000}}) {
    for (const double shift : {0.0, 0.3}) {
      null_hypothesis null;
      std::normal_distribution<double> normal(shift, 1.0);
      std::vector<double> values(n);
      for (double& x : values) x = normal(engine);
      cdf_histogram h;
      h.add(values, null);
      std::sort(values.begin(), values.end());
      std::vector<double> u(n);
      for (std::size_t i = 0; i < n; ++i) u[i] = null.cdf(values[i]);
      const double exact = kolmogorov_smirnov_test(u).statistic;
      const d_interval d = h.statistic();
      CHECK(d.lower <= exact);
      CHECK(exact <= d.upper);
    }
  }
}

TEST_CASE("the streamed verdict equals judge() on the same analysis") {
  const table t = mixed_table(40, 400);
  analysis_options options;
  options.tests = default_tests(options.null);
  options.padding_row = 2;
  const table_analysis analysis = analyse_table(t, options);
  for (const correction method :
       {correction::holm, correction::bonferroni, correction::bh, correction::none}) {
    const verdict_policy policy{0.01, method, 1e-3};
    const table_judgement held = judge(analysis, policy);
    streamed_family family;
    for (const row_analysis& row : analysis.rows) {
      if (row.padding) {
        family.add_padding(row.index, row.sample.stats);
      } else {
        family.add(sample_place::row, row.index, row.sample);
      }
    }
    family.add(sample_place::table, 0, *analysis.pooled);
    const streamed_judgement streamed = family.finish(policy);
    CHECK(streamed.family_size == held.family_size);
    CHECK(streamed.warnings == held.warnings);
    CHECK(streamed.pass == held.pass);
    const auto count = [&](sample_verdict v) {
      return static_cast<std::size_t>(std::count_if(
          held.rows.begin(), held.rows.end(), [&](const sample_judgement& j) { return j.verdict == v; }));
    };
    CHECK(streamed.rows.pass == count(sample_verdict::pass));
    CHECK(streamed.rows.fail == count(sample_verdict::fail));
    CHECK(streamed.rows.untestable == count(sample_verdict::untestable));
    CHECK(streamed.rows.fail > 0);
    CHECK(streamed.rows.untestable == 1);
    REQUIRE(streamed.table);
    CHECK(*streamed.table == held.pooled->verdict);
    std::size_t tripped = 0;
    for (std::size_t i = 0; i < held.rows.size(); ++i) {
      for (std::size_t k = 0; k < held.rows[i].tests.size(); ++k) {
        const auto& test = held.rows[i].tests[k];
        if (!test || !(test->rejected || test->warned)) continue;
        REQUIRE(tripped < streamed.tripped.size());
        const tripped_test& s = streamed.tripped[tripped++];
        CHECK(s.index == analysis.rows[i].index);
        CHECK(s.kind == analysis.rows[i].sample.tests[k].kind);
        CHECK(s.adjusted_p == test->adjusted_p);
        CHECK(s.rejected == test->rejected);
      }
    }
  }
}
