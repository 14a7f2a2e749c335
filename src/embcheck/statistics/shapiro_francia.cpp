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

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/statistics/composite_tests.hpp"
#include "embcheck/statistics/normal_quantile.hpp"

namespace embcheck {

namespace {

// 1 - W' of `x` (sorted; (x[i] - centre) * inverse_range is O(1) and finite).
double one_minus_w(const double* x, std::size_t n, const double* m, double ssm, double centre,
                   double inverse_range) noexcept {
  const std::size_t half = n / 2;
  // Pass 1: sums of d_i, d_i^2 and sum m_i d_i, walking both halves together (m_{n+1-i} = -m_i).
  double s[2] = {0.0, 0.0};
  double s2[2] = {0.0, 0.0};
  double smd[2] = {0.0, 0.0};
  std::size_t i = 0;
  for (; i + 1 < half; i += 2) {
    for (std::size_t lane = 0; lane < 2; ++lane) {
      const double lo = (x[i + lane] - centre) * inverse_range;
      const double hi = (x[n - 1 - i - lane] - centre) * inverse_range;
      s[lane] += lo + hi;
      s2[lane] += lo * lo + hi * hi;
      smd[lane] += m[i + lane] * (lo - hi);
    }
  }
  for (; i < half; ++i) {
    const double lo = (x[i] - centre) * inverse_range;
    const double hi = (x[n - 1 - i] - centre) * inverse_range;
    s[0] += lo + hi;
    s2[0] += lo * lo + hi * hi;
    smd[0] += m[i] * (lo - hi);
  }
  if (n % 2 == 1) {
    const double mid = (x[half] - centre) * inverse_range;
    s[0] += mid;
    s2[0] += mid * mid;
  }
  const double an = static_cast<double>(n);
  const double sum = s[0] + s[1];
  const double mean = sum / an;
  // Centred on the median, |mean| is at most about one sd: this subtraction loses at most a bit.
  const double ssx = (s2[0] + s2[1]) - sum * mean;
  const double slope = (smd[0] + smd[1]) / ssm;

  // Pass 2: residual sum of squares.
  double rss[2] = {0.0, 0.0};
  i = 0;
  for (; i + 1 < half; i += 2) {
    for (std::size_t lane = 0; lane < 2; ++lane) {
      const double fit = slope * m[i + lane];
      const double lo = (x[i + lane] - centre) * inverse_range - mean - fit;
      const double hi = (x[n - 1 - i - lane] - centre) * inverse_range - mean + fit;
      rss[lane] += lo * lo + hi * hi;
    }
  }
  for (; i < half; ++i) {
    const double fit = slope * m[i];
    const double lo = (x[i] - centre) * inverse_range - mean - fit;
    const double hi = (x[n - 1 - i] - centre) * inverse_range - mean + fit;
    rss[0] += lo * lo + hi * hi;
  }
  if (n % 2 == 1) {
    const double mid = (x[half] - centre) * inverse_range - mean;
    rss[0] += mid * mid;
  }
  return std::clamp((rss[0] + rss[1]) / ssx, 0.0, 1.0);
}

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
  const double denominator = static_cast<double>(n) + 0.25;
  double sum = 0.0;
  double carry = 0.0;
  for (std::size_t i = 0; i < m_.size(); ++i) {
    m_[i] = normal_quantile((static_cast<double>(i + 1) - 0.375) / denominator);
    const double square = m_[i] * m_[i];
    const double t = sum + square;
    carry += std::fabs(sum) >= square ? (sum - t) + square : (square - t) + sum;
    sum = t;
  }
  sum_of_squares_ = 2.0 * (sum + carry);
}

composite_result shapiro_francia_test(std::span<const double> sorted, const shapiro_francia_scores& scores) {
  const std::size_t n = sorted.size();
  if (n != scores.size()) throw error("Shapiro-Francia: sample size differs from the scores' size");
  detail::check_composite_input(sorted, shapiro_francia_minimum_size, "Shapiro-Francia");
  const double* m = scores.half().data();
  const double range = sorted[n - 1] - sorted[0];
  const double inverse_range = 1.0 / range;
  double w1;
  if (std::isfinite(range) && std::isfinite(inverse_range)) {
    w1 = one_minus_w(sorted.data(), n, m, scores.sum_of_squares(), sorted[n / 2], inverse_range);
  } else {
    // The range overflows or its inverse does: W' is scale invariant, so test a copy rescaled by a
    // power of two (exact unless values become subnormal, which then do not matter).
    const double factor = std::isfinite(range) ? 0x1p600 : 0.5;
    std::vector<double> scaled(sorted.begin(), sorted.end());
    for (double& value : scaled) value *= factor;
    w1 = one_minus_w(scaled.data(), n, m, scores.sum_of_squares(), scaled[n / 2],
                     1.0 / (scaled[n - 1] - scaled[0]));
  }
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
