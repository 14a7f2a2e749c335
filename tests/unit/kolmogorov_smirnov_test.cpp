// Known answers for the one-sample Kolmogorov-Smirnov distribution and test, from SciPy 1.10
// (tests/scripts/make_ks_fixtures.py writes tests/fixtures/ks/*.json).
//
// Tolerances:
//  - kolmogorov_sf vs scipy.stats.kstwo.sf and smirnov_sf vs scipy.special.smirnov:
//    |ours - scipy| <= 1e-10 * |scipy| + 1e-322 (the absolute part only matters for subnormal
//    results near 1e-320, where a double has fewer than 10 significant digits).
//    Where SciPy's value is subnormal (< 2.2e-308) SciPy itself is only good to a few percent
//    (it rounds each of up to 10^5 terms of the Birnbaum-Tingey sum to the subnormal grid; 7%
//    off at n = 800000, p = 2.6e-321, and 0 where the exact value is 4e-322), so there the tolerance
//    is 10% relative plus 2e-321 absolute (400 subnormal units), and accuracy is
//    checked instead against the exact sum in 30-digit mpmath: within 1e-10 relative plus one
//    subnormal unit (4.9e-324).
//  - smirnov_sf where it is read from Chebyshev pieces vs the exact sum in 30-digit mpmath
//    (tests/scripts/make_smirnov_piece_fixtures.py): 1e-12 relative.
//  - kolmogorov_smirnov_test vs scipy.stats.kstest(x, 'norm', method='exact'): D, D+ and D-
//    to 1e-14 absolute (our normal CDF is 0.5 erfc(-x/sqrt 2), SciPy's is ndtr), p-value to
//    1e-10 relative.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/statistics/kolmogorov_smirnov.hpp"

namespace {

nlohmann::json load_fixture(const std::string& name) {
  std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR) + "/ks/" + name);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

bool close(double ours, double reference, double rel, double abs = 1e-322) {
  return std::abs(ours - reference) <= rel * std::abs(reference) + abs;
}

}  // namespace

TEST_CASE("kolmogorov_sf and smirnov_sf match SciPy 1.10 over n = 1 .. 10^7 and all d") {
  const auto fixture = load_fixture("kolmogorov_sf.json");
  const auto& rows = fixture.at("rows");
  REQUIRE(rows.size() > 500);
  int tiny = 0;
  const double min_normal = std::numeric_limits<double>::min();
  for (const auto& row : rows) {
    const auto n = row.at("n").get<std::int64_t>();
    const double d = row.at("d").get<double>();
    const double two_sided = row.at("kstwo_sf").get<double>();
    const double one_sided = row.at("smirnov").get<double>();
    if (two_sided > 0 && two_sided < 1e-300) ++tiny;
    const double ours = embcheck::kolmogorov_sf(n, d);
    const double ours_one = embcheck::smirnov_sf(n, d);
    INFO("n = " << n << ", d = " << d);
    const bool sub = two_sided < min_normal;
    const bool sub_one = one_sided < min_normal;
    CHECK_MESSAGE(close(ours, two_sided, sub ? 0.1 : 1e-10, sub ? 2e-321 : 1e-322),
                  "kolmogorov_sf " << ours << " vs " << two_sided);
    CHECK_MESSAGE(close(ours_one, one_sided, sub_one ? 0.1 : 1e-10, sub_one ? 2e-321 : 1e-322),
                  "smirnov_sf " << ours_one << " vs " << one_sided);
  }
  CHECK(tiny > 5);  // the fixture reaches p-values below 1e-300
}

namespace {

/// Calls check(n, d, exact, ours) for each row of an mpmath fixture of smirnov_sf.
template <class Check>
void against_exact_smirnov(const std::string& name, std::size_t min_rows, const Check& check) {
  const auto fixture = load_fixture(name);
  REQUIRE(fixture.at("rows").size() >= min_rows);
  for (const auto& row : fixture.at("rows")) {
    const auto n = row.at("n").get<std::int64_t>();
    const double d = row.at("d").get<double>();
    const double exact = std::strtod(row.at("smirnov").get<std::string>().c_str(), nullptr);
    const double ours = embcheck::smirnov_sf(n, d);
    INFO("n = " << n << ", d = " << d << ", ours = " << ours << ", exact = " << exact);
    check(n, d, exact, ours);
  }
}

}  // namespace

