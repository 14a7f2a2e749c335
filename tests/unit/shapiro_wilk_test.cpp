// Shapiro-Wilk (AS R94) against R 4.2's shapiro.test; fixtures from
// tests/scripts/make_shapiro_wilk_fixtures.R (shapiro_wilk.json: 3 <= n <= 5000;
// shapiro_wilk_large.json: n = 800000, reference W from the script's plain-R implementation).
// Above n = 5000, the simulated null (shapiro_wilk_null.hpp, docs/shapiro_wilk_null.md): shape checks,
// agreement with the empirical quantiles of tests/calibration/shapiro_wilk_null_output.txt, a small
// calibration run on fresh seeds and the power against a Student t with 30 df.
#include "embcheck/statistics/shapiro_wilk.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/generate/generate.hpp"
#include "embcheck/statistics/kolmogorov_smirnov.hpp"
#include "embcheck/statistics/normal_quantile.hpp"
#include "embcheck/statistics/shapiro_wilk_null.hpp"
#include "embcheck/statistics/sort.hpp"

namespace {

nlohmann::json load(const char* name) {
  std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR) + "/shapiro_wilk/" + name);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

double relative_error(double got, double expected) {
  return std::fabs(got - expected) / std::max(std::fabs(expected), std::numeric_limits<double>::min());
}

}  // namespace

TEST_CASE("W and p match R's shapiro.test for 3 <= n <= 5000") {
  const auto fixture = load("shapiro_wilk.json");
  std::map<std::size_t, embcheck::shapiro_wilk_coefficients> coefficients;
  double worst_w = 0.0;
  double worst_one_minus_w = 0.0;
  double worst_p = 0.0;
  std::size_t cases = 0;
  for (const auto& c : fixture.at("cases")) {
    const auto name = c.at("name").get<std::string>();
    const auto x = c.at("x").get<std::vector<double>>();
    REQUIRE(std::is_sorted(x.begin(), x.end()));
    const std::size_t n = x.size();
    const auto& coef = coefficients.try_emplace(n, n).first->second;
    const auto result = embcheck::shapiro_wilk_test(x, coef);
    const double w = c.at("w").get<double>();
    const double p = c.at("p").get<double>();
    ++cases;
    // Tolerance 1e-9 relative on W, on 1 - W (where R's 1 - W is not itself rounding noise) and on p.
    const double e_w = relative_error(result.w, w);
    worst_w = std::max(worst_w, e_w);
    CHECK_MESSAGE(e_w <= 1e-9, name << ": W " << result.w << " R " << w);
    CHECK(result.w <= 1.0);
    CHECK(result.one_minus_w == doctest::Approx(1.0 - result.w).epsilon(1e-12).scale(1e-14));
    if (1.0 - w > 1e-6) {
      const double e = relative_error(result.one_minus_w, 1.0 - w);
      worst_one_minus_w = std::max(worst_one_minus_w, e);
      CHECK_MESSAGE(e <= 1e-9, name << ": 1 - W " << result.one_minus_w << " R " << 1.0 - w);
    }
    if (p == 0.0) {
      // R's n = 3 p-value clamps at 0 when W is at its minimum 3/4.
      CHECK_MESSAGE(result.p_value <= 1e-15, name << ": p " << result.p_value);
    } else {
      const double e_p = relative_error(result.p_value, p);
      worst_p = std::max(worst_p, e_p);
      CHECK_MESSAGE(e_p <= 1e-9, name << ": p " << result.p_value << " R " << p);
    }
    CHECK(result.p_calibrated);
    CHECK(result.royston_p_value == result.p_value);
    if (c.contains("w_raw")) {
      // shapiro.test on the raw offset sample (1e6 + noise) loses up to ~2e-8 relative in p itself;
      // the fixture's reference is shapiro.test of the exactly shifted sample. Loose check only.
      CHECK(result.w == doctest::Approx(c.at("w_raw").get<double>()).epsilon(1e-7));
      CHECK(result.p_value == doctest::Approx(c.at("p_raw").get<double>()).epsilon(1e-6));
    }
  }
  CHECK(cases >= 90);
  MESSAGE("cases " << cases << ", max relative error vs R: W " << worst_w << ", 1 - W " << worst_one_minus_w
                   << ", p " << worst_p);
}

