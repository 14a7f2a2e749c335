#pragma once
/// \file shapiro_wilk.hpp
/// Shapiro-Wilk W test of normality, Royston's algorithm AS R94.

#include <cstddef>
#include <span>
#include <vector>

#include "embcheck/table.hpp"

namespace embcheck {

/// W and its p-value: Royston's (as R) for n <= 5000, the simulated null (shapiro_wilk_null.hpp) up to
/// n = 10^7, Royston's extrapolation (miscalibrated, p_calibrated false) beyond.
struct shapiro_wilk_result {
  double w = 1.0;                ///< the W statistic, in (0, 1]
  double one_minus_w = 0.0;      ///< 1 - W computed without cancellation (use it, not 1 - w, for log(1 - W))
  double p_value = 1.0;          ///< the p-value described above
  bool p_calibrated = true;      ///< false for n > 10^7, where p_value is Royston's extrapolation
  double royston_p_value = 1.0;  ///< Royston's normal approximation (AS R94) at every n, as R's formula
};

/// The coefficients a_i of AS R94 for one sample size; compute once, use for every row of that length.
class shapiro_wilk_coefficients {
 public:
  /// Coefficients for samples of size n (n >= 3; throws embcheck::error otherwise).
  explicit shapiro_wilk_coefficients(std::size_t n);
  /// The sample size these coefficients are for.
  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  /// The first n/2 coefficients (antisymmetric: a_{n+1-i} = -a_i), negative, with sum over all n of a_i^2
  /// = 1.
  [[nodiscard]] std::span<const double> half() const noexcept { return a_; }
  /// Sum of a_i^2 over all n coefficients as computed (1 up to rounding).
  [[nodiscard]] double sum_of_squares() const noexcept { return sum_of_squares_; }

 private:
  std::size_t n_;
  value_vector<double> a_;  // filled by the constructor, not zeroed first
  double sum_of_squares_ = 0.0;
};

/// Shapiro-Wilk test of `sorted` (ascending, finite, not all equal, size == coefficients.size()).
/// Throws embcheck::error if the sizes differ or the range sorted.back() - sorted.front() is not > 0
/// (a constant row: R stops there too); a NaN inside gives NaN results.
[[nodiscard]] shapiro_wilk_result shapiro_wilk_test(std::span<const double> sorted,
                                                    const shapiro_wilk_coefficients& coefficients);

}  // namespace embcheck
