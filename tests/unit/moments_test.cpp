// compute_moments against NumPy 1.24 / SciPy 1.10 (float64); fixture from
// tests/scripts/make_moments_fixtures.py.
#include "embcheck/statistics/moments.hpp"

#include <doctest/doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

nlohmann::json load() {
  std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR) + "/moments/moments.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

double decode(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  const auto text = value.get<std::string>();
  if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (text == "inf") return std::numeric_limits<double>::infinity();
  if (text == "-inf") return -std::numeric_limits<double>::infinity();
  FAIL("bad value " << text);
  return 0.0;
}

struct worst_errors {
  double mean_variance = 0.0;
  double shape = 0.0;
};

// Tolerances: mean, variances, std: 1e-12 relative; min, max: exact; skewness and excess kurtosis:
// |error| <= 1e-9 |expected| + 1e-12 (absolute near 0). NaN expected means NaN required.
void check_row(const nlohmann::json& row, const embcheck::moments& m, worst_errors& worst) {
  const auto& e = row.at("expected");
  const auto name = row.at("name").get<std::string>();
  INFO(name);
  CHECK(m.n == e.at("n").get<std::size_t>());
  CHECK(m.finite == e.at("finite").get<std::size_t>());
  CHECK(m.nan == e.at("nan").get<std::size_t>());
  CHECK(m.positive_infinity == e.at("positive_infinity").get<std::size_t>());
  CHECK(m.negative_infinity == e.at("negative_infinity").get<std::size_t>());
  CHECK(m.zeros == e.at("zeros").get<std::size_t>());
  CHECK(m.subnormals == e.at("subnormals").get<std::size_t>());
  CHECK(m.nonfinite() == m.n - m.finite);

  const double min = decode(e.at("min"));
  const double max = decode(e.at("max"));
  if (std::isnan(min)) {
    CHECK(std::isnan(m.min));
    CHECK(std::isnan(m.max));
  } else {
    CHECK(m.min == min);
    CHECK(m.max == max);
  }
  if (min == max) {
    // Constant rows: exact by definition (numpy's mean may be an ulp off, its variance 1e-34).
    CHECK(m.mean == min);
    CHECK(m.mean == doctest::Approx(decode(e.at("mean"))).epsilon(1e-15));
    CHECK(m.variance == 0.0);
    CHECK(std::isnan(m.skewness));
    CHECK(std::isnan(m.excess_kurtosis));
    if (m.finite >= 2) {
      CHECK(m.sample_variance == 0.0);
      CHECK(m.std == 0.0);
    } else {
      CHECK(std::isnan(m.sample_variance));
      CHECK(std::isnan(m.std));
    }
    return;
  }
  auto relative = [&](const char* key, double got) {
    const double expected = decode(e.at(key));
    INFO(key << ": got " << got << " expected " << expected);
    if (std::isnan(expected)) {
      CHECK(std::isnan(got));
      return;
    }
    const double error = std::fabs(got - expected) / std::fabs(expected);
    worst.mean_variance = std::max(worst.mean_variance, error);
    CHECK(error <= 1e-12);
  };
  relative("mean", m.mean);
  relative("variance", m.variance);
  relative("sample_variance", m.sample_variance);
  relative("std", m.std);
  auto shape = [&](const char* key, double got) {
    const double expected = decode(e.at(key));
    INFO(key << ": got " << got << " expected " << expected);
    if (std::isnan(expected)) {
      CHECK(std::isnan(got));
      return;
    }
    const double error = std::fabs(got - expected);
    worst.shape = std::max(worst.shape, error / std::max(std::fabs(expected), 1e-3));
    CHECK(error <= 1e-9 * std::fabs(expected) + 1e-12);
  };
  shape("skewness", m.skewness);
  shape("excess_kurtosis", m.excess_kurtosis);
}

}  // namespace

TEST_CASE("moments and counts match NumPy/SciPy") {
  const auto fixture = load();
  worst_errors worst;
  std::size_t rows = 0;
  for (const auto& row : fixture.at("rows")) {
    if (!row.contains("values")) continue;
    std::vector<double> values;
    for (const auto& v : row.at("values")) values.push_back(decode(v));
    const auto m = embcheck::compute_moments(values, row.at("smallest_normal").get<double>());
    check_row(row, m, worst);
    ++rows;
  }
  CHECK(rows >= 14);
  MESSAGE("max relative error: mean/variance/std " << worst.mean_variance << ", skewness/kurtosis "
                                                   << worst.shape << " (relative, floor 1e-3)");
}

TEST_CASE("800000 float32 values with offset 1000 (the accumulate-in-float pitfall)") {
  const auto fixture = load();
  for (const auto& row : fixture.at("rows")) {
    if (row.contains("values")) continue;
    const auto n = row.at("size").get<std::size_t>();
    std::vector<double> values(n);
    std::uint64_t state = row.at("park_miller_seed").get<std::uint64_t>();
    for (double& v : values) {
      state = state * 16807 % 2147483647;
      const double u1 = static_cast<double>(state) / 2147483647.0;
      state = state * 16807 % 2147483647;
      const double u2 = static_cast<double>(state) / 2147483647.0;
      v = static_cast<double>(static_cast<float>(1000.0 + 4.0 * u1 * u1 + u2));
    }
    for (const auto& [index, value] : row.at("probes").items()) {
      CHECK(values[std::stoul(index)] == value.get<double>());
    }
    worst_errors worst;
    check_row(row, embcheck::compute_moments(values, FLT_MIN), worst);
    MESSAGE("float32 offset 1000, n = 800000: max relative error mean/variance/std "
            << worst.mean_variance << ", skew/kurtosis " << worst.shape);
  }
}

TEST_CASE("constant rows are exact; the shift does not depend on leading non-finite values") {
  const std::vector<double> constant(1000, 0.1);
  const auto m = embcheck::compute_moments(constant, DBL_MIN);
  CHECK(m.mean == 0.1);
  CHECK(m.variance == 0.0);
  CHECK(m.std == 0.0);
  CHECK(std::isnan(m.skewness));
  // Permuting values does not change the moments beyond rounding.
  const std::vector<double> a{std::nan(""), 3.0, 1.0, 2.0, 10.0, -4.0};
  const std::vector<double> b{-4.0, 10.0, 2.0, 1.0, 3.0, std::nan("")};
  const auto ma = embcheck::compute_moments(a, DBL_MIN);
  const auto mb = embcheck::compute_moments(b, DBL_MIN);
  CHECK(ma.mean == doctest::Approx(mb.mean).epsilon(1e-15));
  CHECK(ma.variance == doctest::Approx(mb.variance).epsilon(1e-15));
  CHECK(ma.skewness == doctest::Approx(mb.skewness).epsilon(1e-14));
  CHECK(ma.excess_kurtosis == doctest::Approx(mb.excess_kurtosis).epsilon(1e-14));
  CHECK(ma.mean == doctest::Approx(12.0 / 5.0).epsilon(1e-15));
}
