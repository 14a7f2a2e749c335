// Known answers for the goodness-of-fit tests of gof_tests.hpp, from R 4.2 goftest 1.2.3 and
// SciPy 1.10 (tests/scripts/make_gof_fixtures.py writes tests/fixtures/gof/gof.json).
//
// Tolerances (max errors measured are in docs/tests.md; set EMBCHECK_VERBOSE=1 to print them):
//  - Statistics W^2, X^2, JB, K^2, z, chi-squared variance statistic: relative 1e-11. A^2:
//    relative 1e-10 against R at n <= 5000 and 1e-8 at n = 100000 (R's -n + z/n cancels about
//    log10(n) digits: 2.5e-9 relative off at n = 100000), 1e-12 against an exactly rounded sum.
//  - Anderson-Darling p vs p = 1 - (ADinf + errfix(n, ADinf)) with R's ADinf
//    (pAD(A^2, Inf, fast = FALSE)) at R's A^2, clipped to 1: absolute 1e-10 (1e-8 at n = 100000;
//    1e-13 on the (n, q) grid, where the statistic is exact). ADinf vs pAD(fast = FALSE): absolute 1e-14.
//    Against goftest's own ad.test / pAD: absolute 2.5e-5, because goftest uses Marsaglia's short adinf,
//    which is off by up to 1.9e-5 (at A^2 = 1) and, in the tail, low by a factor 2 at 1e-5 (docs/tests.md).
//    Where our p is the floor bound, the reference must be below floor + tolerance.
//  - Cramér-von Mises p vs goftest cvm.test / pCvM: absolute 1e-8 (goftest stops its series at
//    terms below 1e-9); vs SciPy: absolute 1e-6 (SciPy stops at 1e-7). Limit CDF vs
//    pCvM(q, Inf): absolute 1e-8.
//  - Chi-squared, Jarque-Bera, K^2 p vs SciPy; mean and variance tests vs R pnorm / pchisq:
//    relative 1e-9 (K^2 and JB p-values are exp(-x/2), so they inherit the statistic's relative
//    error times x/2, up to ~800 at the tails checked); a reference of exactly 0 (underflow)
//    needs ours below 1e-300.
//  - skewtest / kurtosistest z: absolute 1e-12 (1 + |z|).

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/statistics/gof_tests.hpp"
#include "embcheck/statistics/moments.hpp"

namespace {

const nlohmann::json& fixture() {
  static const nlohmann::json data = [] {
    std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR) + "/gof/gof.json");
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
  }();
  return data;
}

bool verbose() { return std::getenv("EMBCHECK_VERBOSE") != nullptr; }

// Tracks the largest error seen against one reference and checks each value.
struct tracker {
  std::string name;
  double rel;
  double abs;
  double worst = 0.0;  // largest |ours - ref| / (rel |ref| + abs)
  double worst_abs = 0.0;
  double worst_rel = 0.0;
  int count = 0;

  void check(double ours, double reference) {
    ++count;
    const double diff = std::abs(ours - reference);
    const double allowed = rel * std::abs(reference) + abs;
    worst = std::max(worst, diff / allowed);
    worst_abs = std::max(worst_abs, diff);
    if (reference != 0.0) worst_rel = std::max(worst_rel, diff / std::abs(reference));
    CHECK_MESSAGE(diff <= allowed, name << ": ours " << ours << " vs reference " << reference);
  }
  void report() const {
    if (verbose()) {
      MESSAGE(name << ": " << count << " values, max abs error " << worst_abs << ", max rel error "
                   << worst_rel << " (" << worst << " of tolerance)");
    }
  }
};

// A p-value against a reference, allowing for a reference that underflowed to 0.
void check_p(tracker& t, double ours, double reference) {
  if (reference == 0.0) {
    CHECK_MESSAGE(ours < 1e-300, t.name << ": ours " << ours << " vs reference 0");
  } else {
    t.check(ours, reference);
  }
}

// A p-value against a reference of a test whose p-value can be a floor bound.
void check_bounded_p(tracker& t, const embcheck::test_result& ours, double reference, double tolerance) {
  if (ours.p_is_upper_bound) {
    CHECK_MESSAGE(reference <= ours.p_value + tolerance,
                  t.name << ": bound " << ours.p_value << " vs reference " << reference);
  } else {
    t.check(ours.p_value, reference);
  }
}

