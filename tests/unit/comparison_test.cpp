// Tests of the comparison of two tables (src/embcheck/statistics/comparison.hpp).
//
// References: SciPy 1.10 / NumPy 1.24 (tests/scripts/make_comparison_fixtures.py writes
// tests/fixtures/comparison/scipy.json) and R's kSamples 1.2-9 and goftest 1.2-3
// (tests/scripts/make_comparison_fixtures.R writes tests/fixtures/comparison/ksamples.json).
// Tolerances (measured maxima in brackets, -O2 build):
//  - KS D and p-value (exact and asymptotic): 1e-12 and 1e-9 relative (0: the same arithmetic);
//  - Anderson-Darling T: 1e-12 relative or absolute below 1 (4e-15 against SciPy, 1.1e-14
//    against kSamples); A2akN and sigma_N against kSamples: 1e-12 relative (1.6e-15, 1e-14);
//    critical values 1e-14; SciPy's interpolated p-value 1e-9 relative (4.6e-15);
//  - moments: 1e-12 relative for mean (5.6e-14) and variance (3.5e-16), 1e-9 absolute for
//    skewness and kurtosis (1e-13);
//  - the asymptotic AD p-value against the limit law evaluated by goftest (ADinf): 1e-9 relative
//    plus 1e-14 absolute, the absolute accuracy of 1 - ADinf in double (compared for p > 1e-11;
//    3.7e-5 relative = 1.5e-15 absolute at p = 4e-11); against the same series at 50 digits
//    (mpmath): 1e-9 relative plus 1e-15 absolute below z = 24 (1.9e-16 absolute), 2e-4 relative
//    in the tail expansion beyond (1.4e-4 at z = 24.6);
//  - against kSamples' asymptotic p-value, which interpolates a smoothed table of quantiles of the
//    same law: 5% relative where kSamples' table reaches, p >= 1e-5 (3.9%, at T = 8).
// The calibration test draws null samples with embcheck's generators (fixed seeds) and checks
// uniformity of the p-values that enter verdicts; its thresholds are stated there.

#include "embcheck/statistics/comparison.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/generate/generate.hpp"
#include "embcheck/statistics/kolmogorov_smirnov.hpp"

namespace {

using embcheck::comparison_test_kind;

const nlohmann::json& fixture(const std::string& name) {
  static std::map<std::string, nlohmann::json> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR) + "/comparison/" + name);
    REQUIRE(in.good());
    it = cache.emplace(name, nlohmann::json::parse(in)).first;
  }
  return it->second;
}

bool close(double actual, double expected, double relative, double absolute = 0.0) {
  return std::abs(actual - expected) <= relative * std::abs(expected) + absolute;
}

embcheck::table make_table(const nlohmann::json& t) {
  embcheck::table out;
  out.rows = t.at("rows").get<std::size_t>();
  out.dim = t.at("dim").get<std::size_t>();
  out.source_type = embcheck::element_type::float32;
  const auto values = t.at("values").get<std::vector<double>>();
  out.floats.assign(values.begin(), values.end());  // float32 values: exact
  return out;
}

