#pragma once
/// \file order_statistic_fit.hpp
/// 1 - W for the regression tests of normality (Shapiro-Wilk, Shapiro-Francia), without cancellation.

#include <span>

namespace embcheck::detail {

/// 1 - r^2 of the sorted sample against antisymmetric coefficients c (c_{n+1-i} = -c_i), given as
/// their first half and the sum of squares over all n: the residual sum of squares of the
/// least-squares fit of the data on c, divided by the data's sum of squares. The data are centred
/// on the median and scaled by the range first (by a power of two more when the range or its
/// inverse is not finite), so no sum cancels near W = 1 and the result is in [0, 1].
/// `sorted` is ascending, finite and not constant, of size n with n / 2 == half_coefficients.size().
[[nodiscard]] double one_minus_squared_correlation(std::span<const double> sorted,
                                                   std::span<const double> half_coefficients,
                                                   double sum_of_squares);

}  // namespace embcheck::detail
