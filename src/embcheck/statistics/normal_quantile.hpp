#pragma once
/// \file normal_quantile.hpp
/// Fast inverse of the standard normal CDF (Wichura's AS 241, PPND16), as R's qnorm.

#include <cstddef>
#include <span>

namespace embcheck {

/// Standard normal quantile Phi^-1(p), about 1e-16 relative; -Inf at p = 0, +Inf at 1, NaN outside [0, 1].
[[nodiscard]] double normal_quantile(double p) noexcept;

/// Blom's scores: out[i] = normal_quantile((i + 1 - 3/8) / (n + 1/4)) for i < out.size() <= n
/// (R's qnorm(ppoints(n)) for n > 10), the same numbers, several at a time.
void blom_scores(std::size_t n, std::span<double> out) noexcept;

}  // namespace embcheck