TEST_CASE("smirnov_sf matches the exact Birnbaum-Tingey sum (30-digit mpmath) in the far tail") {
  against_exact_smirnov(
      "smirnov_tail_mpmath.json", 3, [](std::int64_t n, double d, double exact, double ours) {
        CHECK(std::abs(ours - exact) <= 1e-10 * exact + std::numeric_limits<double>::denorm_min());
        CHECK(embcheck::kolmogorov_sf(n, d) == 2 * ours);
      });
}

TEST_CASE("smirnov_sf from its Chebyshev pieces matches the exact sum (30-digit mpmath) to 1e-12") {
  // 10 <= n <= 4096 and n d^2 <= 4 are read from pieces (one per unit of n d; four units wide
  // above n d = 12 from n = 150): at the pieces' ends, inside them and at n d^2 = 4. Measured:
  // within 2.8e-14 relative of the exact sum (6e-14 before the sums took their logarithms four
  // at a time; the wide pieces 2.7e-14 at most).
  against_exact_smirnov("smirnov_pieces.json", 200, [](std::int64_t, double, double exact, double ours) {
    CHECK(close(ours, exact, 1e-12, 0.0));
  });
}

TEST_CASE("kolmogorov_smirnov_test matches scipy.stats.kstest(x, 'norm', method='exact')") {
  const auto fixture = load_fixture("kstest_norm.json");
  REQUIRE(fixture.at("samples").size() >= 5);
  for (const auto& sample : fixture.at("samples")) {
    auto x = sample.at("x").get<std::vector<double>>();
    std::sort(x.begin(), x.end());
    std::vector<double> cdf(x.size());
    std::transform(x.begin(), x.end(), cdf.begin(),
                   [](double v) { return 0.5 * std::erfc(-v / std::sqrt(2.0)); });
    const auto r = embcheck::kolmogorov_smirnov_test(cdf);
    INFO("n = " << x.size());
    CHECK(std::abs(r.statistic - sample.at("statistic").get<double>()) <= 1e-14);
    CHECK(std::abs(r.d_plus - sample.at("d_plus").get<double>()) <= 1e-14);
    CHECK(std::abs(r.d_minus - sample.at("d_minus").get<double>()) <= 1e-14);
    CHECK(close(r.p_value, sample.at("p_value").get<double>(), 1e-10));
    CHECK(r.p_value_plus == embcheck::smirnov_sf(static_cast<std::int64_t>(x.size()), r.d_plus));
    CHECK(r.p_value_minus == embcheck::smirnov_sf(static_cast<std::int64_t>(x.size()), r.d_minus));
  }
}

TEST_CASE("Kolmogorov-Smirnov edge cases") {
  CHECK(embcheck::kolmogorov_sf(10, 0.0) == 1.0);
  CHECK(embcheck::kolmogorov_sf(10, 0.05) == 1.0);  // d <= 1/(2n): D_n >= 1/(2n) always
  CHECK(embcheck::kolmogorov_sf(10, 1.0) == 0.0);
  CHECK(embcheck::kolmogorov_sf(10, 1.5) == 0.0);
  CHECK(embcheck::smirnov_sf(10, 0.0) == 1.0);
  CHECK(embcheck::smirnov_sf(10, 1.0) == 0.0);
  CHECK(std::isnan(embcheck::kolmogorov_sf(10, std::numeric_limits<double>::quiet_NaN())));
  CHECK_THROWS_AS((void)embcheck::kolmogorov_sf(0, 0.5), embcheck::error);
  CHECK_THROWS_AS((void)embcheck::smirnov_sf(-3, 0.5), embcheck::error);
  CHECK_THROWS_AS((void)embcheck::kolmogorov_smirnov_test({}), embcheck::error);
  const std::vector<double> bad{0.1, std::numeric_limits<double>::quiet_NaN()};
  CHECK_THROWS_AS((void)embcheck::kolmogorov_smirnov_test(bad), embcheck::error);
  // n = 1: D = max(F, 1 - F) and P(D_1 >= d) = 2 (1 - d) for d >= 1/2.
  const std::vector<double> one{0.3};
  const auto r = embcheck::kolmogorov_smirnov_test(one);
  CHECK(r.statistic == doctest::Approx(0.7).epsilon(1e-15));
  CHECK(r.p_value == doctest::Approx(0.6).epsilon(1e-14));
}

