// Composite-null normality tests (Lilliefors, Anderson-Darling, Shapiro-Francia) against R's
// nortest 1.0.4 (lillie.test, ad.test, sf.test); fixtures from tests/scripts/make_composite_fixtures.R
// (composite.json: 5 <= n <= 5000; composite_large.json: n = 800000, a Park-Miller sample rebuilt here).
// Also a Monte Carlo calibration check with fixed seeds; the full calibration table of
// docs/composite_tests.md is the skipped test case at the end (run with --no-skip).
#include "embcheck/statistics/composite_tests.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/statistics/kolmogorov_smirnov.hpp"
#include "embcheck/statistics/normal_quantile.hpp"

namespace {

nlohmann::json load(const char* name) {
  std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR) + "/composite/" + name);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

double relative_error(double got, double expected) {
  if (got == expected) return 0.0;
  return std::fabs(got - expected) / std::max(std::fabs(expected), std::numeric_limits<double>::min());
}

// Park-Miller minimal standard integers through the normal quantile, as the R script.
std::vector<double> park_miller_normal(std::size_t n, std::uint64_t seed) {
  std::vector<double> x(n);
  std::uint64_t state = seed;
  for (double& v : x) {
    state = state * 16807 % 2147483647;
    v = embcheck::normal_quantile(static_cast<double>(state) / 2147483647.0);
  }
  return x;
}

// N(mean, sd) sample: 53-bit uniforms in (0, 1) from mt19937_64 through the normal quantile.
std::vector<double> normal_sample(std::mt19937_64& engine, std::size_t n, double mean, double sd) {
  std::vector<double> x(n);
  for (double& v : x) {
    const double u = (static_cast<double>(engine() >> 11) + 0.5) * 0x1p-53;
    v = mean + sd * embcheck::normal_quantile(u);
  }
  std::sort(x.begin(), x.end());
  return x;
}

// Plain KS p-value with the mean and sd estimated from the sample: the wrong test that the
// composite tests replace (far too conservative).
double ks_estimated_p_value(const std::vector<double>& sorted) {
  const auto standardize = embcheck::detail::make_standardizer(sorted);
  std::vector<double> cdf(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    cdf[i] = 0.5 * std::erfc(-standardize(sorted[i]) * (0.5 * std::numbers::sqrt2));
  }
  return embcheck::kolmogorov_smirnov_test(cdf).p_value;
}

// Wilson score interval for a binomial proportion k / n with normal quantile z.
std::pair<double, double> wilson(std::size_t k, std::size_t n, double z) {
  const double an = static_cast<double>(n);
  const double p = static_cast<double>(k) / an;
  const double centre = (p + z * z / (2 * an)) / (1 + z * z / an);
  const double half = z / (1 + z * z / an) * std::sqrt(p * (1 - p) / an + z * z / (4 * an * an));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

struct rejections {
  std::size_t at_05 = 0;
  std::size_t at_01 = 0;
  void add(double p) {
    at_05 += p < 0.05 ? 1 : 0;
    at_01 += p < 0.01 ? 1 : 0;
  }
};

struct calibration {
  std::size_t replicates = 0;
  rejections lilliefors, anderson_darling, shapiro_francia, ks_estimated;
};

calibration run_calibration(std::size_t n, std::size_t replicates, std::uint64_t seed, double mean,
                            double sd) {
  std::mt19937_64 engine(seed);
  const embcheck::shapiro_francia_scores scores(n);
  calibration c;
  c.replicates = replicates;
  for (std::size_t r = 0; r < replicates; ++r) {
    const auto x = normal_sample(engine, n, mean, sd);
    c.lilliefors.add(embcheck::lilliefors_test(x).p_value);
    c.anderson_darling.add(embcheck::anderson_darling_composite_test(x).p_value);
    c.shapiro_francia.add(embcheck::shapiro_francia_test(x, scores).p_value);
    c.ks_estimated.add(ks_estimated_p_value(x));
  }
  return c;
}

}  // namespace

