// Tests of the two-sample KS and k-sample Anderson-Darling tests against SciPy 1.10
// (tests/scripts/make_two_sample_fixtures.py writes tests/fixtures/two_sample/reference.json).
// Tolerances: statistics to 1e-12 relative (same arithmetic, different summation order); exact KS
// p-values to 1e-9 relative; asymptotic KS p-values to 1e-9 relative (kstwo.sf is ours, tested
// elsewhere); Anderson-Darling p-values to 1e-9 relative (quadratic fit solved differently).

#include "embcheck/statistics/two_sample.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "embcheck/error.hpp"

namespace {

const nlohmann::json& reference() {
  static const nlohmann::json json = [] {
    std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR) + "/two_sample/reference.json");
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
  }();
  return json;
}

std::vector<double> numbers(const nlohmann::json& list) {
  std::vector<double> out;
  for (const auto& v : list) out.push_back(std::stod(v.get<std::string>()));
  return out;
}

double number(const nlohmann::json& v) { return std::stod(v.get<std::string>()); }

bool close(double actual, double expected, double relative) {
  return std::abs(actual - expected) <= relative * std::abs(expected) + 1e-300;
}

}  // namespace

TEST_CASE("ks_2samp matches scipy.stats.ks_2samp") {
  const auto& cases = reference().at("ks_2samp");
  REQUIRE(cases.size() >= 10);
  for (const auto& c : cases) {
    const std::vector<double> a = numbers(c.at("a"));
    const std::vector<double> b = numbers(c.at("b"));
    CAPTURE(a.size());
    CAPTURE(b.size());
    const embcheck::ks_2samp_result r = embcheck::ks_2samp(a, b);
    CHECK(close(r.statistic, number(c.at("statistic")), 1e-12));
    CHECK(close(r.p_value, number(c.at("p_value")), 1e-9));
    CHECK((r.method == embcheck::ks_method::exact) == (c.at("method") == "exact"));
  }
}

TEST_CASE("anderson_ksamp matches scipy.stats.anderson_ksamp") {
  const auto& cases = reference().at("anderson_ksamp");
  REQUIRE(cases.size() >= 8);
  for (const auto& c : cases) {
    std::vector<std::vector<double>> samples;
    for (const auto& s : c.at("samples")) samples.push_back(numbers(s));
    const std::vector<std::span<const double>> views(samples.begin(), samples.end());
    const embcheck::anderson_ksamp_result r = embcheck::anderson_ksamp(views);
    CAPTURE(samples.size());
    CAPTURE(samples[0].size());
    CHECK(close(r.statistic, number(c.at("statistic")), 1e-12));
    for (std::size_t i = 0; i < 7; ++i)
      CHECK(close(r.critical_values[i], number(c.at("critical_values")[i]), 1e-14));
    const double p = number(c.at("p_value"));
    CHECK(close(r.p_value, p, 1e-9));
    CHECK(r.p_at_least == (p == 0.25));
    CHECK(r.p_at_most == (p == 0.001));
  }
}

TEST_CASE("two-sample tests reject unusable input") {
  const std::vector<double> empty;
  const std::vector<double> one = {1.0};
  CHECK_THROWS_AS((void)embcheck::ks_2samp(empty, one), embcheck::error);
  const std::vector<std::span<const double>> single = {one};
  CHECK_THROWS_AS((void)embcheck::anderson_ksamp(single), embcheck::error);
  const std::vector<std::span<const double>> constant = {one, one};
  CHECK_THROWS_AS((void)embcheck::anderson_ksamp(constant), embcheck::error);
}
