// 1 - W of the Shapiro-Wilk and Shapiro-Francia tests as a residual sum of squares.
// W is the squared correlation of the order statistics with the coefficients (Shapiro & Wilk
// 1965; Shapiro & Francia 1972); R's swilk.c (AS R94) computes 1 - W from sqrt(SSA SSX) - SAX,
// which still cancels near W = 1. Here the coefficients sum to zero, so the least-squares fit of
// the centred data d on them is mean(d) + slope c_i, and 1 - W = RSS / SSX with no cancellation.
#include "embcheck/statistics/order_statistic_fit.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace embcheck::detail {
namespace {

// 1 - W of `x` (sorted; (x[i] - centre) * inverse_range is O(1) and finite).
double one_minus_w(const double* x, std::size_t n, const double* c, double sum_of_squares, double centre,
                   double inverse_range) noexcept {
  const std::size_t half = n / 2;
  // Pass 1: sums of the centred, scaled data d_i, of d_i^2, and sum c_i d_i. The two halves are
  // walked together since c_{n+1-i} = -c_i; two lanes of accumulators for throughput.
  double s[2] = {0.0, 0.0};
  double s2[2] = {0.0, 0.0};
  double scd[2] = {0.0, 0.0};
  std::size_t i = 0;
  for (; i + 1 < half; i += 2) {
    for (std::size_t lane = 0; lane < 2; ++lane) {
      const double lo = (x[i + lane] - centre) * inverse_range;
      const double hi = (x[n - 1 - i - lane] - centre) * inverse_range;
      s[lane] += lo + hi;
      s2[lane] += lo * lo + hi * hi;
      scd[lane] += c[i + lane] * (lo - hi);
    }
  }
  for (; i < half; ++i) {
    const double lo = (x[i] - centre) * inverse_range;
    const double hi = (x[n - 1 - i] - centre) * inverse_range;
    s[0] += lo + hi;
    s2[0] += lo * lo + hi * hi;
    scd[0] += c[i] * (lo - hi);
  }
  if (n % 2 == 1) {
    const double mid = (x[half] - centre) * inverse_range;
    s[0] += mid;
    s2[0] += mid * mid;
  }
  const double sum = s[0] + s[1];
  const double mean = sum / static_cast<double>(n);
  // Centred on the median, |mean| <= sd, so this subtraction loses at most one bit.
  const double ssx = (s2[0] + s2[1]) - sum * mean;
  const double slope = (scd[0] + scd[1]) / sum_of_squares;

  // Pass 2: residual sum of squares of the fit mean + slope * c_i.
  double rss[2] = {0.0, 0.0};
  i = 0;
  for (; i + 1 < half; i += 2) {
    for (std::size_t lane = 0; lane < 2; ++lane) {
      const double fit = slope * c[i + lane];
      const double lo = (x[i + lane] - centre) * inverse_range - mean - fit;
      const double hi = (x[n - 1 - i - lane] - centre) * inverse_range - mean + fit;
      rss[lane] += lo * lo + hi * hi;
    }
  }
  for (; i < half; ++i) {
    const double fit = slope * c[i];
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

}  // namespace

double one_minus_squared_correlation(std::span<const double> sorted,
                                     std::span<const double> half_coefficients, double sum_of_squares) {
  const std::size_t n = sorted.size();
  const double* c = half_coefficients.data();
  const double range = sorted[n - 1] - sorted[0];
  const double inverse_range = 1.0 / range;
  if (std::isfinite(range) && std::isfinite(inverse_range)) {
    return one_minus_w(sorted.data(), n, c, sum_of_squares, sorted[n / 2], inverse_range);
  }
  // Range overflows (values beyond +-DBL_MAX / 2) or is subnormal: W is scale invariant, so rescale
  // a copy by a power of two (exact unless values become subnormal, which then do not matter).
  const double factor = std::isfinite(range) ? 0x1p600 : 0.5;
  std::vector<double> scaled(sorted.begin(), sorted.end());
  for (double& value : scaled) value *= factor;
  return one_minus_w(scaled.data(), n, c, sum_of_squares, scaled[n / 2], 1.0 / (scaled[n - 1] - scaled[0]));
}

}  // namespace embcheck::detail
