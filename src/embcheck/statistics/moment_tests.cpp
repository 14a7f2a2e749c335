// Moment tests under a normal null: Jarque-Bera, D'Agostino-Pearson K^2, the z test of the mean
// with known sigma and the chi-squared test of the variance with known sigma.
//
// Sources:
//  [JB87]  C. M. Jarque, A. K. Bera (1987), "A Test for Normality of Observations and Regression
//          Residuals", Int. Stat. Rev. 55(2): 163-172: JB = n/6 (S^2 + K^2/4) ~ chi-squared(2).
//  [D70]   R. B. D'Agostino (1970), "Transformation to Normality of the Null Distribution of g1",
//          Biometrika 57(3): 679-681: the Johnson S_U transform of the sample skewness (n >= 8).
//  [AG83]  F. J. Anscombe, W. J. Glynn (1983), "Distribution of the Kurtosis Statistic b2 for
//          Normal Samples", Biometrika 70(1): 227-234: the Wilson-Hilferty-type transform of b2.
//  [DP73]  R. B. D'Agostino, E. S. Pearson (1973), "Tests for Departure from Normality",
//          Biometrika 60(3): 613-622: K^2 = Z(sqrt b1)^2 + Z(b2)^2 ~ chi-squared(2).
//  Reference implementation: SciPy 1.10, scipy.stats.jarque_bera, skewtest, kurtosistest and
//  normaltest (_stats_py.py). Departure: skewtest replaces y = 0 by y = 1 (so an exactly
//  symmetric sample gets z = 1.01 at n = 8 instead of 0); here y = 0 gives z = 0, and the
//  S_U transform is written as asinh, which is odd and free of cancellation for y < 0.
//  Mean and variance tests: textbook (e.g. Casella & Berger, Statistical Inference, 8.2-8.3);
//  the two-sided variance p-value is 2 min(P(X <= x), P(X >= x)) capped at 1.
//  Tails: the chi-squared(2) upper tail is exp(-x/2) exactly; the normal tail is erfc; the
//  chi-squared(n - 1) tails are Boost.Math's gamma_p / gamma_q (no 1 - cdf anywhere).

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include <boost/math/distributions/chi_squared.hpp>

#include "embcheck/statistics/gof_tests.hpp"

