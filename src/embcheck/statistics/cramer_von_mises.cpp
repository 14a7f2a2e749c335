// Cramér-von Mises test of a fully specified continuous null, and the distribution of W^2_n.
//
// Sources:
//  [CF96]  S. Csörgő, J. J. Faraway (1996), "The Exact and Asymptotic Distributions of
//          Cramér-von Mises Statistics", J. R. Stat. Soc. B 58(1): 221-234. Eq. 1.2: the limiting
//          CDF V(x) as a series of modified Bessel functions K_{1/4}; eq. 1.8-1.10: the finite-n
//          approximation V_n(x) = V(x) + psi_1(x) / n, psi_1 a series in K_{1/4}, K_{3/4}, K_{5/4}.
//  Reference implementations: R package goftest 1.2.3, pCvM (R/cvmtest.R: Vinf, psi1, AkOnFk,
//  ED2, ED3, after Faraway's MAPLE code) and SciPy 1.10 scipy.stats.cramervonmises
//  (_cdf_cvm, _cdf_cvm_inf, _psi1_mod). Both stop their series at terms below 1e-9 (goftest) or
//  1e-7 (SciPy); here the series run until a term no longer changes the sum in double precision,
//  so the three agree to about 1e-8 (goftest) and 1e-6 (SciPy).
//
// Decisions:
//  - The statistic is W^2 = 1/(12n) + sum_i (u_(i) - (2i - 1)/(2n))^2, summed in blocks with
//    Neumaier's compensated sum across blocks.
//  - Support [1/(12n), n/3]: p = 1 at the lower end, and no p-value is computed at or above the
//    upper end (goftest caps n at 100 for these two checks; the difference is far below 1e-30).
//  - [CF96]'s approximation is not accurate in the far upper tail for small n: against 4e7
//    simulated samples, at n = 5 it gives 7.7e-6 where the true tail is 1e-4 and 0 at 1e-5.
//    Below the floor max(1e-6, 0.02 / n^2) the floor is reported as an upper bound; the floor
//    was chosen from simulations at n = 5, 10 and 50 (docs/tests.md).

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <boost/math/special_functions/bessel.hpp>

#include "embcheck/statistics/compensated_sum.hpp"
#include "embcheck/statistics/gof_tests.hpp"