void check_sample(const embcheck::sample_comparison& got, const nlohmann::json& want) {
  REQUIRE_FALSE(got.untestable_reason);
  CHECK(got.a.n == want.at("a").at("n").get<std::size_t>());
  CHECK(got.b.n == want.at("b").at("n").get<std::size_t>());
  for (const char* side : {"a", "b"}) {
    const embcheck::moments& m = side[0] == 'a' ? got.a : got.b;
    const nlohmann::json& w = want.at(side);
    CHECK(close(m.mean, w.at("mean").get<double>(), 1e-12, 1e-15));
    CHECK(close(m.sample_variance, w.at("sample_variance").get<double>(), 1e-12));
    CHECK(close(m.skewness, w.at("skewness").get<double>(), 0.0, 1e-9));
    CHECK(close(m.excess_kurtosis, w.at("excess_kurtosis").get<double>(), 0.0, 1e-9));
  }
  const double mean_difference =
      want.at("b").at("mean").get<double>() - want.at("a").at("mean").get<double>();
  CHECK(close(got.difference.mean, mean_difference, 1e-12, 1e-15));
  CHECK(close(
      got.difference.variance_ratio,
      want.at("b").at("sample_variance").get<double>() / want.at("a").at("sample_variance").get<double>(),
      1e-12));
  CHECK(close(got.difference.skewness,
              want.at("b").at("skewness").get<double>() - want.at("a").at("skewness").get<double>(), 0.0,
              1e-9));

  const embcheck::comparison_outcome* ks = got.find(comparison_test_kind::ks);
  REQUIRE(ks != nullptr);
  REQUIRE(ks->ran);
  CHECK(close(ks->statistic, want.at("ks").at("statistic").get<double>(), 1e-12));
  CHECK(close(ks->p_value, want.at("ks").at("p_value").get<double>(), 1e-9));
  CHECK((ks->method == embcheck::ks_method::exact) == (want.at("ks").at("method") == "exact"));
  CHECK(ks->p_calibrated);

  const embcheck::comparison_outcome* ad = got.find(comparison_test_kind::anderson);
  REQUIRE(ad != nullptr);
  REQUIRE(ad->ran);
  REQUIRE(ad->anderson);
  const nlohmann::json& w = want.at("anderson");
  const double t = w.at("statistic").get<double>();
  CHECK(close(ad->statistic, t, 1e-12, 1e-12));
  CHECK(ad->anderson->statistic == ad->statistic);
  for (std::size_t i = 0; i < 7; ++i)
    CHECK(close(ad->anderson->critical_values[i], w.at("critical_values")[i].get<double>(), 1e-14));
  const double p = w.at("p_value").get<double>();
  CHECK(close(ad->anderson->p_value_interpolated, p, 1e-9));
  CHECK(ad->anderson->p_interpolated_at_least == (p == 0.25));
  CHECK(ad->anderson->p_interpolated_at_most == (p == 0.001));
  CHECK(ad->p_value == embcheck::anderson_2samp_asymptotic_p(ad->statistic));
}

}  // namespace

TEST_CASE("compare_tables matches SciPy's ks_2samp, anderson_ksamp and moments") {
  const nlohmann::json& cases = fixture("scipy.json").at("cases");
  REQUIRE(cases.size() == 5);
  for (const auto& c : cases) {
    CAPTURE(c.at("name").get<std::string>());
    const embcheck::table a = make_table(c.at("a"));
    const embcheck::table b = make_table(c.at("b"));
    embcheck::comparison_options options;
    options.axis = {true, c.contains("columns"), true};
    options.threads = 3;
    const embcheck::table_comparison result = embcheck::compare_tables(a, b, options);
    REQUIRE(result.rows.size() == c.at("rows").size());
    CHECK(result.rows_a == a.rows);
    CHECK(result.rows_b == b.rows);
    CHECK(result.unmatched_rows() == std::max(a.rows, b.rows) - std::min(a.rows, b.rows));
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
      CAPTURE(i);
      check_sample(result.rows[i], c.at("rows")[i]);
    }
    if (c.contains("columns")) {
      REQUIRE(result.columns.size() == c.at("columns").size());
      for (std::size_t j = 0; j < result.columns.size(); ++j) {
        CAPTURE(j);
        check_sample(result.columns[j], c.at("columns")[j]);
      }
    }
    REQUIRE(result.pooled);
    check_sample(*result.pooled, c.at("table"));
  }
}

TEST_CASE("the sorted sweep equals anderson_ksamp, with and without ties") {
  const nlohmann::json& cases = fixture("scipy.json").at("cases");
  const embcheck::table a = make_table(cases[1].at("a"));  // float16 values: many ties
  const embcheck::table b = make_table(cases[1].at("b"));
  std::vector<double> x(a.floats.begin(), a.floats.end());
  std::vector<double> y(b.floats.begin(), b.floats.end());
  const std::vector<std::span<const double>> samples = {x, y};
  const embcheck::anderson_ksamp_result reference = embcheck::anderson_ksamp(samples);
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  const embcheck::anderson_2samp_result sweep = embcheck::anderson_2samp_sorted(x, y);
  CHECK(close(sweep.statistic, reference.statistic, 1e-13, 1e-13));
  CHECK(close(sweep.p_value_interpolated, reference.p_value, 1e-13));
  CHECK(sweep.distinct < 40);  // about 20 float16 values in [1, 1.021]
}