std::vector<double> park_miller_uniforms(std::size_t n, std::int64_t seed, double power) {
  constexpr std::int64_t modulus = 2147483647;
  std::vector<double> u(n);
  std::int64_t s = seed;
  for (double& v : u) {
    s = (16807 * s) % modulus;
    v = std::pow(static_cast<double>(s) / static_cast<double>(modulus), power);
  }
  std::sort(u.begin(), u.end());
  return u;
}

}  // namespace

TEST_CASE("AD, CvM and chi-squared match goftest and SciPy on samples n = 5 .. 5000") {
  tracker ad_stat{"A^2 vs ad.test", 1e-10, 0.0};  // R's -n + z/n cancels log10(n) digits
  tracker ad_p{"AD p vs ad.test", 0.0, 2.5e-5};
  tracker ad_full{"AD p vs 1 - (ADinf + errfix)", 0.0, 1e-10};
  tracker cvm_stat{"W^2 vs cvm.test", 1e-11, 0.0};
  tracker cvm_p{"CvM p vs cvm.test", 0.0, 1e-8};
  tracker cvm_stat_scipy{"W^2 vs scipy", 1e-11, 0.0};
  tracker cvm_p_scipy{"CvM p vs scipy", 0.0, 1e-6};
  tracker chi_stat{"X^2 vs scipy.chisquare", 1e-11, 0.0};
  tracker chi_p{"chi-squared p vs scipy.chisquare", 1e-9, 0.0};
  int bounds = 0;
  int clamped = 0;
  for (const auto& s : fixture().at("samples")) {
    const auto u = s.at("u").get<std::vector<double>>();
    INFO(s.at("kind").get<std::string>() << " n = " << u.size());
    const auto ad = embcheck::anderson_darling_test(u);
    if (s.at("ad")[0].is_null()) {
      // goftest: A^2 = Inf (a CDF value is 1); ours is finite after clamping, p an upper bound.
      CHECK(u.back() == 1.0);
      CHECK(std::isfinite(ad.statistic));
      CHECK(ad.p_is_upper_bound);
      ++clamped;
    } else {
      ad_stat.check(ad.statistic, s.at("ad")[0].get<double>());
    }
    check_bounded_p(ad_p, ad, std::min(1.0, s.at("ad")[1].get<double>()), 2.5e-5);
    check_bounded_p(ad_full, ad, s.at("ad_full").get<double>(), 1e-10);
    bounds += ad.p_is_upper_bound ? 1 : 0;
    const auto cvm = embcheck::cramer_von_mises_test(u);
    cvm_stat.check(cvm.statistic, s.at("cvm")[0].get<double>());
    check_bounded_p(cvm_p, cvm, s.at("cvm")[1].get<double>(), 1e-8);
    cvm_stat_scipy.check(cvm.statistic, s.at("cvm_scipy")[0].get<double>());
    check_bounded_p(cvm_p_scipy, cvm, s.at("cvm_scipy")[1].get<double>(), 1e-6);
    for (const char* key : {"chisq", "chisq_10"}) {
      if (!s.contains(key)) continue;
      const auto& ref = s.at(key);
      const auto bins = ref.at("bins").get<std::size_t>();
      if (std::string(key) == "chisq") CHECK(embcheck::chi_squared_default_bins(u.size()) == bins);
      const auto chi = embcheck::chi_squared_test(u, bins);
      chi_stat.check(chi.statistic, ref.at("statistic").get<double>());
      check_p(chi_p, chi.p_value, ref.at("p").get<double>());
      CHECK_FALSE(chi.p_is_upper_bound);
    }
  }
  CHECK(bounds >= 3);   // the "far" samples reach the AD floor
  CHECK(clamped >= 1);  // t5 samples with a CDF value of 1
  for (const auto* t :
       {&ad_stat, &ad_p, &ad_full, &cvm_stat, &cvm_p, &cvm_stat_scipy, &cvm_p_scipy, &chi_stat, &chi_p}) {
    t->report();
  }
}

