// Shapiro-Wilk W test of normality.
//
// Source: J. P. Royston (1995), "Remark AS R94: A Remark on Algorithm AS 181: The W-test for
// Normality", Applied Statistics 44(4), 547-551; polynomial evaluation as AS 181.2 (Royston
// 1982, Applied Statistics 31(2)). Reference implementation: R's src/library/stats/src/swilk.c
// (R 4.2, double precision), which the tests match to 1e-9 relative for 3 <= n <= 5000.
// For 5000 < n <= 10^7 the p-value comes from a simulated null instead (shapiro_wilk_null.cpp).
//
// Differences from swilk.c, all in how the same quantities are computed:
// - The coefficients are built once per n (shapiro_wilk_coefficients) with compensated sums, and
//   stored with the sign of the order statistic they multiply (negative for the lower half).
// - The data are centred on the sample median before any sum (swilk.c only divides by the range),
//   so an offset such as 1e6 + noise costs no digits.
// - 1 - W is the residual sum of squares of the regression of the centred data on the
//   coefficients divided by the total sum of squares, R / SSX. swilk.c forms
//   (sqrt(SSA SSX) - SAX)(sqrt(SSA SSX) + SAX) / (SSA SSX), whose first factor still cancels: at
//   n = 800000 (1 - W ~ 3e-6) its relative error grows like eps / (1 - W). Each residual is
//   small and first-order insensitive to the error of the fitted slope, so R / SSX keeps about
//   eps / sqrt(1 - W) relative accuracy, and W = 1 - (1 - W) can never exceed 1.

#include "embcheck/statistics/shapiro_wilk.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "embcheck/error.hpp"
#include "embcheck/statistics/compensated_sum.hpp"
#include "embcheck/statistics/normal_quantile.hpp"
#include "embcheck/statistics/order_statistic_fit.hpp"
#include "embcheck/statistics/shapiro_wilk_null.hpp"

