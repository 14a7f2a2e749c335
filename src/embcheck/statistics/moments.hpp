#pragma once
/// \file moments.hpp
/// Descriptive statistics of one row or of the pooled table, in double precision.

#include <cstddef>
#include <span>

namespace embcheck {

/// Counts and moments of a sample. Moments use the finite values only; with none, they are NaN.
/// A constant sample (one finite value, or all equal) has mean equal to that value, variance exactly 0,
/// and NaN skewness and kurtosis (scipy gives NaN there too).
struct moments {
  std::size_t n = 0;                  ///< number of values, finite or not
  std::size_t finite = 0;             ///< number of finite values the moments are computed from
  double mean = 0.0;                  ///< arithmetic mean
  double variance = 0.0;              ///< population variance (divisor n)
  double sample_variance = 0.0;       ///< unbiased variance (divisor n - 1; NaN for n < 2)
  double std = 0.0;                   ///< sqrt of the sample variance
  double min = 0.0;                   ///< smallest finite value
  double max = 0.0;                   ///< largest finite value
  double skewness = 0.0;              ///< population skewness m3 / m2^1.5 (scipy.stats.skew)
  double excess_kurtosis = 0.0;       ///< m4 / m2^2 - 3 (scipy.stats.kurtosis)
  std::size_t nan = 0;                ///< NaN values
  std::size_t positive_infinity = 0;  ///< +Inf values
  std::size_t negative_infinity = 0;  ///< -Inf values
  std::size_t zeros = 0;              ///< values equal to +0 or -0
  std::size_t subnormals = 0;         ///< nonzero values below `smallest_normal` in magnitude

  /// NaN and infinite values together.
  [[nodiscard]] std::size_t nonfinite() const noexcept { return nan + positive_infinity + negative_infinity; }
};

/// Moments of `values` by a two-pass algorithm in double (compensated sums);
/// `smallest_normal` is the source type's (FLT_MIN for float32) and decides what counts as subnormal.
[[nodiscard]] moments compute_moments(std::span<const double> values, double smallest_normal);
/// compute_moments of float values (each read as double).
[[nodiscard]] moments compute_moments(std::span<const float> values, double smallest_normal);

}  // namespace embcheck
