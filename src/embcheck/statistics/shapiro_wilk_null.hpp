#pragma once
/// \file shapiro_wilk_null.hpp
/// Simulated null distribution of the Shapiro-Wilk statistic for 5000 < n <= 10^7
/// (docs/shapiro_wilk_null.md).

#include <cstddef>

namespace embcheck {

/// Smallest sample size served by the simulated null (below it Royston's AS R94 p-value is used).
inline constexpr std::size_t shapiro_wilk_null_min_n = 5001;
/// Largest sample size served by the simulated null (the largest simulated n).
inline constexpr std::size_t shapiro_wilk_null_max_n = 10'000'000;

/// P(1 - W >= one_minus_w) for n normal values, shapiro_wilk_null_min_n <= n <= shapiro_wilk_null_max_n
/// (throws embcheck::error outside); 1 for one_minus_w <= the distribution's threshold, NaN for NaN.
[[nodiscard]] double shapiro_wilk_null_p_value(std::size_t n, double one_minus_w);

}  // namespace embcheck