TEST_CASE("Lilliefors, Anderson-Darling and Shapiro-Francia match nortest for 5 <= n <= 5000") {
  const auto fixture = load("composite.json");
  std::map<std::size_t, embcheck::shapiro_francia_scores> scores;
  double worst[6] = {};
  std::size_t cases = 0;
  for (const auto& c : fixture.at("cases")) {
    const auto name = c.at("name").get<std::string>();
    const auto x = c.at("x").get<std::vector<double>>();
    REQUIRE(std::is_sorted(x.begin(), x.end()));
    const std::size_t n = x.size();
    ++cases;
    const auto check = [&](double got, double expected, double tolerance, double& worst_seen,
                           const char* what) {
      const double e = relative_error(got, expected);
      worst_seen = std::max(worst_seen, e);
      CHECK_MESSAGE(e <= tolerance,
                    name << ": " << std::string(what) << " " << got << " nortest " << expected);
    };
    // Tolerances: 1e-10 relative for Lilliefors and Anderson-Darling, 1e-9 for Shapiro-Francia (brief).
    const auto lf = embcheck::lilliefors_test(x);
    check(lf.statistic, c.at("lilliefors_d").get<double>(), 1e-10, worst[0], "Lilliefors D");
    check(lf.p_value, c.at("lilliefors_p").get<double>(), 1e-10, worst[1], "Lilliefors p");
    CHECK(lf.p_calibrated);
    CHECK_FALSE(lf.p_is_upper_bound);
    if (n >= 8) {
      const auto ad = embcheck::anderson_darling_composite_test(x);
      check(ad.statistic, c.at("ad_a").get<double>(), 1e-10, worst[2], "AD A");
      check(ad.p_value, c.at("ad_p").get<double>(), 1e-10, worst[3], "AD p");
      CHECK(ad.p_is_upper_bound == (c.at("ad_p").get<double>() == 3.7e-24));
    } else {
      CHECK_THROWS_AS((void)embcheck::anderson_darling_composite_test(x), embcheck::error);
    }
    const auto& sfs = scores.try_emplace(n, n).first->second;
    const auto sf = embcheck::shapiro_francia_test(x, sfs);
    check(sf.statistic, c.at("sf_w").get<double>(), 1e-9, worst[4], "SF W'");
    // 1 - W' against the script's residual-form reference (sf.test's own 1 - cor^2 agrees to 1e-9).
    check(1.0 - sf.statistic, c.at("sf_one_minus_w").get<double>(), 1e-9, worst[4], "SF 1 - W'");
    check(sf.p_value, c.at("sf_p").get<double>(), 1e-9, worst[5], "SF p");
    CHECK(sf.p_calibrated);
  }
  CHECK(cases >= 150);
  MESSAGE("cases " << cases << ", max relative error vs nortest: Lilliefors D " << worst[0] << " p "
                   << worst[1] << "; AD A " << worst[2] << " p " << worst[3] << "; SF W' and 1 - W' "
                   << worst[4] << " p " << worst[5]);
}

TEST_CASE("n = 800000: statistics and p-values match the R reference") {
  const auto fixture = load("composite_large.json");
  const auto n = fixture.at("n").get<std::size_t>();
  auto x = park_miller_normal(n, fixture.at("park_miller_seed").get<std::uint64_t>());
  std::sort(x.begin(), x.end());
  const embcheck::shapiro_francia_scores scores(n);
  const auto probes = fixture.at("probe_indices").get<std::vector<std::size_t>>();
  for (const auto& c : fixture.at("cases")) {
    const auto name = c.at("name").get<std::string>();
    std::vector<double> y(x);
    if (name == "float32_offset_1000") {
      for (double& v : y) v = static_cast<double>(static_cast<float>(1000.0 + v));
    } else if (name == "mixture_1pct") {
      for (std::size_t k = 99; k < n; k += 100) y[k] *= 3.0;  // every 100th of the sorted sample, as R
    }
    std::sort(y.begin(), y.end());
    const auto expected_probes = c.at("probes").get<std::vector<double>>();
    for (std::size_t k = 0; k < probes.size(); ++k) CHECK(y[probes[k]] == expected_probes[k]);

    // Tolerances: D and its p 1e-10 relative. A: 1e-9, since R's -n - mean(h) rounds mean(h) ~ -8e5 to
    // a double (ulp 1.2e-10), so nortest's own A carries up to ~1e-10 relative error here. SF: 1e-9.
    const auto lf = embcheck::lilliefors_test(y);
    CHECK_MESSAGE(relative_error(lf.statistic, c.at("lilliefors_d").get<double>()) <= 1e-10, name);
    CHECK_MESSAGE(relative_error(lf.p_value, c.at("lilliefors_p").get<double>()) <= 1e-10, name);
    const auto ad = embcheck::anderson_darling_composite_test(y);
    CHECK_MESSAGE(relative_error(ad.statistic, c.at("ad_a").get<double>()) <= 1e-9, name);
    if (ad.p_is_upper_bound) {
      CHECK(c.at("ad_p").get<double>() == 3.7e-24);
    } else {
      CHECK_MESSAGE(relative_error(ad.p_value, c.at("ad_p").get<double>()) <= 1e-9, name);
    }
    const auto sf = embcheck::shapiro_francia_test(y, scores);
    CHECK_MESSAGE(relative_error(1.0 - sf.statistic, c.at("sf_one_minus_w").get<double>()) <= 1e-9, name);
    CHECK_MESSAGE(relative_error(sf.p_value, c.at("sf_p").get<double>()) <= 1e-9, name);
    CHECK_FALSE(sf.p_calibrated);
    MESSAGE(name << ": relative errors D " << relative_error(lf.statistic, c.at("lilliefors_d").get<double>())
                 << " A " << relative_error(ad.statistic, c.at("ad_a").get<double>()) << " 1 - W' "
                 << relative_error(1.0 - sf.statistic, c.at("sf_one_minus_w").get<double>()));
  }
}