namespace embcheck {

namespace {

// Royston's polynomial coefficients (AS R94, as in swilk.c), lowest order first.
constexpr std::array<double, 6> c1 = {0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056};
constexpr std::array<double, 6> c2 = {0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633};
constexpr std::array<double, 2> g = {-2.273, 0.459};
constexpr std::array<double, 4> c3 = {0.544, -0.39978, 0.025054, -6.714e-4};
constexpr std::array<double, 4> c4 = {1.3822, -0.77857, 0.062767, -0.0020322};
constexpr std::array<double, 4> c5 = {-1.5861, -0.31082, -0.083751, 0.0038915};
constexpr std::array<double, 3> c6 = {-0.4803, -0.082676, 0.0030302};

// AS 181.2: cc[0] + cc[1] x + ..., evaluated in swilk.c's order so small-n p-values agree to the last bits.
template <std::size_t N>
double poly(const std::array<double, N>& cc, double x) noexcept {
  double result = cc[0];
  if constexpr (N > 1) {
    double p = x * cc[N - 1];
    for (std::size_t j = N - 2; j > 0; --j) p = (p + cc[j]) * x;
    result += p;
  }
  return result;
}

using detail::compensated_sum;

// Royston's p-value for W given 1 - W (swilk.c, "Calculate significance level for W").
double royston_p_value(std::size_t n, double w, double one_minus_w) {
  if (n == 3) {
    // Exact: P(W <= w) = (6/pi)(asin(sqrt(w)) - asin(sqrt(3/4))). swilk.c's 15-digit constants are
    // kept (they differ from 6/pi and pi/3 by < 5e-15) so that p near 0 agrees with R; W below its
    // minimum 3/4 only by rounding gives p = 0, as in R.
    constexpr double six_over_pi = 1.90985931710274;
    constexpr double asin_sqrt_three_quarters = 1.04719755119660;
    return std::max(0.0, six_over_pi * (std::asin(std::sqrt(w)) - asin_sqrt_three_quarters));
  }
  const double an = static_cast<double>(n);
  double y = std::log(one_minus_w);
  double mean;
  double sd;
  if (n <= 11) {
    const double gamma = poly(g, an);
    // swilk.c's value for W beyond the range of the transformation.
    if (y >= gamma) return 1e-99;
    y = -std::log(gamma - y);
    mean = poly(c3, an);
    sd = std::exp(poly(c4, an));
  } else {
    const double log_n = std::log(an);
    mean = poly(c5, log_n);
    sd = std::exp(poly(c6, log_n));
  }
  // Upper tail of N(mean, sd) at y.
  return 0.5 * std::erfc((y - mean) / sd * std::numbers::sqrt2 * 0.5);
}

// W and its p-value from 1 - W.
shapiro_wilk_result result_from(std::size_t n, double one_minus_w) {
  shapiro_wilk_result result;
  result.one_minus_w = one_minus_w;
  result.w = 1.0 - result.one_minus_w;
  result.royston_p_value = royston_p_value(n, result.w, result.one_minus_w);
  // Royston's p-value is R's up to n = 5000; above, the simulated null of shapiro_wilk_null.cpp
  // takes over up to the largest simulated n, and beyond that Royston's extrapolation is all there is.
  const bool simulated = n >= shapiro_wilk_null_min_n && n <= shapiro_wilk_null_max_n;
  result.p_value = simulated ? shapiro_wilk_null_p_value(n, result.one_minus_w) : result.royston_p_value;
  result.p_calibrated = n < shapiro_wilk_null_min_n || simulated;
  return result;
}

}  // namespace

shapiro_wilk_coefficients::shapiro_wilk_coefficients(std::size_t n) : n_(n), a_(n / 2) {
  if (n < 3) throw error("Shapiro-Wilk needs at least 3 values");
  if (n == 3) {
    a_[0] = -std::sqrt(0.5);
    sum_of_squares_ = 1.0;
    return;
  }
  // m_i = Phi^-1((i - 3/8) / (n + 1/4)), i = 1..n/2 (negative), approximates the expected normal
  // order statistics; Royston replaces the one (n <= 5) or two extreme coefficients by polynomials
  // in 1/sqrt(n) and rescales the rest so that the sum of squares is 1.
  const double an = static_cast<double>(n);
  const std::size_t half = a_.size();
  blom_scores(n, a_);
  compensated_sum m_squares;
  for (std::size_t i = 0; i < half; ++i) m_squares.add(a_[i] * a_[i]);
  const double summ2 = 2.0 * m_squares.value();
  const double ssumm2 = std::sqrt(summ2);
  const double rsn = 1.0 / std::sqrt(an);
  const double a1 = poly(c1, rsn) - a_[0] / ssumm2;
  std::size_t first_scaled;
  double fac;
  if (n > 5) {
    const double a2 = -a_[1] / ssumm2 + poly(c2, rsn);
    fac = std::sqrt((summ2 - 2.0 * (a_[0] * a_[0]) - 2.0 * (a_[1] * a_[1])) /
                    (1.0 - 2.0 * (a1 * a1) - 2.0 * (a2 * a2)));
    a_[1] = -a2;
    first_scaled = 2;
  } else {
    fac = std::sqrt((summ2 - 2.0 * (a_[0] * a_[0])) / (1.0 - 2.0 * (a1 * a1)));
    first_scaled = 1;
  }
  a_[0] = -a1;
  compensated_sum squares;
  for (std::size_t i = 0; i < half; ++i) {
    if (i >= first_scaled) a_[i] /= fac;
    squares.add(a_[i] * a_[i]);
  }
  sum_of_squares_ = 2.0 * squares.value();
}

shapiro_wilk_result shapiro_wilk_test(std::span<const double> sorted,
                                      const shapiro_wilk_coefficients& coefficients) {
  const std::size_t n = sorted.size();
  if (n != coefficients.size()) throw error("Shapiro-Wilk: sample size differs from the coefficients' size");
  const double range = sorted[n - 1] - sorted[0];
  if (!(range > 0.0)) throw error("Shapiro-Wilk: the sample is constant (zero range)");
  return result_from(
      n, detail::one_minus_squared_correlation(sorted, coefficients.half(), coefficients.sum_of_squares()));
}

}  // namespace embcheck
