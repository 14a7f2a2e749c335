// Shapiro-Francia W' test of normality.
//
// Sources: S. S. Shapiro and R. S. Francia (1972), "An approximate analysis of variance test for
// normality", JASA 67, 215-216 (W' = squared correlation of the order statistics with expected
// normal scores); Blom (1958) scores Phi^-1((i - 3/8) / (n + 1/4)); p-value from P. Royston (1993),
// "A pocket-calculator algorithm for the Shapiro-Francia test for non-normality: an application
// to medicine", Statistics in Medicine 12, 181-184: log(1 - W') ~ N(mu, sigma) with
// mu = -1.2725 + 1.0521 (log log n - log n), sigma = 1.0308 - 0.26758 (log log n + 2 / log n),
// fitted for 5 <= n <= 5000. Reference implementation: R package nortest 1.0.4, sf.test
// (J. Gross, U. Ligges); the tests match its W' and p to 1e-9 relative.
//
// 1 - W' without cancellation: the scores are antisymmetric (sum 0), so the least-squares fit of
// the data d on them is mean(d) + b m_i with b = sum m_i d_i / sum m_i^2, and 1 - W' = RSS / SSX
// (residual over total sum of squares). Each residual is small and first-order insensitive to the
// error of b, so 1 - W' keeps ~eps / sqrt(1 - W') relative accuracy where 1 - cor^2 would lose
// ~eps / (1 - W'): at n = 800000, 1 - W' ~ 5e-6. The data are centred on the median and divided by
// the range first, as in shapiro_wilk.cpp, so offsets such as 1e6 + noise cost no digits.
//
// Above n = 5000 Royston's formula is extrapolated; Monte Carlo (docs/composite_tests.md) shows it
// rejects too often there, so p_calibrated is false.

#include <cmath>
#include <numbers>

#include "embcheck/error.hpp"
#include "embcheck/statistics/compensated_sum.hpp"
#include "embcheck/statistics/composite_tests.hpp"
#include "embcheck/statistics/normal_quantile.hpp"
#include "embcheck/statistics/order_statistic_fit.hpp"

namespace embcheck {

namespace {

// Royston's (1993) p-value, upper tail of N(mu, sigma) at log(1 - W').
double royston_1993_p_value(std::size_t n, double one_minus_w) noexcept {
  const double u = std::log(static_cast<double>(n));
  const double v = std::log(u);
  const double mu = -1.2725 + 1.0521 * (v - u);
  const double sigma = 1.0308 - 0.26758 * (v + 2.0 / u);
  const double z = (std::log(one_minus_w) - mu) / sigma;
  return 0.5 * std::erfc(z * (0.5 * std::numbers::sqrt2));
}

}  // namespace

shapiro_francia_scores::shapiro_francia_scores(std::size_t n) : n_(n), m_(n / 2) {
  if (n < shapiro_francia_minimum_size) throw error("Shapiro-Francia needs at least 5 values");
  // R's ppoints(n, a = 3/8): (i - 3/8) / (n + 1 - 2 (3/8)), both exact in double for any n < 2^50.
  blom_scores(n, m_);
  detail::compensated_sum squares;
  for (const double m : m_) squares.add(m * m);
  sum_of_squares_ = 2.0 * squares.value();
}

composite_result shapiro_francia_test(std::span<const double> sorted, const shapiro_francia_scores& scores) {
  const std::size_t n = sorted.size();
  if (n != scores.size()) throw error("Shapiro-Francia: sample size differs from the scores' size");
  detail::check_composite_input(sorted, shapiro_francia_minimum_size, "Shapiro-Francia");
  const double w1 = detail::one_minus_squared_correlation(sorted, scores.half(), scores.sum_of_squares());
  composite_result result;
  result.statistic = 1.0 - w1;
  result.p_value = royston_1993_p_value(n, w1);
  result.p_calibrated = n <= shapiro_francia_calibrated_size;
  return result;
}

composite_result shapiro_francia_test(std::span<const double> sorted) {
  return shapiro_francia_test(sorted, shapiro_francia_scores(sorted.size()));
}

}  // namespace embcheck