TEST_CASE("W is shift and scale invariant, including extreme scales") {
  const auto fixture = load("shapiro_wilk.json");
  for (const auto& c : fixture.at("cases")) {
    if (c.at("name") != "normal_100") continue;
    const auto x = c.at("x").get<std::vector<double>>();
    const embcheck::shapiro_wilk_coefficients coef(x.size());
    const auto reference = embcheck::shapiro_wilk_test(x, coef);
    // Scalings by powers of two are exact while the values stay normal: here the range overflows
    // (2^1020) or W must be invariant (2^-1000, a sign flip); results within a few ulps of W's.
    for (double factor : {0x1p1020, 0x1p-1000, -1.0}) {
      std::vector<double> y(x);
      for (double& v : y) v *= factor;
      std::sort(y.begin(), y.end());
      const auto result = embcheck::shapiro_wilk_test(y, coef);
      CHECK(result.w == doctest::Approx(reference.w).epsilon(1e-14));
      CHECK(result.p_value == doctest::Approx(reference.p_value).epsilon(1e-12));
    }
    // Subnormal values (the range's inverse overflows) lose bits when scaled down, but scaling them
    // back up is exact: both must give the same W.
    std::vector<double> tiny(x);
    for (double& v : tiny) v *= 0x1p-1060;
    std::vector<double> restored(tiny);
    for (double& v : restored) v = v * 0x1p1000 * 0x1p60;
    const auto from_tiny = embcheck::shapiro_wilk_test(tiny, coef);
    const auto from_restored = embcheck::shapiro_wilk_test(restored, coef);
    CHECK(from_tiny.w == doctest::Approx(from_restored.w).epsilon(1e-14));
    CHECK(from_tiny.p_value == doctest::Approx(from_restored.p_value).epsilon(1e-12));
  }
}

TEST_CASE("coefficients: unit norm, sign convention, n = 3") {
  for (std::size_t n : {3u, 4u, 5u, 6u, 11u, 12u, 5000u, 800001u}) {
    const embcheck::shapiro_wilk_coefficients coef(n);
    CHECK(coef.size() == n);
    CHECK(coef.half().size() == n / 2);
    CHECK(coef.sum_of_squares() == doctest::Approx(1.0).epsilon(1e-14));
    CHECK(coef.half()[0] < 0.0);
    // Coefficients grow in magnitude towards the extremes: strictly increasing (all negative).
    const auto half = coef.half();
    CHECK(std::adjacent_find(half.begin(), half.end(), [](double a, double b) { return a >= b; }) ==
          half.end());
  }
  CHECK(embcheck::shapiro_wilk_coefficients(3).half()[0] == doctest::Approx(-std::sqrt(0.5)).epsilon(1e-15));
  CHECK_THROWS_AS(embcheck::shapiro_wilk_coefficients(2), embcheck::error);
}

TEST_CASE("invalid input: size mismatch and constant rows throw") {
  const embcheck::shapiro_wilk_coefficients coef(4);
  const std::vector<double> three{1.0, 2.0, 3.0};
  CHECK_THROWS_AS((void)embcheck::shapiro_wilk_test(three, coef), embcheck::error);
  const std::vector<double> constant{2.5, 2.5, 2.5, 2.5};
  CHECK_THROWS_AS((void)embcheck::shapiro_wilk_test(constant, coef), embcheck::error);
}