TEST_CASE("AD, CvM and chi-squared match goftest and SciPy at n = 20000 and 100000") {
  for (const auto& s : fixture().at("large")) {
    const auto n = s.at("n").get<std::size_t>();
    const double power = s.at("power").get<double>();
    INFO("n = " << n << ", power = " << power);
    const auto u = park_miller_uniforms(n, s.at("seed").get<std::int64_t>(), power);
    double sum = 0.0;
    for (const double v : u) sum += v;
    REQUIRE(sum == doctest::Approx(s.at("sum_u").get<double>()).epsilon(1e-12));
    // A^2: 1e-12 relative against an exactly rounded sum (Python math.fsum); R's textbook
    // -n + z/n cancels ~log10(n) digits (2.5e-9 relative at n = 100000), so 1e-8 against R and
    // 1e-8 absolute on p against 1 - (ADinf + errfix) evaluated at R's statistic.
    const auto ad = embcheck::anderson_darling_test(u);
    CHECK(ad.statistic == doctest::Approx(s.at("ad_fsum").get<double>()).epsilon(1e-12));
    CHECK(ad.statistic == doctest::Approx(s.at("ad")[0].get<double>()).epsilon(1e-8));
    tracker ad_p{"AD p vs ad.test", 0.0, 2.5e-5};
    tracker ad_full{"AD p vs 1 - (ADinf + errfix)", 0.0, 1e-8};
    check_bounded_p(ad_p, ad, s.at("ad")[1].get<double>(), 2.5e-5);
    check_bounded_p(ad_full, ad, s.at("ad_full").get<double>(), 1e-8);
    const auto cvm = embcheck::cramer_von_mises_test(u);
    CHECK(cvm.statistic == doctest::Approx(s.at("cvm")[0].get<double>()).epsilon(1e-11));
    tracker cvm_p{"CvM p vs cvm.test", 0.0, 1e-8};
    tracker cvm_scipy{"CvM p vs scipy", 0.0, 1e-6};
    check_bounded_p(cvm_p, cvm, s.at("cvm")[1].get<double>(), 1e-8);
    check_bounded_p(cvm_scipy, cvm, s.at("cvm_scipy")[1].get<double>(), 1e-6);
    if (power == 1.02) CHECK((ad.p_is_upper_bound && cvm.p_is_upper_bound));
    const auto chi = embcheck::chi_squared_test(u);
    CHECK(chi.statistic == doctest::Approx(s.at("chisq").at("statistic").get<double>()).epsilon(1e-11));
    CHECK(chi.p_value == doctest::Approx(s.at("chisq").at("p").get<double>()).epsilon(1e-9));
  }
}

TEST_CASE("AD and CvM distributions match goftest pAD / pCvM and SciPy on a grid of (n, q)") {
  tracker adinf{"ADinf vs pAD(fast = FALSE)", 0.0, 1e-14};
  tracker ad_full{"AD p vs 1 - (ADinf + errfix)", 0.0, 1e-13};
  tracker ad_goftest{"AD p vs pAD", 0.0, 2.5e-5};
  tracker vinf{"CvM limit CDF vs pCvM(q, Inf)", 0.0, 1e-8};
  tracker cvm_goftest{"CvM p vs pCvM", 0.0, 1e-8};
  tracker cvm_scipy{"CvM p vs scipy _cdf_cvm", 0.0, 1e-6};
  for (const auto& g : fixture().at("dist")) {
    const auto n = g.at("n").get<std::size_t>();
    const double q = g.at("q").get<double>();
    INFO("n = " << n << ", q = " << q);
    adinf.check(embcheck::anderson_darling_limit_cdf(q), g.at("adinf").get<double>());
    vinf.check(embcheck::cramer_von_mises_limit_cdf(q), g.at("cvm_inf_cdf").get<double>());
    if (n == 0) continue;
    const auto ad = embcheck::anderson_darling_sf(q, n);
    CHECK(ad.statistic == q);
    const double floor = std::max(1e-6, 1e-3 / static_cast<double>(n));
    CHECK(ad.p_is_upper_bound == (g.at("ad_full").get<double>() < floor));
    check_bounded_p(ad_full, ad, g.at("ad_full").get<double>(), 0.0);
    check_bounded_p(ad_goftest, ad, std::min(1.0, g.at("ad_goftest").get<double>()), 2.5e-5);
    const auto cvm = embcheck::cramer_von_mises_sf(q, n);
    check_bounded_p(cvm_goftest, cvm, g.at("cvm_goftest").get<double>(), 1e-8);
    check_bounded_p(cvm_scipy, cvm, g.at("cvm_scipy").get<double>(), 1e-6);
  }
  for (const auto* t : {&adinf, &ad_full, &ad_goftest, &vinf, &cvm_goftest, &cvm_scipy}) t->report();
}

