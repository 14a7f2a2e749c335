// Shapiro-Wilk (AS R94) against R 4.2's shapiro.test; fixtures from
// tests/scripts/make_shapiro_wilk_fixtures.R (shapiro_wilk.json: 3 <= n <= 5000;
// shapiro_wilk_large.json: n = 800000, reference W from the script's plain-R implementation).
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
#include "embcheck/statistics/normal_quantile.hpp"

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

TEST_CASE("n = 800000: W and 1 - W match the R reference, p is Royston's extrapolation, uncalibrated") {
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
    CHECK(result.p_value == doctest::Approx(c.at("p").get<double>()).epsilon(1e-9));
    CHECK_FALSE(result.p_calibrated);
    MESSAGE(name << ": relative error of 1 - W vs R reference " << e);
  }
}