TEST_CASE("the asymptotic Anderson-Darling p-value matches R (goftest's ADinf, kSamples)") {
  const nlohmann::json& data = fixture("ksamples.json");
  const auto& grid = data.at("grid");
  const std::vector<double> t = grid.at("statistic").get<std::vector<double>>();
  const std::vector<double> limit = grid.at("limit_p").get<std::vector<double>>();
  const std::vector<double> ksamples = grid.at("ksamples_p").get<std::vector<double>>();
  for (std::size_t i = 0; i < t.size(); ++i) {
    CAPTURE(t[i]);
    const double p = embcheck::anderson_2samp_asymptotic_p(t[i]);
    // goftest's 1 - ADinf is accurate to about 1e-15 absolute: compared where that is < 1e-4 relative.
    if (limit[i] > 1e-11) CHECK(close(p, limit[i], 1e-9, 1e-14));
    if (ksamples[i] >= 1e-5) CHECK(close(p, ksamples[i], 0.05));
  }
  const auto& cases = data.at("cases");
  REQUIRE(cases.size() == 12);
  for (const auto& c : cases) {
    std::vector<double> a = c.at("a").get<std::vector<double>>();
    std::vector<double> b = c.at("b").get<std::vector<double>>();
    CAPTURE(a.size());
    CAPTURE(b.size());
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    const embcheck::anderson_2samp_result r = embcheck::anderson_2samp_sorted(a, b);
    CHECK(close(r.a2, c.at("a2").get<double>(), 1e-12));
    CHECK(close(r.sigma, c.at("sigma").get<double>(), 1e-12));
    CHECK(close(r.statistic, c.at("statistic").get<double>(), 1e-12, 1e-12));
    CHECK(close(r.p_value, c.at("limit_p").get<double>(), 1e-9, 1e-14));
    const double ksamples_p = c.at("ksamples_p").get<double>();
    if (ksamples_p >= 1e-5) CHECK(close(r.p_value, ksamples_p, 0.025));
  }
}

TEST_CASE("the far tail of the asymptotic p-value matches ADinf evaluated at 50 digits") {
  const auto& tail = fixture("scipy.json").at("limit_tail");
  const std::vector<double> t = tail.at("statistic").get<std::vector<double>>();
  const std::vector<double> reference = tail.at("p_value").get<std::vector<double>>();
  for (std::size_t i = 0; i < t.size(); ++i) {
    CAPTURE(t[i]);
    const double z = 1.0 + embcheck::anderson_2samp_limit_sigma() * t[i];
    const double p = embcheck::anderson_2samp_asymptotic_p(t[i]);
    if (z < 24.0) {
      CHECK(close(p, reference[i], 1e-9, 1e-15));
    } else {
      CHECK(close(p, reference[i], 2e-4));
    }
  }
}

TEST_CASE("the far tail of the asymptotic p-value is continuous and decreasing") {
  const double sigma = embcheck::anderson_2samp_limit_sigma();
  const double t_switch = (24.0 - 1.0) / sigma;
  const double below = embcheck::anderson_2samp_asymptotic_p(std::nextafter(t_switch, 0.0));
  const double above = embcheck::anderson_2samp_asymptotic_p(t_switch);
  CHECK(close(above, below, 2e-4));  // the expansion's O(z^-2) term at z = 24
  double previous = 1.0;
  for (double t = -2.0; t < 200.0; t += 0.25) {
    const double p = embcheck::anderson_2samp_asymptotic_p(t);
    CHECK(p <= previous);
    CHECK(p >= 0.0);
    previous = p;
  }
  CHECK(embcheck::anderson_2samp_asymptotic_p(-5.0) == 1.0);
  CHECK(embcheck::anderson_2samp_asymptotic_p(60.0) > 0.0);
}

TEST_CASE("SciPy's interpolated p-value is clipped to [0.001, 0.25]") {
  CHECK(embcheck::anderson_2samp_interpolated_p(-1.0) == 0.25);
  CHECK(embcheck::anderson_2samp_interpolated_p(40.0) == 0.001);
  const double mid = embcheck::anderson_2samp_interpolated_p(2.0);
  CHECK(mid > 0.025);
  CHECK(mid < 0.1);
}

