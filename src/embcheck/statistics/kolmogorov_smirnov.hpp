#pragma once
/// \file kolmogorov_smirnov.hpp
/// One-sample Kolmogorov-Smirnov test against a fully specified continuous distribution.

#include <cstddef>
#include <cstdint>
#include <span>

namespace embcheck {

/// Statistics and two-sided p-value of a one-sample KS test.
struct ks_result {
  double statistic = 0.0;      ///< D = max(D+, D-)
  double d_plus = 0.0;         ///< max_i (i/n - F(x_(i)))
  double d_minus = 0.0;        ///< max_i (F(x_(i)) - (i-1)/n)
  double p_value = 1.0;        ///< P(D_n >= D) under the null, as scipy.stats.kstwo.sf(D, n)
  double p_value_plus = 1.0;   ///< P(D+_n >= D+), one-sided, as scipy.special.smirnov(n, D+)
  double p_value_minus = 1.0;  ///< P(D-_n >= D-), one-sided, as scipy.special.smirnov(n, D-)
};

/// Survival function of the two-sided statistic, P(D_n >= d), as SciPy's kstwo.sf
/// (Simard & L'Ecuyer 2011): exact for small n, asymptotic where they are accurate.
[[nodiscard]] double kolmogorov_sf(std::int64_t n, double d);

/// Survival function of the one-sided statistic, P(D+_n >= d), as scipy.special.smirnov(n, d)
/// (Birnbaum-Tingey sum; SciPy's approximation exp(-(6nd+1)^2/(18n)) above n = 10^6).
[[nodiscard]] double smirnov_sf(std::int64_t n, double d);

namespace detail {
/// d_plus = max_i ((i + 1)/n - c[i]) and d_minus = max_i (c[i] - i/n) over the n values at c;
/// false (and the two unset) if a value is outside [0, 1] or NaN.
[[nodiscard]] bool ks_differences(const double* c, std::size_t n, double& d_plus, double& d_minus) noexcept;

/// Zeros `padded` needs before p[0] (and one fewer after p[p_len - 1]) for pomeranz_convolution_row.
inline constexpr std::int64_t pomeranz_row_padding = 8;

/// One row of Pomeranz's recursion: out[r] = sum over s ascending of a[s] p[first + r - s], for
/// r < count, 0 <= s < a_len and 0 <= first + r - s < p_len (all terms >= 0), with p[j] at
/// padded[pomeranz_row_padding + j]. allow_avx2 = false takes the baseline code (same results).
void pomeranz_convolution_row(const double* a, std::int64_t a_len, const double* padded, std::int64_t p_len,
                              std::int64_t first, double* out, std::int64_t count,
                              bool allow_avx2 = true) noexcept;
}  // namespace detail

/// KS test of sorted values whose null CDF values are `cdf_values[i] = F(sorted[i])` (ascending).
[[nodiscard]] ks_result kolmogorov_smirnov_test(std::span<const double> cdf_values);

}  // namespace embcheck