TEST_CASE("ks_differences equals the plain loop at every length, and finds any value outside [0, 1]") {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const auto plain = [](const std::vector<double>& c, double& d_plus, double& d_minus) {
    const double dn = static_cast<double>(c.size());
    d_plus = d_minus = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < c.size(); ++i) {
      d_plus = std::max(d_plus, (static_cast<double>(i) + 1.0) / dn - c[i]);
      d_minus = std::max(d_minus, c[i] - static_cast<double>(i) / dn);
    }
  };
  for (const std::size_t n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 1000, 1003}) {
    CAPTURE(n);
    std::vector<double> c(n);
    for (double& v : c) v = uniform(rng);
    std::sort(c.begin(), c.end());
    c.front() = n > 2 ? 0.0 : c.front();
    c.back() = n > 2 ? 1.0 : c.back();
    double d_plus = 0.0;
    double d_minus = 0.0;
    double want_plus = 0.0;
    double want_minus = 0.0;
    plain(c, want_plus, want_minus);
    REQUIRE(embcheck::detail::ks_differences(c.data(), n, d_plus, d_minus));
    CHECK(d_plus == want_plus);
    CHECK(d_minus == want_minus);
    for (std::size_t bad = 0; bad < std::min<std::size_t>(n, 9); ++bad) {
      for (const double outside : {-1e-300, 1.0 + 1e-15, std::numeric_limits<double>::quiet_NaN()}) {
        auto broken = c;
        broken[n - 1 - bad] = outside;
        CHECK_FALSE(embcheck::detail::ks_differences(broken.data(), n, d_plus, d_minus));
      }
    }
  }
}

TEST_CASE("pomeranz_convolution_row equals one sum per output, s ascending, on both code paths") {
  // The definition written out: out[r] = sum over the valid s, ascending, of a[s] p[first + r - s].
  std::mt19937_64 rng(140);
  std::uniform_real_distribution<double> positive(0.0, 1.0);
  std::uniform_int_distribution<std::int64_t> length(1, 45);
  constexpr std::int64_t pad = embcheck::detail::pomeranz_row_padding;
  for (int trial = 0; trial < 400; ++trial) {
    const std::int64_t a_len = length(rng);
    const std::int64_t p_len = length(rng);
    const std::int64_t first = std::uniform_int_distribution<std::int64_t>(0, a_len + p_len)(rng);
    const std::int64_t count = length(rng);
    std::vector<double> a(static_cast<std::size_t>(a_len));
    for (double& v : a) v = positive(rng);
    std::vector<double> padded(static_cast<std::size_t>(p_len + 2 * pad), 0.0);
    for (std::int64_t j = 0; j < p_len; ++j) padded[static_cast<std::size_t>(pad + j)] = positive(rng);
    std::vector<double> want(static_cast<std::size_t>(count), 0.0);
    for (std::int64_t r = 0; r < count; ++r) {
      double sum = 0.0;
      for (std::int64_t s = 0; s < a_len; ++s) {
        const std::int64_t j = first + r - s;
        if (j >= 0 && j < p_len)
          sum += a[static_cast<std::size_t>(s)] * padded[static_cast<std::size_t>(pad + j)];
      }
      want[static_cast<std::size_t>(r)] = sum;
    }
    for (const bool avx2 : {true, false}) {
      CAPTURE(trial);
      CAPTURE(avx2);
      std::vector<double> got(static_cast<std::size_t>(count), -1.0);
      embcheck::detail::pomeranz_convolution_row(a.data(), a_len, padded.data(), p_len, first, got.data(),
                                                 count, avx2);
      CHECK(got == want);
    }
  }
}
