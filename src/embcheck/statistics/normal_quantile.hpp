#pragma once
/// \file normal_quantile.hpp
/// Fast inverse of the standard normal CDF (Wichura's AS 241, PPND16), as R's qnorm.

namespace embcheck {

/// Standard normal quantile Phi^-1(p), about 1e-16 relative; -Inf at p = 0, +Inf at 1, NaN outside [0, 1].
[[nodiscard]] double normal_quantile(double p) noexcept;

}  // namespace embcheck