namespace embcheck {
namespace {

void require_finite(double value, const char* what, const char* test) {
  if (!std::isfinite(value)) throw error(std::string(test) + ": " + what + " is not finite");
}

// P(chi-squared(2) >= x).
double chi_squared_2_sf(double x) { return std::exp(-0.5 * x); }

}  // namespace

test_result jarque_bera_test(std::size_t n, double skewness, double excess_kurtosis) {
  if (n == 0) throw error("jarque_bera_test: no values");
  require_finite(skewness, "skewness", "jarque_bera_test");
  require_finite(excess_kurtosis, "excess kurtosis", "jarque_bera_test");
  test_result result;
  result.statistic =
      static_cast<double>(n) / 6.0 * (skewness * skewness + excess_kurtosis * excess_kurtosis / 4.0);
  result.p_value = chi_squared_2_sf(result.statistic);
  return result;
}

test_result jarque_bera_test(const moments& m) {
  return jarque_bera_test(m.finite, m.skewness, m.excess_kurtosis);
}

double dagostino_skewness_z(std::size_t n, double skewness) {
  if (n < 8) throw error("dagostino_skewness_z: needs n >= 8, got " + std::to_string(n));
  require_finite(skewness, "skewness", "dagostino_skewness_z");
  const double nn = static_cast<double>(n);
  const double y = skewness * std::sqrt((nn + 1.0) * (nn + 3.0) / (6.0 * (nn - 2.0)));
  const double beta2 = 3.0 * (nn * nn + 27.0 * nn - 70.0) * (nn + 1.0) * (nn + 3.0) /
                       ((nn - 2.0) * (nn + 5.0) * (nn + 7.0) * (nn + 9.0));
  const double w2 = -1.0 + std::sqrt(2.0 * (beta2 - 1.0));
  const double delta = 1.0 / std::sqrt(0.5 * std::log(w2));
  const double alpha = std::sqrt(2.0 / (w2 - 1.0));
  return delta * std::asinh(y / alpha);
}

double anscombe_glynn_kurtosis_z(std::size_t n, double excess_kurtosis) {
  if (n < 5) throw error("anscombe_glynn_kurtosis_z: needs n >= 5, got " + std::to_string(n));
  require_finite(excess_kurtosis, "excess kurtosis", "anscombe_glynn_kurtosis_z");
  const double nn = static_cast<double>(n);
  const double b2 = excess_kurtosis + 3.0;
  const double mean = 3.0 * (nn - 1.0) / (nn + 1.0);
  const double variance =
      24.0 * nn * (nn - 2.0) * (nn - 3.0) / ((nn + 1.0) * (nn + 1.0) * (nn + 3.0) * (nn + 5.0));
  const double x = (b2 - mean) / std::sqrt(variance);
  const double sqrt_beta1 = 6.0 * (nn * nn - 5.0 * nn + 2.0) / ((nn + 7.0) * (nn + 9.0)) *
                            std::sqrt(6.0 * (nn + 3.0) * (nn + 5.0) / (nn * (nn - 2.0) * (nn - 3.0)));
  const double a =
      6.0 + 8.0 / sqrt_beta1 * (2.0 / sqrt_beta1 + std::sqrt(1.0 + 4.0 / (sqrt_beta1 * sqrt_beta1)));
  const double term1 = 1.0 - 2.0 / (9.0 * a);
  const double denom = 1.0 + x * std::sqrt(2.0 / (a - 4.0));
  if (denom == 0.0) throw error("anscombe_glynn_kurtosis_z: transform undefined for this kurtosis");
  const double term2 = std::copysign(std::cbrt((1.0 - 2.0 / a) / std::fabs(denom)), denom);
  return (term1 - term2) / std::sqrt(2.0 / (9.0 * a));
}

test_result dagostino_pearson_test(std::size_t n, double skewness, double excess_kurtosis) {
  if (!dagostino_applicable(n)) {
    throw error("dagostino_pearson_test: needs n >= 8, got " + std::to_string(n));
  }
  const double zs = dagostino_skewness_z(n, skewness);
  const double zk = anscombe_glynn_kurtosis_z(n, excess_kurtosis);
  test_result result;
  result.statistic = zs * zs + zk * zk;
  result.p_value = chi_squared_2_sf(result.statistic);
  return result;
}

test_result dagostino_pearson_test(const moments& m) {
  return dagostino_pearson_test(m.finite, m.skewness, m.excess_kurtosis);
}

test_result mean_z_test(std::size_t n, double mean, double mu, double sigma) {
  if (n == 0) throw error("mean_z_test: no values");
  require_finite(mean, "mean", "mean_z_test");
  if (!(sigma > 0.0) || !std::isfinite(sigma) || !std::isfinite(mu)) {
    throw error("mean_z_test: need finite mu and finite sigma > 0");
  }
  test_result result;
  result.statistic = (mean - mu) * std::sqrt(static_cast<double>(n)) / sigma;
  result.p_value = std::erfc(std::fabs(result.statistic) / std::numbers::sqrt2);
  return result;
}

test_result mean_z_test(const moments& m, double mu, double sigma) {
  return mean_z_test(m.finite, m.mean, mu, sigma);
}

test_result variance_chi_squared_test(std::size_t n, double sample_variance, double sigma) {
  if (n < 2) throw error("variance_chi_squared_test: needs n >= 2, got " + std::to_string(n));
  require_finite(sample_variance, "sample variance", "variance_chi_squared_test");
  if (sample_variance < 0.0) throw error("variance_chi_squared_test: negative sample variance");
  if (!(sigma > 0.0) || !std::isfinite(sigma))
    throw error("variance_chi_squared_test: need finite sigma > 0");
  const double df = static_cast<double>(n - 1);
  const double x = df * sample_variance / (sigma * sigma);
  // Boost.Math evaluates double arguments in long double unless told not to. In double the tails
  // are as close to R's pchisq (1.5e-13 relative at worst over gof_tests_test's 226 values,
  // tails near 1e-212 included, the same as promoted) and a row of 128 values is 4% cheaper
  // (x87 arithmetic was 3% of a profile of 100000 x 128).
  using in_double = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
  const auto smaller_tail = [df, x](const auto& null) {
    // min(P(X <= x), P(X >= x)): the tail on x's side of the mean first, the other only when
    // the first is within 1e-6 of 1/2 (the two add up to 1 to far better than that), so that a
    // row costs one incomplete gamma function instead of two, with the same result.
    const auto lower = [&] { return boost::math::cdf(null, x); };
    const auto upper = [&] { return boost::math::cdf(boost::math::complement(null, x)); };
    double smaller = x > df ? upper() : lower();
    if (smaller > 0.5 - 1e-6) smaller = std::min(lower(), upper());
    return smaller;
  };
  double smaller = 0.0;
  try {
    smaller = smaller_tail(boost::math::chi_squared_distribution<double, in_double>(df));
  } catch (const std::overflow_error&) {
    // Far in a tail Boost's prefix x^a e^-x / Gamma(a + 1) overflows (Gamma(a) past a = 171 in
    // double, past 1755 promoted: a row of 10^5 values of about 1e-42, float32 subnormals, stopped
    // the check with that error). Chernoff's bound P <= (r e^(1 - r))^(df / 2), r = x / df, holds
    // for the tail on x's side; below half the smallest double the tail rounds to 0. A throwaway
    // scan of df from 2 to 1e10 and x / df from 1e-320 to 1e3 found every overflow there; any
    // other is passed on.
    const double r = x / df;
    const double log_bound = df / 2 * (std::log(r) + 1.0 - r);
    if (!(log_bound < std::log(std::numeric_limits<double>::denorm_min()) - std::numbers::ln2)) throw;
    smaller = 0.0;
  }
  test_result result;
  result.statistic = x;
  result.p_value = std::min(1.0, 2.0 * smaller);
  return result;
}

test_result variance_chi_squared_test(const moments& m, double sigma) {
  return variance_chi_squared_test(m.finite, m.sample_variance, sigma);
}

}  // namespace embcheck