namespace embcheck {
namespace {

constexpr double pi = std::numbers::pi;
constexpr int max_terms = 2000;

double bessel_k(double nu, double z) { return boost::math::cyl_bessel_k(nu, z); }

// e^{-y^2/4} D_2(y) of [CF96] (goftest's ED2).
double ed2(double y) {
  const double z = y * y / 4.0;
  if (z > 700.0) return 0.0;
  return std::exp(-z) * (bessel_k(0.25, z) + bessel_k(0.75, z)) * std::sqrt(y * y * y / (8.0 * pi));
}

// e^{-y^2/4} D_3(y) of [CF96] (goftest's ED3).
double ed3(double y) {
  const double z = y * y / 4.0;
  if (z > 700.0) return 0.0;
  const double b = 2.0 * bessel_k(0.25, z) + 3.0 * bessel_k(0.75, z) - bessel_k(1.25, z);
  return std::exp(-z) * b * std::sqrt(y * y * y * y * y / (32.0 * pi));
}

// True once k is past the largest term and the term no longer changes the sum.
bool converged(double term, double sum, int k, int min_k) {
  return k >= min_k && std::fabs(term) <= 1e-17 * std::fabs(sum);
}

// psi_1(x) of [CF96] eq. 1.10.
double psi1(double x, double limit_cdf) {
  const double two_sqrt_x = 2.0 * std::sqrt(x);
  const double x34 = std::pow(x, 0.75);
  const double x54 = std::pow(x, 1.25);
  // Terms grow while (4k + 1)^2 / (16 x) < 1, i.e. up to k ~ sqrt(x); they decay after that.
  const int min_k = static_cast<int>(std::sqrt(x)) + 3;
  double gamma_ratio = std::sqrt(pi);  // Gamma(k + 1/2) / k!
  double sum = 0.0;
  for (int k = 0; k < max_terms; ++k) {
    const double f1 = (4.0 * k + 1.0) / two_sqrt_x;
    const double f3 = (4.0 * k + 3.0) / two_sqrt_x;
    const double f5 = (4.0 * k + 5.0) / two_sqrt_x;
    const double term =
        gamma_ratio * (ed3(f1) / (72.0 * x54) +
                       (2.0 * k + 1.0) * (ed2(f3) / (9.0 * x34) + (2.0 * k + 3.0) * ed3(f5) / (12.0 * x54) +
                                          7.0 * (ed2(f1) + ed2(f5)) / (144.0 * x34)));
    sum += term;
    if (converged(term, sum, k, min_k)) break;
    gamma_ratio *= (k + 0.5) / (k + 1.0);
  }
  return limit_cdf / 12.0 - sum / pi;
}

using detail::compensated_sum;

}  // namespace

double cramer_von_mises_limit_cdf(double w2) {
  if (std::isnan(w2)) return w2;
  if (w2 <= 0.0) return 0.0;
  if (w2 == std::numeric_limits<double>::infinity()) return 1.0;
  // V(x) = 1/(pi sqrt x) sum_k Gamma(k + 1/2) / (sqrt(pi) k!) sqrt(4k + 1) e^{-q} K_{1/4}(q),
  // q = (4k + 1)^2 / (16 x).
  const int min_k = static_cast<int>(std::sqrt(w2)) + 3;
  double gamma_ratio = 1.0;  // Gamma(k + 1/2) / (sqrt(pi) k!)
  double sum = 0.0;
  for (int k = 0; k < max_terms; ++k) {
    const double y = 4.0 * k + 1.0;
    const double q = y * y / (16.0 * w2);
    if (q > 700.0) break;  // this and all later terms are below e^-1400
    const double term = gamma_ratio * std::sqrt(y) * std::exp(-q) * bessel_k(0.25, q);
    sum += term;
    if (converged(term, sum, k, min_k)) break;
    gamma_ratio *= (k + 0.5) / (k + 1.0);
  }
  return sum / (pi * std::sqrt(w2));
}

test_result cramer_von_mises_sf(double w2, std::size_t n) {
  if (n == 0) throw error("cramer_von_mises_sf: n must be positive");
  if (std::isnan(w2)) throw error("cramer_von_mises_sf: statistic is NaN");
  const double nn = static_cast<double>(n);
  const double floor = std::max(1e-6, 0.02 / (nn * nn));
  test_result result;
  result.statistic = w2;
  if (w2 <= 1.0 / (12.0 * nn)) return result;
  double p = 0.0;
  if (w2 < nn / 3.0) {
    const double v = cramer_von_mises_limit_cdf(w2);
    p = std::min(1.0, 1.0 - (v + psi1(w2, v) / nn));
  }
  if (p < floor) {
    result.p_value = floor;
    result.p_is_upper_bound = true;
  } else {
    result.p_value = p;
  }
  return result;
}

test_result cramer_von_mises_test(std::span<const double> cdf_values) {
  detail::check_sorted_cdf_values(cdf_values, "cramer_von_mises_test");
  const std::size_t n = cdf_values.size();
  const double two_n = 2.0 * static_cast<double>(n);
  const double inv_two_n = 1.0 / two_n;
  constexpr std::size_t block = 1024;
  compensated_sum total;
  for (std::size_t start = 0; start < n; start += block) {
    const std::size_t stop = std::min(n, start + block);
    double sum = 0.0;
    for (std::size_t i = start; i < stop; ++i) {
      const double d = cdf_values[i] - (2.0 * static_cast<double>(i) + 1.0) * inv_two_n;
      sum += d * d;
    }
    total.add(sum);
  }
  total.add(1.0 / (6.0 * two_n));
  return cramer_von_mises_sf(total.value(), n);
}

}  // namespace embcheck