// Calibration: under the null (A and B drawn alike), every p-value that enters a verdict must be
// uniform. For each configuration, 400 pairs of samples from embcheck's torch generator (seeds
// fixed). Checks: a one-sample KS test of the p-values against U(0, 1) does not reject at 1e-4
// (false alarm for a calibrated p-value: 1 in 10^4 per configuration, fixed seeds make it
// reproducible), and the counts below 0.05 and 0.01 are at most 36 and 12 (binomial(400, alpha)
// upper tail probabilities 0.006 and 0.0005 for a calibrated p-value; a p-value that is liberal by
// a factor 2 exceeds them with probability 0.99 and 0.82).
TEST_CASE("the p-values used in verdicts are calibrated under the null") {
  struct configuration {
    std::size_t n_a;
    std::size_t n_b;
    double grid;  // values rounded to multiples of this (0: float32 values as drawn)
  };
  constexpr std::size_t replicates = 400;
  for (const configuration config : {configuration{8, 8, 0.0}, configuration{40, 120, 0.0},
                                     configuration{1000, 1000, 0.0}, configuration{2000, 2000, 0.05}}) {
    CAPTURE(config.n_a);
    CAPTURE(config.n_b);
    CAPTURE(config.grid);
    std::vector<double> ks_p;
    std::vector<double> ad_p;
    for (std::size_t r = 0; r < replicates; ++r) {
      embcheck::generate_spec spec;
      spec.rows = 1;
      spec.dim = config.n_a;
      spec.seed = 1000003 * config.n_a + 2 * r;
      embcheck::table a = embcheck::generate_table(spec);
      spec.dim = config.n_b;
      spec.seed += 1;
      embcheck::table b = embcheck::generate_table(spec);
      if (config.grid > 0) {
        for (float& v : a.floats)
          v = static_cast<float>(std::round(static_cast<double>(v) / config.grid) * config.grid);
        for (float& v : b.floats)
          v = static_cast<float>(std::round(static_cast<double>(v) / config.grid) * config.grid);
      }
      const std::vector<double> a_values(a.floats.begin(), a.floats.end());
      const std::vector<double> b_values(b.floats.begin(), b.floats.end());
      const embcheck::sample_comparison c =
          embcheck::compare_samples(a_values, a.source_type, b_values, b.source_type,
                                    std::vector{comparison_test_kind::ks, comparison_test_kind::anderson});
      REQUIRE(c.tests.size() == 2);
      REQUIRE(c.tests[1].p_calibrated);
      ks_p.push_back(c.tests[0].p_value);
      ad_p.push_back(c.tests[1].p_value);
    }
    for (std::vector<double>* p : {&ks_p, &ad_p}) {
      const bool is_ks = p == &ks_p;
      CAPTURE(is_ks);
      std::sort(p->begin(), p->end());
      const auto below = [&](double alpha) {
        return std::upper_bound(p->begin(), p->end(), alpha) - p->begin();
      };
      CHECK(below(0.05) <= 36);
      CHECK(below(0.01) <= 12);
      // KS uniformity only where the p-value is continuous enough: the exact two-sample KS
      // p-value at 8 + 8 takes a handful of values (conservative by design) and at 2000 + 2000
      // with ties it is conservative; the Anderson-Darling p-value everywhere.
      if (!is_ks || (config.n_a >= 40 && config.grid == 0.0)) {
        double d = 0.0;
        for (std::size_t i = 0; i < p->size(); ++i) {
          const double u = (*p)[i];
          d = std::max(
              {d, static_cast<double>(i + 1) / replicates - u, u - static_cast<double>(i) / replicates});
        }
        CHECK(embcheck::kolmogorov_sf(static_cast<std::int64_t>(replicates), d) > 1e-4);
      }
    }
  }
}