TEST_CASE("Lilliefors' block shortcut gives the D of a full pass, bit for bit") {
  std::mt19937_64 engine(7);
  for (std::size_t n : {5u, 31u, 32u, 33u, 64u, 65u, 1000u, 4097u, 100000u}) {
    for (int shape = 0; shape < 3; ++shape) {
      auto x = normal_sample(engine, n, 0.0, 1.0);
      if (shape == 1) {
        for (double& v : x) v = std::exp(v);  // skewed: D sits in the body
      } else if (shape == 2) {
        for (double& v : x) v = std::round(v * 4.0);  // ties: flat stretches of Phi
      }
      std::sort(x.begin(), x.end());
      if (x.front() == x.back()) continue;
      const auto standardize = embcheck::detail::make_standardizer(x);
      const double an = static_cast<double>(n);
      double d = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        const double phi = 0.5 * std::erfc(-standardize(x[i]) * (0.5 * std::numbers::sqrt2));
        d = std::max({d, (static_cast<double>(i) + 1.0) / an - phi, phi - static_cast<double>(i) / an});
      }
      CHECK_MESSAGE(embcheck::lilliefors_test(x).statistic == d, "n " << n << " shape " << shape);
    }
  }
}

TEST_CASE("location-scale invariance at extreme scales; Shapiro-Francia above 5000") {
  std::mt19937_64 engine(11);
  const auto x = normal_sample(engine, 200, 0.0, 1.0);
  const auto l0 = embcheck::lilliefors_test(x);
  const auto a0 = embcheck::anderson_darling_composite_test(x);
  const auto s0 = embcheck::shapiro_francia_test(x);
  // Powers of two keep the values exact: the range overflows (2^1020) or the squares underflow
  // (2^-1060: subnormal, the values keep only ~14 bits, so 1e-3 there); a sign flip reverses the sample.
  for (double factor : {0x1p1020, 0x1p-1000, -1.0, 0x1p-1060}) {
    std::vector<double> y(x);
    for (double& v : y) v *= factor;
    std::sort(y.begin(), y.end());
    const double tolerance = factor == 0x1p-1060 ? 1e-3 : 1e-12;
    CHECK(embcheck::lilliefors_test(y).statistic == doctest::Approx(l0.statistic).epsilon(tolerance));
    CHECK(embcheck::anderson_darling_composite_test(y).statistic ==
          doctest::Approx(a0.statistic).epsilon(tolerance));
    CHECK(embcheck::shapiro_francia_test(y).statistic == doctest::Approx(s0.statistic).epsilon(tolerance));
  }
  const auto big = normal_sample(engine, 5001, 0.0, 1.0);
  const auto sf = embcheck::shapiro_francia_test(big);
  CHECK_FALSE(sf.p_calibrated);
  CHECK(sf.statistic < 1.0);
  CHECK(sf.p_value > 0.0);
}

TEST_CASE("invalid input throws") {
  const std::vector<double> four{1.0, 2.0, 3.0, 4.0};
  const std::vector<double> seven{1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0};
  const std::vector<double> constant(10, 2.5);
  const std::vector<double> infinite{1.0, 2.0, 3.0, 4.0, 5.0,
                                     6.0, 7.0, 8.0, 9.0, std::numeric_limits<double>::infinity()};
  CHECK_THROWS_AS((void)embcheck::lilliefors_test(four), embcheck::error);
  CHECK_THROWS_AS((void)embcheck::anderson_darling_composite_test(seven), embcheck::error);
  CHECK_THROWS_AS((void)embcheck::shapiro_francia_test(four), embcheck::error);
  CHECK_THROWS_AS(embcheck::shapiro_francia_scores(4), embcheck::error);
  for (const auto* sample : {&constant, &infinite}) {
    CHECK_THROWS_AS((void)embcheck::lilliefors_test(*sample), embcheck::error);
    CHECK_THROWS_AS((void)embcheck::anderson_darling_composite_test(*sample), embcheck::error);
    CHECK_THROWS_AS((void)embcheck::shapiro_francia_test(*sample), embcheck::error);
  }
  const embcheck::shapiro_francia_scores scores(8);
  CHECK_THROWS_AS((void)embcheck::shapiro_francia_test(seven, scores), embcheck::error);
}

