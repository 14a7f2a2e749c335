// analyse_table against SciPy (exact KS), R (shapiro.test) and NumPy on a committed table
// (tests/scripts/make_analysis_fixtures.py), plus the rules for untestable and padding rows.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "embcheck/statistics/analysis.hpp"

namespace {

nlohmann::json load_fixture() {
  std::ifstream in(EMBCHECK_FIXTURE_DIR "/analysis/table.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

embcheck::table fixture_table(const nlohmann::json& doc) {
  embcheck::table t;
  t.rows = doc["rows"].get<std::size_t>();
  t.dim = doc["dim"].get<std::size_t>();
  t.source_type = embcheck::element_type::float64;
  const auto values = doc["values"].get<std::vector<double>>();
  t.doubles.assign(values.begin(), values.end());
  return t;
}

/// Relative error bounds: KS exact p vs SciPy 1e-10, Shapiro-Wilk W and p vs R 1e-9,
/// moments vs NumPy 1e-12, KS statistic 1e-14 absolute.
void check_sample(const embcheck::sample_analysis& got, const nlohmann::json& want) {
  REQUIRE_FALSE(got.untestable_reason);
  const embcheck::test_outcome* ks = got.find(embcheck::test_kind::ks);
  const embcheck::test_outcome* sw = got.find(embcheck::test_kind::shapiro_wilk);
  REQUIRE(ks);
  REQUIRE(sw);
  REQUIRE(ks->ran);
  REQUIRE(sw->ran);
  CHECK(got.stats.mean == doctest::Approx(want["mean"].get<double>()).epsilon(1e-12));
  CHECK(got.stats.variance == doctest::Approx(want["variance"].get<double>()).epsilon(1e-12));
  CHECK(std::abs(ks->statistic - want["ks_statistic"].get<double>()) < 1e-14);
  CHECK(ks->p_value == doctest::Approx(want["ks_p_value"].get<double>()).epsilon(1e-10));
  CHECK(sw->statistic == doctest::Approx(want["sw_statistic"].get<double>()).epsilon(1e-9));
  CHECK(sw->p_value == doctest::Approx(want["sw_p_value"].get<double>()).epsilon(1e-9));
  CHECK(sw->p_calibrated);
}

}  // namespace

TEST_CASE("rows and pooled table match SciPy, R and NumPy") {
  const nlohmann::json doc = load_fixture();
  const embcheck::table t = fixture_table(doc);
  for (const unsigned threads : {1u, 2u, 3u}) {
    CAPTURE(threads);
    embcheck::analysis_options options;
    options.threads = threads;
    const embcheck::table_analysis result = embcheck::analyse_table(t, options);
    REQUIRE(result.rows.size() == t.rows);
    for (std::size_t i = 0; i < t.rows; ++i) {
      CAPTURE(i);
      CHECK(result.rows[i].index == i);
      check_sample(result.rows[i].sample, doc["row_results"][i]);
    }
    REQUIRE(result.pooled);
    check_sample(*result.pooled, doc["pooled"]);
    CHECK(result.pooled->stats.n == t.rows * t.dim);
  }
}

TEST_CASE("non-finite, constant and short rows are untestable with a reason") {
  embcheck::table t;
  t.rows = 3;
  t.dim = 4;
  t.source_type = embcheck::element_type::float32;
  t.floats = {0.5, NAN, -1.0, 2.0, /* */ 3.0, 3.0, 3.0, 3.0, /* */ -0.5, 0.25, 1.5, -2.0};
  const auto result = embcheck::analyse_table(t, {});
  REQUIRE(result.rows[0].sample.untestable_reason);
  CHECK(result.rows[0].sample.untestable_reason->find("1 non-finite values (1 NaN") != std::string::npos);
  CHECK(result.rows[0].sample.tests.empty());
  REQUIRE(result.rows[1].sample.untestable_reason);
  CHECK(result.rows[1].sample.untestable_reason->find("constant") != std::string::npos);
  CHECK_FALSE(result.rows[2].sample.untestable_reason);
  CHECK(result.rows[2].sample.find(embcheck::test_kind::ks)->ran);
  REQUIRE(result.pooled->untestable_reason);  // the NaN makes the pooled sample untestable too
  CHECK(result.pooled->stats.nan == 1);

  embcheck::table short_rows;
  short_rows.rows = 2;
  short_rows.dim = 2;
  short_rows.floats = {0.1f, 0.2f, 0.3f, 0.4f};
  const auto short_result = embcheck::analyse_table(short_rows, {});
  // KS runs at n = 2 but Shapiro-Wilk needs 3: the row is tested by KS alone.
  CHECK_FALSE(short_result.rows[0].sample.untestable_reason);
  CHECK(short_result.rows[0].sample.find(embcheck::test_kind::ks)->ran);
  CHECK_FALSE(short_result.rows[0].sample.find(embcheck::test_kind::shapiro_wilk)->ran);
  CHECK(short_result.rows[0].sample.find(embcheck::test_kind::shapiro_wilk)->note == "not run: needs n >= 3");
  CHECK(short_result.pooled->find(embcheck::test_kind::shapiro_wilk)->ran);  // 4 values pooled are enough
  embcheck::analysis_options sw_only;
  sw_only.tests = {embcheck::test_kind::shapiro_wilk};
  const auto sw_result = embcheck::analyse_table(short_rows, sw_only);
  REQUIRE(sw_result.rows[0].sample.untestable_reason);
  CHECK(sw_result.rows[0].sample.untestable_reason->find("too short: no selected test runs at n = 2") !=
        std::string::npos);
}

TEST_CASE("the padding row is only measured, and left out of the pooled sample") {
  const nlohmann::json doc = load_fixture();
  embcheck::table t = fixture_table(doc);
  std::fill(t.doubles.begin() + static_cast<std::ptrdiff_t>(t.dim),
            t.doubles.begin() + static_cast<std::ptrdiff_t>(2 * t.dim), 0.0);
  embcheck::analysis_options options;
  options.padding_row = 1;
  const auto result = embcheck::analyse_table(t, options);
  CHECK(result.rows[1].padding);
  CHECK(result.rows[1].sample.stats.zeros == t.dim);
  CHECK(result.rows[1].sample.tests.empty());
  check_sample(result.rows[0].sample, doc["row_results"][0]);
  check_sample(result.rows[3].sample, doc["row_results"][3]);
  CHECK(result.pooled->stats.n == (t.rows - 1) * t.dim);
}

TEST_CASE("moment tests alone skip the sort and give the results of a sorted sample") {
  using embcheck::test_kind;
  const std::vector<test_kind> moment_tests = {test_kind::mean, test_kind::variance, test_kind::jarque_bera,
                                               test_kind::dagostino_pearson};
  CHECK_FALSE(embcheck::needs_sorted_sample(moment_tests));
  CHECK(embcheck::needs_sorted_sample(std::vector<test_kind>{test_kind::mean, test_kind::ks}));
  CHECK(embcheck::needs_sorted_sample(std::vector<test_kind>{test_kind::chi_squared}));

  // The committed table's first row, unsorted: the moment tests alone (no sort) and the same
  // tests next to KS (which sorts) give identical statistics and p-values.
  const embcheck::table t = fixture_table(load_fixture());
  const std::vector<double> row = t.row_copy(0);
  REQUIRE_FALSE(std::is_sorted(row.begin(), row.end()));
  embcheck::analysis_options alone;
  alone.tests = moment_tests;
  embcheck::analysis_options with_ks = alone;
  with_ks.tests.push_back(test_kind::ks);
  const embcheck::sample_analysis a = embcheck::analyse_sample(row, t.source_type, alone);
  const embcheck::sample_analysis b = embcheck::analyse_sample(row, t.source_type, with_ks);
  for (const test_kind kind : moment_tests) {
    CAPTURE(embcheck::to_string(kind));
    REQUIRE(a.find(kind));
    REQUIRE(b.find(kind));
    CHECK(a.find(kind)->ran);
    CHECK(a.find(kind)->statistic == b.find(kind)->statistic);
    CHECK(a.find(kind)->p_value == b.find(kind)->p_value);
  }
}

TEST_CASE("a table with one tested row pools exactly that row") {
  // The pooled analysis is then the row's (copied, not recomputed): both must match SciPy's row 0.
  const nlohmann::json doc = load_fixture();
  const embcheck::table t = fixture_table(doc);
  embcheck::table one;
  one.rows = 1;
  one.dim = t.dim;
  one.source_type = t.source_type;
  const std::vector<double> first_row = t.row_copy(0);
  one.doubles.assign(first_row.begin(), first_row.end());
  const auto single = embcheck::analyse_table(one, embcheck::analysis_options{});
  REQUIRE(single.pooled);
  check_sample(single.rows[0].sample, doc["row_results"][0]);
  check_sample(*single.pooled, doc["row_results"][0]);

  embcheck::table padded = one;
  padded.rows = 2;
  padded.doubles.resize(2 * t.dim, 0.0);
  embcheck::analysis_options options;
  options.padding_row = 1;
  const auto with_padding = embcheck::analyse_table(padded, options);
  REQUIRE(with_padding.pooled);
  CHECK(with_padding.rows[1].padding);
  check_sample(*with_padding.pooled, doc["row_results"][0]);
}

TEST_CASE("the number of threads changes no number") {
  // With several threads the pooled sample's Shapiro-Wilk coefficients are made by another job
  // while it sorts, and rows run concurrently: every statistic and p-value stays the same.
  const embcheck::table t = fixture_table(load_fixture());
  embcheck::analysis_options one;
  one.axis = {true, true, true};
  embcheck::analysis_options three = one;
  three.threads = 3;
  const auto a = embcheck::analyse_table(t, one);
  const auto b = embcheck::analyse_table(t, three);
  const auto same = [](const embcheck::sample_analysis& x, const embcheck::sample_analysis& y) {
    REQUIRE(x.tests.size() == y.tests.size());
    for (std::size_t k = 0; k < x.tests.size(); ++k) {
      CAPTURE(embcheck::to_string(x.tests[k].kind));
      CHECK(x.tests[k].statistic == y.tests[k].statistic);
      CHECK(x.tests[k].p_value == y.tests[k].p_value);
    }
  };
  REQUIRE(a.rows.size() == b.rows.size());
  for (std::size_t i = 0; i < a.rows.size(); ++i) same(a.rows[i].sample, b.rows[i].sample);
  REQUIRE(a.columns.size() == b.columns.size());
  for (std::size_t j = 0; j < a.columns.size(); ++j) same(a.columns[j], b.columns[j]);
  same(*a.pooled, *b.pooled);
  CHECK(a.pooled->find(embcheck::test_kind::shapiro_wilk));
}

TEST_CASE("one long sample sorted and tested on several threads changes no number") {
  // One row of 2^21 + 5 float32 values: the only sample, so its sort (keys made and scattered
  // in runs of the input, buckets, the doubles made back in stages) and its F(x) (in parts of
  // at least 2^17 values) are split over the threads, and the tests of F(x) run side by side,
  // Anderson-Darling's sum in its nine parts of 2^18 values (fails with a part added twice).
  std::mt19937_64 engine(2121);
  std::normal_distribution<float> normal;
  embcheck::table t;
  t.rows = 1;
  t.dim = (std::size_t{1} << 21) + 5;
  t.source_type = embcheck::element_type::float32;
  t.floats.resize(t.dim);
  for (float& v : t.floats) v = normal(engine);
  embcheck::analysis_options one;
  one.tests = {embcheck::test_kind::ks, embcheck::test_kind::shapiro_wilk,
               embcheck::test_kind::anderson_darling, embcheck::test_kind::cramer_von_mises,
               embcheck::test_kind::chi_squared};
  embcheck::analysis_options three = one;
  three.threads = 3;
  const auto a = embcheck::analyse_table(t, one);
  const auto b = embcheck::analyse_table(t, three);
  REQUIRE(a.rows.size() == 1);
  REQUIRE(b.rows.size() == 1);
  const auto& x = a.rows[0].sample;
  const auto& y = b.rows[0].sample;
  REQUIRE(x.tests.size() == 5);
  REQUIRE(y.tests.size() == 5);
  for (std::size_t k = 0; k < x.tests.size(); ++k) {
    CAPTURE(embcheck::to_string(x.tests[k].kind));
    CHECK(x.tests[k].ran);
    CHECK(x.tests[k].statistic == y.tests[k].statistic);
    CHECK(x.tests[k].p_value == y.tests[k].p_value);
    CHECK(x.tests[k].details == y.tests[k].details);
  }
}