TEST_CASE("Jarque-Bera and D'Agostino-Pearson match SciPy on samples n = 5 .. 800000") {
  tracker jb_stat{"JB vs scipy", 1e-11, 0.0};
  tracker jb_p{"JB p vs scipy", 1e-9, 0.0};
  tracker k2_stat{"K^2 vs scipy.normaltest", 1e-11, 0.0};
  tracker k2_p{"K^2 p vs scipy.normaltest", 1e-9, 0.0};
  tracker zs{"skewtest z", 0.0, 1e-12};
  tracker zk{"kurtosistest z", 0.0, 1e-12};
  auto check_one = [&](const nlohmann::json& s) {
    const auto n = s.at("n").get<std::size_t>();
    const double skew = s.at("skewness").get<double>();
    const double kurt = s.at("kurtosis").get<double>();
    const auto jb = embcheck::jarque_bera_test(n, skew, kurt);
    jb_stat.check(jb.statistic, s.at("jb")[0].get<double>());
    check_p(jb_p, jb.p_value, s.at("jb")[1].get<double>());
    if (s.contains("kurtosistest_z")) {
      const double ref = s.at("kurtosistest_z").get<double>();
      zk.check(embcheck::anscombe_glynn_kurtosis_z(n, kurt) / (1.0 + std::abs(ref)),
               ref / (1.0 + std::abs(ref)));
    }
    CHECK(embcheck::dagostino_applicable(n) == s.contains("normaltest"));
    if (embcheck::dagostino_applicable(n)) {
      const double ref = s.at("skewtest_z").get<double>();
      zs.check(embcheck::dagostino_skewness_z(n, skew) / (1.0 + std::abs(ref)), ref / (1.0 + std::abs(ref)));
      const auto k2 = embcheck::dagostino_pearson_test(n, skew, kurt);
      k2_stat.check(k2.statistic, s.at("normaltest")[0].get<double>());
      check_p(k2_p, k2.p_value, s.at("normaltest")[1].get<double>());
    } else {
      CHECK_THROWS_AS(static_cast<void>(embcheck::dagostino_pearson_test(n, skew, kurt)), embcheck::error);
    }
  };
  for (const auto& s : fixture().at("samples")) check_one(s);
  for (const auto& s : fixture().at("moment_inputs")) check_one(s);
  for (const auto* t : {&jb_stat, &jb_p, &k2_stat, &k2_p, &zs, &zk}) t->report();
}

TEST_CASE("mean z and variance chi-squared tests match R pnorm / pchisq, tails included") {
  tracker z{"mean z vs R", 1e-11, 1e-300};
  tracker pz{"mean p vs R", 1e-9, 0.0};
  tracker x{"variance statistic vs R", 1e-11, 0.0};
  tracker pv{"variance p vs R", 1e-9, 0.0};
  int tiny = 0;
  for (const auto& s : fixture().at("samples")) {
    const auto n = s.at("n").get<std::size_t>();
    const auto mt = embcheck::mean_z_test(n, s.at("mean").get<double>(), 0.0, 1.0);
    z.check(mt.statistic, s.at("mean_test")[0].get<double>());
    check_p(pz, mt.p_value, s.at("mean_test")[1].get<double>());
    const auto vt = embcheck::variance_chi_squared_test(n, s.at("variance").get<double>(), 1.0);
    x.check(vt.statistic, s.at("variance_test")[0].get<double>());
    check_p(pv, vt.p_value, s.at("variance_test")[1].get<double>());
  }
  for (const auto& s : fixture().at("moment_tests")) {
    const auto n = s.at("n").get<std::size_t>();
    INFO("n = " << n << ", mean = " << s.at("mean").get<double>()
                << ", var = " << s.at("variance").get<double>());
    const auto mt = embcheck::mean_z_test(n, s.at("mean").get<double>(), 0.0, 1.0);
    z.check(mt.statistic, s.at("z").get<double>());
    check_p(pz, mt.p_value, s.at("p_mean").get<double>());
    const auto vt = embcheck::variance_chi_squared_test(n, s.at("variance").get<double>(), 1.0);
    x.check(vt.statistic, s.at("x").get<double>());
    check_p(pv, vt.p_value, s.at("p_variance").get<double>());
    const double ref = s.at("p_variance").get<double>();
    if (ref > 0.0 && ref < 1e-100) ++tiny;
  }
  CHECK(tiny >= 2);  // variance tails near 1e-212 are checked to 1e-9 relative
  for (const auto* t : {&z, &pz, &x, &pv}) t->report();
}

