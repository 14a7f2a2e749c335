// The array erfc and the normal CDF built on it (vector_math.cpp, null_hypothesis.cpp) against
// exact values (mpmath at 50 digits: tests/scripts/make_normal_cdf_fixtures.py writes
// tests/fixtures/vector_math/normal_cdf.json), and against glibc's scalar erfc within the 4 ulp
// that glibc documents for its vector functions. The array log, log1p and exp against exact
// values (tests/scripts/make_elementary_fixtures.py, tests/fixtures/vector_math/elementary.json)
// within those 4 ulp of the correctly rounded result.
//
// Tolerances: erfc within 1e-15 relative of the exact value (4 ulp is 9e-16), plus 1e-320
// absolute where it is subnormal; the CDF within 1e-15 of the scalar cdf() and within
// 1e-15 (1 + 2 t^2) relative of the exact value, t = (x - mean) / (std sqrt 2): rounding
// the argument t to a double moves erfc(t) by 2 t^2 times t's relative rounding error.

#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "embcheck/statistics/null_hypothesis.hpp"
#include "embcheck/statistics/vector_math.hpp"

namespace {

nlohmann::json fixture(const char* name = "normal_cdf.json") {
  std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR "/vector_math/") + name);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

/// The fixture's exact values (decimal strings) as doubles.
std::vector<double> exact_values(const nlohmann::json& strings) {
  std::vector<double> out;
  for (const auto& s : strings) out.push_back(std::strtod(s.get<std::string>().c_str(), nullptr));
  return out;
}

bool close(double ours, double reference, double rel) {
  return std::abs(ours - reference) <= rel * std::abs(reference) + 1e-320;
}

std::int64_t ulps_apart(double a, double b) {
  const auto ia = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(a));
  const auto ib = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(b));
  return ia > ib ? ia - ib : ib - ia;
}

}  // namespace

TEST_CASE("erfc_values matches the exact erfc and glibc's scalar erfc, at every length") {
  const auto f = fixture();
  const auto x = f.at("x").get<std::vector<double>>();
  const auto want = exact_values(f.at("erfc"));
  REQUIRE(x.size() == want.size());
  MESSAGE("vector math in use: " << embcheck::detail::vector_math_in_use());
  std::vector<double> got(x.size());
  embcheck::detail::erfc_values(x.data(), got.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    INFO("x = " << x[i] << ", ours " << got[i] << ", exact " << want[i]);
    CHECK(close(got[i], want[i], 1e-15));
    CHECK(ulps_apart(got[i], std::erfc(x[i])) <= 4);
  }
  // Lengths 0 to 9 (the last group of four padded) and in place: the same values.
  for (std::size_t n = 0; n <= 9; ++n) {
    std::vector<double> part(x.begin() + 100, x.begin() + 100 + static_cast<std::ptrdiff_t>(n));
    embcheck::detail::erfc_values(part.data(), part.data(), n);
    for (std::size_t i = 0; i < n; ++i) CHECK(part[i] == got[100 + i]);
  }
}