TEST_CASE("n = 800000: W and 1 - W match the R reference, Royston's extrapolated p as R's formula") {
  const auto fixture = load("shapiro_wilk_large.json");
  const auto n = fixture.at("n").get<std::size_t>();
  // The sample: Park-Miller minimal standard integers mapped through the normal quantile
  // (R used qnorm, normal_quantile_test shows the two agree bit for bit).
  std::vector<double> x(n);
  std::uint64_t state = fixture.at("park_miller_seed").get<std::uint64_t>();
  for (double& v : x) {
    state = state * 16807 % 2147483647;
    v = embcheck::normal_quantile(static_cast<double>(state) / 2147483647.0);
  }
  std::sort(x.begin(), x.end());
  const embcheck::shapiro_wilk_coefficients coef(n);
  const auto probes = fixture.at("probe_indices").get<std::vector<std::size_t>>();
  for (const auto& c : fixture.at("cases")) {
    const auto name = c.at("name").get<std::string>();
    std::vector<double> y(x);
    if (name == "float32_offset_1000") {
      for (double& v : y) v = static_cast<double>(static_cast<float>(1000.0 + v));
    }
    // Same sample as R's: probes to 1e-15, sums to 1e-13 of sum |x| (the sum of x cancels).
    const auto expected_probes = c.at("probes").get<std::vector<double>>();
    for (std::size_t k = 0; k < probes.size(); ++k) {
      CHECK(y[probes[k]] == doctest::Approx(expected_probes[k]).epsilon(1e-15));
    }
    double sum = 0.0;
    double sum_squares = 0.0;
    for (double v : y) {
      sum += v;
      sum_squares += v * v;
    }
    CHECK(sum == doctest::Approx(c.at("sum").get<double>()).epsilon(1e-13).scale(static_cast<double>(n)));
    CHECK(sum_squares == doctest::Approx(c.at("sum_squares").get<double>()).epsilon(1e-13));

    const auto result = embcheck::shapiro_wilk_test(y, coef);
    // Tolerance 1e-9 relative on 1 - W (~6e-6 here), hence ~6e-15 on W.
    const double e = relative_error(result.one_minus_w, c.at("one_minus_w").get<double>());
    CHECK_MESSAGE(e <= 1e-9, name << ": 1 - W " << result.one_minus_w);
    CHECK(result.w == doctest::Approx(c.at("w").get<double>()).epsilon(1e-14));
    CHECK(result.w < 1.0);
    CHECK(result.royston_p_value == doctest::Approx(c.at("p").get<double>()).epsilon(1e-9));
    // Since the simulated null, n = 800000 has a calibrated p-value of its own.
    CHECK(result.p_calibrated);
    CHECK(result.p_value == embcheck::shapiro_wilk_null_p_value(n, result.one_minus_w));
    MESSAGE(name << ": relative error of 1 - W vs R reference " << e);
  }
}

namespace {

// Royston's AS R94 p-value for n >= 12 as written in R's swilk.c (the reference formula, used here
// to compare both sides of n = 5000).
double royston_reference_p(double n, double one_minus_w) {
  const double l = std::log(n);
  const double mean = -1.5861 - 0.31082 * l - 0.083751 * l * l + 0.0038915 * l * l * l;
  const double sd = std::exp(-0.4803 - 0.082676 * l + 0.0030302 * l * l);
  return 0.5 * std::erfc((std::log(one_minus_w) - mean) / sd / std::sqrt(2.0));
}

std::vector<double> sorted_normal_row(std::size_t n, std::uint64_t seed) {
  embcheck::generate_spec spec;
  spec.rows = 1;
  spec.dim = n;
  spec.seed = seed;
  const embcheck::table_floats generated = embcheck::generate_table(spec).floats;
  std::vector<double> values(generated.begin(), generated.end());
  embcheck::sort_values(values, embcheck::element_type::float32);
  return values;
}

}  // namespace

TEST_CASE("simulated null: range, p in [0, 1], monotone in 1 - W, continuous in n") {
  using embcheck::shapiro_wilk_null_p_value;
  CHECK_THROWS_AS((void)shapiro_wilk_null_p_value(5000, 1e-3), embcheck::error);
  CHECK_THROWS_AS((void)shapiro_wilk_null_p_value(10'000'001, 1e-3), embcheck::error);
  CHECK(std::isnan(shapiro_wilk_null_p_value(20000, std::numeric_limits<double>::quiet_NaN())));
  CHECK(shapiro_wilk_null_p_value(20000, 0.0) == 1.0);
  CHECK(shapiro_wilk_null_p_value(20000, 1.0) < 1e-100);
  for (std::size_t n : {5001u, 7777u, 20000u, 123456u, 800000u, 3000000u, 10000000u}) {
    // 1 - W from 1e-4 / n to 1 on a log grid: p non-increasing, within [0, 1], strictly decreasing
    // where it is strictly inside (0, 1).
    double previous = 1.0;
    for (int k = 0; k <= 400; ++k) {
      const double one_minus_w =
          1e-4 / static_cast<double>(n) * std::pow(1e4 * static_cast<double>(n), k / 400.0);
      const double p = shapiro_wilk_null_p_value(n, one_minus_w);
      CHECK((p >= 0.0 && p <= 1.0));
      CHECK(p <= previous);
      if (previous < 1.0 && p > 0.0) CHECK(p < previous);
      previous = p;
    }
  }
  // Continuity in n at a fixed scaled statistic n (1 - W), across and between grid points: moving n by
  // one changes p by less than 1e-4 (measured: below 2e-6).
  double worst = 0.0;
  for (std::size_t n : {5001u, 7500u, 10000u, 20000u, 50000u, 100000u, 200000u, 500000u, 1000000u, 2000000u,
                        5000000u, 9999999u, 3333333u}) {
    for (double x : {1.0, 2.0, 3.0, 5.0, 8.0}) {
      const double p0 = shapiro_wilk_null_p_value(n, x / static_cast<double>(n));
      const std::size_t m = n < 10'000'000 ? n + 1 : n - 1;
      const double p1 = shapiro_wilk_null_p_value(m, x / static_cast<double>(m));
      worst = std::max(worst, std::fabs(p1 - p0));
    }
  }
  CHECK(worst < 1e-4);
  MESSAGE("largest change of p for a unit change of n: " << worst);
}