TEST_CASE("variance test far in the lower tail: SciPy's 0 where Boost's Gamma overflows") {
  // The variance of float32 subnormals (values of about 1e-42) stopped the check with Boost's
  // overflow_error. SciPy: 2 * chi2.cdf((n - 1) * v, n - 1) is 0.0 for (n, v) = (600, 1e-84),
  // (100000, 1e-84) and (100000, 1e-10); exactly 0, no tolerance.
  for (const auto& [n, v] : {std::pair<std::size_t, double>{600, 1e-84}, {100000, 1e-84}, {100000, 1e-10}}) {
    CAPTURE(n);
    CAPTURE(v);
    embcheck::test_result t;
    REQUIRE_NOTHROW(t = embcheck::variance_chi_squared_test(n, v, 1.0));
    CHECK(t.p_value == 0.0);
  }
}

TEST_CASE("moment overloads take n from the finite values of a moments struct") {
  const std::vector<double> values{0.3, -1.2, 2.5, 0.7, -0.4, 1.1, -2.2, 0.05, 0.9, std::nan("")};
  const auto m = embcheck::compute_moments(values, std::numeric_limits<float>::min());
  REQUIRE(m.finite == 9);
  CHECK(embcheck::jarque_bera_test(m).statistic ==
        embcheck::jarque_bera_test(9, m.skewness, m.excess_kurtosis).statistic);
  CHECK(embcheck::dagostino_pearson_test(m).p_value ==
        embcheck::dagostino_pearson_test(9, m.skewness, m.excess_kurtosis).p_value);
  CHECK(embcheck::mean_z_test(m, 0.1, 2.0).p_value == embcheck::mean_z_test(9, m.mean, 0.1, 2.0).p_value);
  CHECK(embcheck::variance_chi_squared_test(m, 2.0).p_value ==
        embcheck::variance_chi_squared_test(9, m.sample_variance, 2.0).p_value);
}

TEST_CASE("edge cases: clamped CDF values, bins rule, symmetric skewness, invalid input") {
  // u = 0 or 1: goftest returns A^2 = Inf; we clamp and flag the p-value as an upper bound.
  const std::vector<double> with_zero{0.0, 0.3, 0.5, 0.6, 0.8, 0.9, 0.95, 0.97};
  const auto ad0 = embcheck::anderson_darling_test(with_zero);
  CHECK(std::isfinite(ad0.statistic));
  CHECK(ad0.statistic > 90.0);  // -ln(denorm_min) / 8 = 93.1 from the first term alone
  CHECK(ad0.p_is_upper_bound);
  const std::vector<double> with_one{0.1, 0.2, 0.3, 0.5, 0.6, 0.8, 0.9, 1.0};
  const auto ad1 = embcheck::anderson_darling_test(with_one);
  CHECK(std::isfinite(ad1.statistic));
  CHECK(ad1.p_is_upper_bound);
  // Floors: AD max(1e-6, 1e-3/n), CvM max(1e-6, 0.02/n^2).
  CHECK(embcheck::anderson_darling_sf(1e6, 5).p_value == 2e-4);
  CHECK(embcheck::anderson_darling_sf(1e6, 800000).p_value == 1e-6);
  CHECK(embcheck::cramer_von_mises_sf(1e6, 10).p_value == 2e-4);
  CHECK(embcheck::cramer_von_mises_sf(1e6, 10).p_is_upper_bound);
  CHECK(embcheck::cramer_von_mises_sf(1.0 / 120.0, 10).p_value == 1.0);
  CHECK(embcheck::anderson_darling_sf(0.001, 10).p_value == 1.0);

  CHECK(embcheck::chi_squared_default_bins(5) == 2);
  CHECK(embcheck::chi_squared_default_bins(100) == 12);
  CHECK(embcheck::chi_squared_default_bins(800000) == 459);
  CHECK(embcheck::chi_squared_default_bins(1000000000) == 1000);
  // u = 1 counts in the last bin; 0.5 is the boundary of bins 0 and 1 with k = 2.
  const std::vector<double> edges{0.0, 0.25, 0.5, 1.0};
  CHECK(embcheck::chi_squared_test(edges, 2).statistic == 0.0);

  CHECK(embcheck::dagostino_skewness_z(8, 0.0) == 0.0);  // SciPy's skewtest gives 1.01 here
  CHECK_FALSE(embcheck::dagostino_applicable(7));
  CHECK_THROWS_AS(static_cast<void>(embcheck::anscombe_glynn_kurtosis_z(4, 0.0)), embcheck::error);

  const std::vector<double> unsorted{0.5, 0.2};
  const std::vector<double> outside{0.2, 1.5};
  const std::vector<double> with_nan{0.2, std::nan("")};
  for (const auto* bad : {&unsorted, &outside, &with_nan}) {
    CHECK_THROWS_AS(static_cast<void>(embcheck::anderson_darling_test(*bad)), embcheck::error);
    CHECK_THROWS_AS(static_cast<void>(embcheck::cramer_von_mises_test(*bad)), embcheck::error);
    CHECK_THROWS_AS(static_cast<void>(embcheck::chi_squared_test(*bad)), embcheck::error);
  }
  CHECK_THROWS_AS(static_cast<void>(embcheck::anderson_darling_test(std::vector<double>{})), embcheck::error);
  CHECK_THROWS_AS(static_cast<void>(embcheck::chi_squared_test(with_zero, 1)), embcheck::error);
  CHECK_THROWS_AS(static_cast<void>(embcheck::mean_z_test(10, 0.0, 0.0, 0.0)), embcheck::error);
  CHECK_THROWS_AS(static_cast<void>(embcheck::variance_chi_squared_test(1, 1.0, 1.0)), embcheck::error);
  CHECK_THROWS_AS(static_cast<void>(embcheck::jarque_bera_test(10, std::nan(""), 0.0)), embcheck::error);
}