TEST_CASE("log_values, log1p_values and exp_values are within 4 ulp of the exact values, at every length") {
  const auto f = fixture("elementary.json");
  using array_function = void (*)(const double*, double*, std::size_t) noexcept;
  const std::pair<const char*, array_function> functions[] = {{"log", embcheck::detail::log_values},
                                                              {"log1p", embcheck::detail::log1p_values},
                                                              {"exp", embcheck::detail::exp_values}};
  for (const auto& [name, apply] : functions) {
    const auto x = f.at(name).at("x").get<std::vector<double>>();
    const auto want = exact_values(f.at(name).at("exact"));
    REQUIRE(x.size() == want.size());
    REQUIRE(x.size() > 1000);
    std::vector<double> got(x.size());
    apply(x.data(), got.data(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      INFO(name << "(" << x[i] << "): ours " << got[i] << ", exact " << want[i]);
      CHECK(ulps_apart(got[i], want[i]) <= 4);
    }
    for (std::size_t n = 0; n <= 9; ++n) {
      std::vector<double> part(x.begin() + 10, x.begin() + 10 + static_cast<std::ptrdiff_t>(n));
      apply(part.data(), part.data(), n);
      for (std::size_t i = 0; i < n; ++i) CHECK(part[i] == got[10 + i]);
    }
  }
}

TEST_CASE("log_values_accurate: within 1 ulp of the exact log, 2^-60 near 1, unbiased against glibc's log") {
  const auto f = fixture("elementary.json");
  const auto x = f.at("log").at("x").get<std::vector<double>>();
  const auto want = exact_values(f.at("log").at("exact"));
  std::vector<double> got(x.size());
  embcheck::detail::log_values_accurate(x.data(), got.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    INFO("log(" << x[i] << "): ours " << got[i] << ", exact " << want[i]);
    CHECK(std::abs(got[i] - want[i]) <= 0x1p-60 + 0x1p-52 * std::abs(want[i]));
    if (std::abs(want[i]) >= 0.1) CHECK(ulps_apart(got[i], want[i]) <= 1);
  }
  // Anderson-Darling's products u (1 - u') in (0, 1]: within 1 ulp of glibc's log (itself
  // within 0.52 ulp of the exact value) and no lean, which the sum of n weighted terms would
  // turn into an error of n times the mean.
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> exponent(-40.0, 0.0);
  std::vector<double> products(200003);
  for (double& p : products) p = std::exp2(exponent(rng));
  std::vector<double> logs(products.size());
  embcheck::detail::log_values_accurate(products.data(), logs.data(), products.size());
  double lean = 0.0;
  double worst = 0.0;  // in units of max(1 ulp, 2^-60)
  std::size_t away_from_1 = 0;
  for (std::size_t i = 0; i < products.size(); ++i) {
    const double reference = std::log(products[i]);
    const double ulp = std::nextafter(std::abs(reference), HUGE_VAL) - std::abs(reference);
    worst = std::max(worst, std::abs(logs[i] - reference) / std::max(ulp, 0x1p-60));
    if (products[i] > 0.9) continue;  // log near 0: held to 2^-60 absolute only
    lean += (logs[i] - reference) / ulp;
    ++away_from_1;
  }
  REQUIRE(away_from_1 > 190000);
  lean /= static_cast<double>(away_from_1);
  MESSAGE("largest difference from glibc's log: " << worst << " ulp; mean " << lean << " ulp");
  CHECK(worst <= 1.0);
  CHECK(std::abs(lean) < 0.01);
}

TEST_CASE(
    "log_values_accurate in place, at every length, with zeros, subnormals, negatives, NaN and Inf in any "
    "lane") {
  const std::vector<double> odd{0.0,      5e-324, -1.0,  std::numeric_limits<double>::quiet_NaN(),
                                HUGE_VAL, -0.0,   1e-310};
  for (std::size_t n = 0; n <= 9; ++n) {
    for (std::size_t at = 0; at < std::max<std::size_t>(n, 1); ++at) {
      for (const double special : odd) {
        std::vector<double> x(n);
        for (std::size_t i = 0; i < n; ++i) x[i] = 0.03 * static_cast<double>(i + 1);
        if (n > 0) x[at] = special;
        std::vector<double> y = x;
        embcheck::detail::log_values_accurate(y.data(), y.data(), n);
        for (std::size_t i = 0; i < n; ++i) {
          INFO("n " << n << " lane " << i << " x " << x[i] << " got " << y[i]);
          if (i == at) {
            const double want = std::log(x[i]);
            CHECK(((std::isnan(want) && std::isnan(y[i])) || y[i] == want));
          } else {
            CHECK(ulps_apart(y[i], std::log(x[i])) <= 1);
          }
        }
      }
    }
  }
}

TEST_CASE("null_hypothesis::cdf_in_place matches the exact normal CDF and the scalar cdf") {
  const auto f = fixture();
  for (const auto& c : f.at("cdf")) {
    const embcheck::null_hypothesis null{embcheck::null_family::normal, c.at("mean").get<double>(),
                                         c.at("std").get<double>(), false};
    auto values = c.at("x").get<std::vector<double>>();
    const auto x = values;
    const auto want = exact_values(c.at("cdf"));
    null.cdf_in_place(values);
    for (std::size_t i = 0; i < values.size(); ++i) {
      INFO("mean " << null.a << " std " << null.b << " x = " << x[i] << ", ours " << values[i] << ", exact "
                   << want[i]);
      const double t = (x[i] - null.a) / (null.b * std::sqrt(2.0));
      CHECK(close(values[i], want[i], 1e-15 * (1.0 + 2.0 * t * t)));
      CHECK(close(values[i], null.cdf(x[i]), 1e-15));
    }
  }
  // The uniform null: the scalar cdf, clamped to [0, 1].
  const embcheck::null_hypothesis uniform{embcheck::null_family::uniform, -1.0, 3.0, false};
  std::vector<double> values{-2.0, -1.0, 0.0, 1.0, 3.0, 4.0};
  uniform.cdf_in_place(values);
  CHECK(values == std::vector<double>{0.0, 0.0, 0.25, 0.5, 1.0, 1.0});
}