TEST_CASE("simulated null at the n = 5000 boundary: Royston below, simulation above") {
  // At n = 5000 Royston's law is slightly conservative (rejection rate ~0.04 at alpha 0.05 in the
  // simulation), so at the boundary the p-value jumps: for the same 1 - W the simulated null at
  // n = 5001 gives a smaller p. Bound the jump: ratio within [0.5, 1.05] for Royston p from 0.5 down
  // to 1e-4 (measured: see the message).
  double lowest = 1.0;
  double highest = 0.0;
  for (double z = 0.0; z <= 3.7; z += 0.1) {
    // 1 - W at Royston's z-score z for n = 5000.
    const double l = std::log(5000.0);
    const double mean = -1.5861 - 0.31082 * l - 0.083751 * l * l + 0.0038915 * l * l * l;
    const double sd = std::exp(-0.4803 - 0.082676 * l + 0.0030302 * l * l);
    const double one_minus_w = std::exp(mean + z * sd);
    const double royston = royston_reference_p(5000.0, one_minus_w);
    const double simulated = embcheck::shapiro_wilk_null_p_value(5001, one_minus_w);
    lowest = std::min(lowest, simulated / royston);
    highest = std::max(highest, simulated / royston);
  }
  CHECK(lowest >= 0.5);
  CHECK(highest <= 1.05);
  MESSAGE("p(simulated, n = 5001) / p(Royston, n = 5000) at the same 1 - W: " << lowest << " to " << highest);
  // shapiro_wilk_test switches exactly there.
  const auto below =
      embcheck::shapiro_wilk_test(sorted_normal_row(5000, 7), embcheck::shapiro_wilk_coefficients(5000));
  const auto above =
      embcheck::shapiro_wilk_test(sorted_normal_row(5001, 7), embcheck::shapiro_wilk_coefficients(5001));
  CHECK(below.p_value == below.royston_p_value);
  CHECK(below.p_calibrated);
  CHECK(above.p_value == embcheck::shapiro_wilk_null_p_value(5001, above.one_minus_w));
  CHECK(above.p_calibrated);
}