TEST_CASE("heavy ties and small samples keep the Anderson-Darling p-value out of verdicts") {
  CHECK(embcheck::anderson_2samp_calibrated(8, 8, 16));
  CHECK_FALSE(embcheck::anderson_2samp_calibrated(7, 100, 107));
  CHECK(embcheck::anderson_2samp_calibrated(1000, 1000, 100));
  CHECK_FALSE(embcheck::anderson_2samp_calibrated(1000, 1000, 30));
  CHECK(embcheck::anderson_2samp_calibrated(30, 30, 54));  // 6 repeats of 60: 10%
  CHECK_FALSE(embcheck::anderson_2samp_calibrated(30, 30, 53));

  // Normal values rounded to 0.5 (about 15 distinct values): the asymptotic p-value is liberal
  // (rejection rate about 0.018 at 0.01 by simulation), so it is marked and left out.
  std::vector<double> a;
  std::vector<double> b;
  for (int i = 0; i < 200; ++i) {
    a.push_back(std::round(std::sin(i * 1.7) * 6.0) / 2.0);
    b.push_back(std::round(std::cos(i * 2.3) * 6.0) / 2.0);
  }
  const auto c =
      embcheck::compare_samples(a, embcheck::element_type::float64, b, embcheck::element_type::float64,
                                std::vector{comparison_test_kind::anderson});
  REQUIRE(c.tests.size() == 1);
  CHECK(c.tests[0].ran);
  CHECK_FALSE(c.tests[0].p_calibrated);
  CHECK(c.tests[0].note.find("heavy ties") != std::string::npos);

  const std::vector<double> four = {0.1, 0.5, -0.3, 2.0};
  const std::vector<double> five = {0.2, 0.4, 1.0, -1.0, 3.0};
  const auto small =
      embcheck::compare_samples(four, embcheck::element_type::float64, five, embcheck::element_type::float64,
                                std::vector{comparison_test_kind::ks, comparison_test_kind::anderson});
  CHECK(small.tests[0].p_calibrated);
  CHECK_FALSE(small.tests[1].p_calibrated);
  CHECK(small.tests[1].note == "p-value not calibrated: needs n >= 8 in both samples");
}

TEST_CASE("untestable samples and tests that cannot run") {
  const std::vector<double> normal = {0.3, -1.2, 0.8, 2.1, -0.4};
  std::vector<double> with_nan = normal;
  with_nan[2] = std::numeric_limits<double>::quiet_NaN();
  const std::vector tests{comparison_test_kind::ks, comparison_test_kind::anderson};
  const auto nan = embcheck::compare_samples(normal, embcheck::element_type::float64, with_nan,
                                             embcheck::element_type::float64, tests);
  REQUIRE(nan.untestable_reason);
  CHECK(*nan.untestable_reason == "B: 1 non-finite values (1 NaN, 0 +Inf, 0 -Inf)");
  CHECK(nan.tests.empty());

  const std::vector<double> zeros(6, 0.0);
  const auto constant = embcheck::compare_samples(zeros, embcheck::element_type::float32, zeros,
                                                  embcheck::element_type::float32, tests);
  REQUIRE(constant.untestable_reason);
  CHECK(*constant.untestable_reason == "constant: every value of A and B is 0");

  // A constant A against a different B is testable, and different.
  const auto one_constant = embcheck::compare_samples(zeros, embcheck::element_type::float32, normal,
                                                      embcheck::element_type::float64, tests);
  CHECK_FALSE(one_constant.untestable_reason);

  const std::vector<double> one = {1.0};
  const std::vector<double> two = {0.0, 2.0};
  const auto tiny = embcheck::compare_samples(one, embcheck::element_type::float64, two,
                                              embcheck::element_type::float64, tests);
  CHECK_FALSE(tiny.untestable_reason);
  CHECK(tiny.tests[0].ran);
  CHECK_FALSE(tiny.tests[1].ran);
  CHECK(tiny.tests[1].note == "not run: needs n_a + n_b >= 4");
  const auto tiny_ad =
      embcheck::compare_samples(one, embcheck::element_type::float64, two, embcheck::element_type::float64,
                                std::vector{comparison_test_kind::anderson});
  REQUIRE(tiny_ad.untestable_reason);
  CHECK(*tiny_ad.untestable_reason == "too short: no selected test runs at n_a = 1, n_b = 2");
}

TEST_CASE("columns need equal dims") {
  embcheck::table a{2, 3, embcheck::element_type::float32, {1, 2, 3, 4, 5, 6}, {}};
  embcheck::table b{2, 2, embcheck::element_type::float32, {1, 2, 3, 4}, {}};
  embcheck::comparison_options options;
  options.axis = {false, true, false};
  CHECK_THROWS_WITH_AS((void)embcheck::compare_tables(a, b, options),
                       "columns need equal dims: A is 2 x 3, B is 2 x 2", embcheck::error);
  options.axis = {true, false, true};
  const embcheck::table_comparison rows = embcheck::compare_tables(a, b, options);
  CHECK(rows.rows.size() == 2);
  CHECK(rows.rows[0].a.n == 3);
  CHECK(rows.rows[0].b.n == 2);
}

