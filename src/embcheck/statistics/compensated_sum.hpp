#pragma once
/// \file compensated_sum.hpp
/// Neumaier's compensated summation (Neumaier 1974, an improved Kahan-Babuska sum), shared by
/// the statistics that sum many terms of mixed magnitude.

#include <cmath>

namespace embcheck::detail {

/// A running sum whose rounding error is carried separately and added back at the end.
struct compensated_sum {
  double sum = 0.0;    ///< the plainly rounded running sum
  double carry = 0.0;  ///< the accumulated rounding errors

  /// Adds `value`.
  void add(double value) noexcept {
    const double t = sum + value;
    carry += std::fabs(sum) >= std::fabs(value) ? (sum - t) + value : (value - t) + sum;
    sum = t;
  }
  /// The compensated total.
  [[nodiscard]] double value() const noexcept { return sum + carry; }
};

}  // namespace embcheck::detail