TEST_CASE("mean z test keeps tiny p-values instead of rounding them to 0") {
  // R 4.2: 2 * pnorm(-37) = 1.1451142445049154e-299.
  const auto t = embcheck::mean_z_test(1, 37.0, 0.0, 1.0);
  CHECK(t.p_value == doctest::Approx(1.1451142445049154e-299).epsilon(1e-12));
}

TEST_CASE("timing: each test on a sorted row of 800000 values (reported with EMBCHECK_VERBOSE)") {
  const auto u = park_miller_uniforms(800000, 12345, 1.0);
  const auto time = [&](const std::string& name, auto&& run) {
    const auto start = std::chrono::steady_clock::now();
    const embcheck::test_result r = run();
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    CHECK(r.p_value > 0.0);
    if (verbose()) MESSAGE(name << ": " << ms << " ms, p = " << r.p_value);
  };
  for (int repeat = 0; repeat < 3; ++repeat) {
    time("anderson_darling_test", [&] { return embcheck::anderson_darling_test(u); });
    time("cramer_von_mises_test", [&] { return embcheck::cramer_von_mises_test(u); });
    time("chi_squared_test", [&] { return embcheck::chi_squared_test(u); });
  }
}

TEST_CASE(
    "Anderson-Darling's A^2 with values far in the upper tail matches mpmath, as its mirror image does") {
  // tests/scripts/make_ad_tail_fixtures.py: 1 - F(x) by subtraction from F near 1 kept ~1e-16
  // absolute only, and A^2 of the first sample was 0.2% off until 2026-11-28; the battery now
  // computes 1 - F of the upper tail directly. Every sample is checked on one and two threads.
  std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR) + "/gof/ad_tail.json");
  REQUIRE(in);
  const nlohmann::json fixture = nlohmann::json::parse(in);
  REQUIRE(fixture.at("samples").size() >= 8);
  for (const auto& sample : fixture.at("samples")) {
    CAPTURE(sample.at("name").get<std::string>());
    const auto values = sample.at("values").get<std::vector<double>>();
    for (const unsigned threads : {1u, 2u}) {
      embcheck::analysis_options options;
      options.null = {embcheck::null_family::normal, sample.at("mean").get<double>(),
                      sample.at("std").get<double>(), false};
      options.tests = {embcheck::test_kind::anderson_darling};
      options.threads = threads;
      const auto result = embcheck::analyse_sample(values, embcheck::element_type::float64, options);
      const embcheck::test_outcome* ad = result.find(embcheck::test_kind::anderson_darling);
      REQUIRE(ad != nullptr);
      REQUIRE(ad->ran);
      CHECK(ad->statistic == doctest::Approx(sample.at("a2").get<double>()).epsilon(1e-13));
    }
  }
}
