// normal_quantile (AS 241) against R 4.2's qnorm; fixture from tests/scripts/make_shapiro_wilk_fixtures.R.
#include "embcheck/statistics/normal_quantile.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

namespace {

nlohmann::json load(const char* name) {
  std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR) + "/shapiro_wilk/" + name);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("normal_quantile matches R's qnorm over p in [1e-300, 1 - 2^-53]") {
  const auto fixture = load("normal_quantile.json");
  const auto p = fixture.at("p").get<std::vector<double>>();
  const auto q = fixture.at("q").get<std::vector<double>>();
  REQUIRE(p.size() == q.size());
  REQUIRE(p.size() > 800);
  // Same algorithm and coefficients as R: 1e-15 relative (measured max: see the report), or
  // 1e-15 absolute at p = 0.5 where the quantile is 0.
  double worst = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double got = embcheck::normal_quantile(p[i]);
    const double error = std::fabs(got - q[i]) / std::max(std::fabs(q[i]), 1.0);
    worst = std::max(worst, error);
    CHECK_MESSAGE(error <= 1e-15, "p = " << p[i] << " got " << got << " R " << q[i]);
  }
  MESSAGE("max relative error vs R qnorm: " << worst);
}

TEST_CASE("normal_quantile at the ends and outside [0, 1]") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  CHECK(embcheck::normal_quantile(0.0) == -inf);
  CHECK(embcheck::normal_quantile(1.0) == inf);
  CHECK(std::isnan(embcheck::normal_quantile(-1e-300)));
  CHECK(std::isnan(embcheck::normal_quantile(1.0 + 1e-15)));
  CHECK(std::isnan(embcheck::normal_quantile(std::numeric_limits<double>::quiet_NaN())));
  CHECK(embcheck::normal_quantile(0.5) == 0.0);
  // Antisymmetry Phi^-1(1 - p) = -Phi^-1(p) where 1 - p is exact.
  for (double p : {0.3, 0.1, 0.01, 0.0625}) {
    CHECK(embcheck::normal_quantile(1.0 - p) ==
          doctest::Approx(-embcheck::normal_quantile(p)).epsilon(1e-15));
  }
  // Smallest subnormal: about -38.4674 (R: qnorm(4.9406564584124654e-324) = -38.467405617144337).
  CHECK(embcheck::normal_quantile(std::numeric_limits<double>::denorm_min()) ==
        doctest::Approx(-38.467405617144337).epsilon(1e-14));
}

TEST_CASE("blom_scores are normal_quantile's numbers, bit for bit, at every n and length") {
  // The batched central region must give exactly the one-at-a-time values (R's qnorm(ppoints(n))
  // is checked against normal_quantile above), for runs of odd and even length and both tails.
  for (const std::size_t n : {3u, 4u, 5u, 6u, 10u, 11u, 12u, 101u, 1000u, 99999u, 800000u}) {
    for (const std::size_t length : {n / 2, n - n / 3, n}) {
      std::vector<double> scores(length, -1.0);
      embcheck::blom_scores(n, scores);
      std::size_t differing = 0;
      for (std::size_t i = 0; i < length; ++i) {
        const double expected =
            embcheck::normal_quantile((static_cast<double>(i + 1) - 0.375) / (static_cast<double>(n) + 0.25));
        if (scores[i] != expected) ++differing;
      }
      CAPTURE(n);
      CAPTURE(length);
      CHECK(differing == 0);
    }
  }
}
