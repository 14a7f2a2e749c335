#pragma once
/// \file null_hypothesis.hpp
/// The distribution values are tested against: a fully specified normal or uniform, or a normal
/// with mean and sd estimated from each sample.

#include <span>
#include <string>

namespace embcheck {

/// Family of the null distribution.
enum class null_family { normal, uniform };

/// What every value of a sample is assumed to be drawn from.
struct null_hypothesis {
  null_family family = null_family::normal;  ///< normal or uniform
  double a = 0.0;                            ///< normal: mean; uniform: low
  double b = 1.0;                            ///< normal: std (> 0); uniform: high (> low)
  bool fitted = false;  ///< normal only: mean and std estimated from each sample (composite null)

  /// Standard normal, what nn.Embedding claims.
  [[nodiscard]] static null_hypothesis standard_normal() noexcept { return {}; }
  /// Its mean.
  [[nodiscard]] double mean() const noexcept;
  /// Its standard deviation.
  [[nodiscard]] double std() const noexcept;
  /// Cumulative distribution function (simple nulls only).
  [[nodiscard]] double cdf(double x) const noexcept;
  /// x[i] = F(x[i]) for every value (simple nulls only); the normal CDF four values at a time
  /// (vector_math.hpp), within a few 1e-16 of cdf().
  void cdf_in_place(std::span<double> x) const noexcept;
  /// x[i] = 1 - F(x[i]) without forming F first: exact to the CDF's relative accuracy far in the
  /// upper tail, where 1 - F(x) by subtraction keeps only ~1e-16 absolute.
  void upper_tail_in_place(std::span<double> x) const noexcept;
  /// "N(0, 1)", "U(-1, 1)", "normal with fitted mean and std".
  [[nodiscard]] std::string describe() const;
};

}  // namespace embcheck