TEST_CASE("simulated null reproduces the empirical quantiles of its simulation") {
  // Empirical quantiles of log(1 - W) (type 7) at levels 0.5, 0.95, 0.99 from
  // tests/calibration/shapiro_wilk_null_output.txt (R replicates per n as listed there). Tolerances:
  // the sampling error of an empirical quantile, sqrt(a (1 - a) / R) / density, times 4, i.e. in p
  // units 4 sqrt(a (1 - a) / R) around the level a.
  struct point {
    std::size_t n;
    double replicates;
    double q50, q95, q99;
  };
  const point points[] = {
      // {n, replicates, q50, q95, q99}
      {5000, 20000, -7.92307, -7.30288, -7.05178},      {7500, 20000, -8.30586, -7.68557, -7.43463},
      {10000, 20000, -8.57391, -7.95974, -7.71217},     {20000, 20000, -9.22828, -8.64376, -8.39279},
      {50000, 20000, -10.10122, -9.52358, -9.28636},    {100000, 20000, -10.75787, -10.19138, -9.93441},
      {200000, 10000, -11.42945, -10.87710, -10.63985}, {500000, 6000, -12.31730, -11.77330, -11.54753},
      {1000000, 2000, -12.96828, -12.43817, -12.18441}, {2000000, 1200, -13.63873, -13.09901, -12.88098},
      {5000000, 600, -14.53050, -14.03452, -13.82038},  {10000000, 400, -15.24378, -14.74661, -14.49188},
  };
  for (const auto& pt : points) {
    if (pt.n < embcheck::shapiro_wilk_null_min_n) continue;  // n = 5000 itself is Royston's
    for (const auto& [level, q] :
         {std::pair{0.5, pt.q50}, std::pair{0.95, pt.q95}, std::pair{0.99, pt.q99}}) {
      const double p = embcheck::shapiro_wilk_null_p_value(pt.n, std::exp(q));
      const double tolerance = 4.0 * std::sqrt(level * (1.0 - level) / pt.replicates);
      CHECK_MESSAGE(std::fabs(p - (1.0 - level)) <= tolerance,
                    "n " << pt.n << " level " << level << ": p " << p);
    }
  }
}

TEST_CASE("simulated null: 200 N(0,1) rows of n = 20000 on fresh seeds are calibrated") {
  // Seeds 4'000'000'000 + r, used neither by the fit (10^9 + ...) nor by the validation (2 10^9 + ...).
  // Acceptance: rejections at alpha 0.05 within [2, 21] and at 0.01 within [0, 8] (the central 99.9%
  // of Binomial(200, alpha), each tail <= 0.0005), and the KS test of uniformity of the 200 p-values
  // p > 0.001.
  constexpr std::size_t n = 20000;
  const embcheck::shapiro_wilk_coefficients coefficients(n);
  std::vector<double> p;
  for (std::uint64_t r = 0; r < 200; ++r) {
    const auto result = embcheck::shapiro_wilk_test(sorted_normal_row(n, 4'000'000'000 + r), coefficients);
    CHECK(result.p_calibrated);
    p.push_back(result.p_value);
  }
  const auto below = [&](double alpha) {
    return std::count_if(p.begin(), p.end(), [&](double v) { return v < alpha; });
  };
  CHECK(below(0.05) >= 2);
  CHECK(below(0.05) <= 21);
  CHECK(below(0.01) <= 8);
  std::sort(p.begin(), p.end());
  const double ks_p = embcheck::kolmogorov_smirnov_test(p).p_value;
  CHECK(ks_p > 0.001);
  MESSAGE("n = 20000, 200 rows: " << below(0.05) << " below 0.05, " << below(0.01) << " below 0.01, KS p "
                                  << ks_p);
}

TEST_CASE("simulated null: a Student t with 30 df at n = 800000 is rejected") {
  // t = Z / sqrt(chi2_30 / 30) rounded to float32, from a 31 x 800000 normal table (seed 5'000'000'000):
  // row 0 is Z, rows 1..30 make the chi-square. Excess kurtosis 6/26; the test must give p < 1e-3
  // (power at alpha 0.001 measured at 1.0 over the validation seeds, docs/shapiro_wilk_null.md).
  constexpr std::size_t n = 800000;
  embcheck::generate_spec spec;
  spec.rows = 31;
  spec.dim = n;
  spec.seed = 5'000'000'000;
  const auto normals = embcheck::generate_table(spec);
  std::vector<double> t(n);
  for (std::size_t i = 0; i < n; ++i) {
    double chi_square = 0.0;
    for (std::size_t row = 1; row < 31; ++row)
      chi_square += normals.value(row * n + i) * normals.value(row * n + i);
    t[i] = static_cast<float>(normals.value(i) / std::sqrt(chi_square / 30.0));
  }
  embcheck::sort_values(t, embcheck::element_type::float32);
  const auto result = embcheck::shapiro_wilk_test(t, embcheck::shapiro_wilk_coefficients(n));
  CHECK(result.p_calibrated);
  CHECK(result.p_value < 1e-3);
  MESSAGE("t(30), n = 800000: 1 - W " << result.one_minus_w << ", p " << result.p_value << " (Royston's "
                                      << result.royston_p_value << ")");
}