TEST_CASE("the verdict: Holm over calibrated p-values of rows, columns and the pooled sample") {
  const nlohmann::json& cases = fixture("scipy.json").at("cases");
  const embcheck::table a = make_table(cases[2].at("a"));  // shifted: B = A's law + 0.5
  const embcheck::table b = make_table(cases[2].at("b"));
  embcheck::comparison_options options;
  options.axis = {true, true, true};
  const embcheck::table_comparison result = embcheck::compare_tables(a, b, options);
  const embcheck::table_judgement judgement =
      embcheck::judge_comparison(result, embcheck::verdict_policy{0.01, embcheck::correction::holm, 0.001});
  // 6 rows of 40 values (KS and AD), 40 columns of 6 values (KS only: AD not calibrated below 8)
  // and the pooled sample.
  CHECK(judgement.family_size == 6 * 2 + 40 + 2);
  CHECK_FALSE(judgement.pass);
  REQUIRE(judgement.pooled);
  CHECK(judgement.pooled->verdict == embcheck::sample_verdict::fail);
  CHECK(judgement.pooled->reason.find("rejects: Holm-adjusted p") != std::string::npos);
  REQUIRE(judgement.columns.size() == 40);
  CHECK_FALSE(judgement.columns[0].tests[1]);  // uncalibrated: not in the family

  // Holm's adjusted p-values, recomputed from the p-values in the family.
  std::vector<double> p;
  for (const auto& row : result.rows)
    for (const auto& t : row.tests) p.push_back(t.p_value);
  for (const auto& column : result.columns) p.push_back(column.tests[0].p_value);
  for (const auto& t : result.pooled->tests) p.push_back(t.p_value);
  const std::vector<double> adjusted = embcheck::holm_adjust(p);
  CHECK(judgement.rows[1].tests[0]->adjusted_p == adjusted[2]);
  CHECK(judgement.pooled->tests[1]->adjusted_p == adjusted.back());

  // One row in each table: the pooled sample is that row and stays out of the family.
  const embcheck::table one_a{1,
                              40,
                              embcheck::element_type::float32,
                              embcheck::table_floats(a.floats.begin(), a.floats.begin() + 40),
                              {}};
  const embcheck::table one_b{1,
                              40,
                              embcheck::element_type::float32,
                              embcheck::table_floats(b.floats.begin(), b.floats.begin() + 40),
                              {}};
  options.axis = {true, false, true};
  const auto single =
      embcheck::judge_comparison(embcheck::compare_tables(one_a, one_b, options), embcheck::verdict_policy{});
  CHECK(single.family_size == 2);
  CHECK_FALSE(single.pooled->tests[0]);
}

TEST_CASE("with one row in each table the pooled sample gets the row's verdict") {
  // B is A moved by 10: both tests reject the row; the pooled sample is the same pair, out of
  // the family (it read "pooled pass" under a failing row before).
  embcheck::table a{1, 40, embcheck::element_type::float32, embcheck::table_floats(40), {}};
  embcheck::table b = a;
  for (std::size_t i = 0; i < 40; ++i) {
    a.floats[i] = static_cast<float>(i) / 40.0F;
    b.floats[i] = a.floats[i] + 10.0F;
  }
  embcheck::comparison_options options;
  options.axis = {true, false, true};
  const auto judgement =
      embcheck::judge_comparison(embcheck::compare_tables(a, b, options), embcheck::verdict_policy{});
  CHECK(judgement.family_size == 2);
  REQUIRE(judgement.rows.size() == 1);
  REQUIRE(judgement.pooled);
  CHECK(judgement.rows[0].verdict == embcheck::sample_verdict::fail);
  CHECK(judgement.pooled->verdict == embcheck::sample_verdict::fail);
  CHECK(judgement.pooled->reason == judgement.rows[0].reason);
  CHECK_FALSE(judgement.pooled->tests[0]);
  CHECK_FALSE(judgement.pass);
}

TEST_CASE("names of the comparison tests") {
  CHECK(embcheck::to_string(comparison_test_kind::ks) == "ks");
  CHECK(embcheck::to_string(comparison_test_kind::anderson) == "anderson");
  CHECK(embcheck::parse_comparison_test("anderson") == comparison_test_kind::anderson);
  CHECK_FALSE(embcheck::parse_comparison_test("ad"));
}