TEST_CASE(
    "calibration on N(3, 0.1): rejection rates within 99.9% binomial bands; plain KS far too conservative") {
  // Fixed seeds, so deterministic; each band is alpha +- 3.29 sd of a binomial proportion, which a
  // test miscalibrated by a factor of 1.5 at alpha 0.05 would leave.
  const double z = 3.2905;
  for (const auto& [n, replicates] :
       {std::pair<std::size_t, std::size_t>{10, 4000}, {100, 3000}, {1000, 1000}}) {
    const auto c = run_calibration(n, replicates, 1000 + n, 3.0, 0.1);
    const double r = static_cast<double>(replicates);
    for (const auto& [name, rej] : {std::pair<const char*, rejections>{"Lilliefors", c.lilliefors},
                                    {"Anderson-Darling", c.anderson_darling},
                                    {"Shapiro-Francia", c.shapiro_francia}}) {
      for (const auto& [alpha, count] :
           {std::pair<double, std::size_t>{0.05, rej.at_05}, {0.01, rej.at_01}}) {
        const double half = z * std::sqrt(alpha * (1 - alpha) / r);
        const double rate = static_cast<double>(count) / r;
        CHECK_MESSAGE(std::fabs(rate - alpha) <= half,
                      name << " n " << n << " alpha " << alpha << ": rejection rate " << rate);
      }
    }
    // Plain KS with estimated parameters: rejection rate at 0.05 near zero.
    CHECK_MESSAGE(static_cast<double>(c.ks_estimated.at_05) / r < 0.005, "n " << n);
  }
}

TEST_CASE("full calibration table for docs/composite_tests.md" * doctest::skip()) {
  // Run: composite_tests_test --no-skip -tc="full calibration*"  (about 3 minutes in Release).
  std::ostringstream table;
  table << "| n | replicates | test | reject at 0.05 [99% CI] | reject at 0.01 [99% CI] |\n"
        << "|---|---|---|---|---|\n";
  const double z99 = 2.5758;
  for (const auto& [n, replicates] : {std::pair<std::size_t, std::size_t>{10, 2000},
                                      {100, 2000},
                                      {1000, 2000},
                                      {5000, 2000},
                                      {100000, 2000},
                                      {800000, 400}}) {
    const auto c = run_calibration(n, replicates, 2024 + n, 3.0, 0.1);
    for (const auto& [name, rej] : {std::pair<const char*, rejections>{"Lilliefors", c.lilliefors},
                                    {"Anderson-Darling", c.anderson_darling},
                                    {"Shapiro-Francia", c.shapiro_francia},
                                    {"plain KS, estimated mean/sd", c.ks_estimated}}) {
      const auto [lo5, hi5] = wilson(rej.at_05, replicates, z99);
      const auto [lo1, hi1] = wilson(rej.at_01, replicates, z99);
      char line[256];
      std::snprintf(line, sizeof line, "| %zu | %zu | %s | %.4f [%.4f, %.4f] | %.4f [%.4f, %.4f] |\n", n,
                    replicates, name, static_cast<double>(rej.at_05) / static_cast<double>(replicates), lo5,
                    hi5, static_cast<double>(rej.at_01) / static_cast<double>(replicates), lo1, hi1);
      table << line;
    }
  }
  MESSAGE("\n" << table.str());
}

TEST_CASE("timing on a sorted row of 800000 (informational)" * doctest::skip()) {
  // Run: composite_tests_test --no-skip -tc="timing*"
  auto x = park_miller_normal(800000, 5);
  std::sort(x.begin(), x.end());
  const auto time = [](auto&& f) {
    double best = 1e300;
    for (int r = 0; r < 5; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      f();
      best = std::min(
          best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    return best;
  };
  double sink = 0.0;
  const double t_scores = time([&] { sink += embcheck::shapiro_francia_scores(x.size()).sum_of_squares(); });
  const embcheck::shapiro_francia_scores scores(x.size());
  const double t_l = time([&] { sink += embcheck::lilliefors_test(x).p_value; });
  const double t_a = time([&] { sink += embcheck::anderson_darling_composite_test(x).p_value; });
  const double t_s = time([&] { sink += embcheck::shapiro_francia_test(x, scores).p_value; });
  MESSAGE("ms (best of 5): Lilliefors " << t_l << ", Anderson-Darling " << t_a << ", Shapiro-Francia " << t_s
                                        << ", Shapiro-Francia scores (once per n) " << t_scores << " ["
                                        << sink << "]");
}
