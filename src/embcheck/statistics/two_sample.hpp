#pragma once
/// \file two_sample.hpp
/// Two-sample and k-sample tests of equal distributions: Kolmogorov-Smirnov and Anderson-Darling.

#include <array>
#include <span>
#include <vector>

namespace embcheck {

/// How a two-sample KS p-value was computed.
enum class ks_method { exact, asymptotic };

/// Two-sided two-sample Kolmogorov-Smirnov test, as scipy.stats.ks_2samp (SciPy 1.10).
struct ks_2samp_result {
  double statistic = 0.0;               ///< D = max |F1(x) - F2(x)|
  double p_value = 1.0;                 ///< two-sided p-value
  ks_method method = ks_method::exact;  ///< exact lattice-path count or kstwo asymptotics
};

/// The two-sided two-sample KS test of `first` against `second` (unsorted, both non-empty).
/// method 'auto' as SciPy: exact when both sizes are at most 10000, else kstwo.sf(D, round(n m / (n + m))).
[[nodiscard]] ks_2samp_result ks_2samp(std::span<const double> first, std::span<const double> second);

/// ks_2samp of two samples already sorted in ascending order (no copy).
[[nodiscard]] ks_2samp_result ks_2samp_sorted(std::span<const double> a, std::span<const double> b);

/// The exact two-sided p-value P(D >= d) for sample sizes n1, n2, or a negative value if
/// floating point cannot represent it (SciPy then falls back to the asymptotic value).
[[nodiscard]] double ks_2samp_exact_p(std::size_t n1, std::size_t n2, double d);

/// k-sample Anderson-Darling test (Scholz and Stephens 1987), as scipy.stats.anderson_ksamp
/// (SciPy 1.10, midrank=True).
struct anderson_ksamp_result {
  double statistic = 0.0;                   ///< standardized A2akN, (A2akN - (k - 1)) / sigma
  std::array<double, 7> critical_values{};  ///< at 25%, 10%, 5%, 2.5%, 1%, 0.5%, 0.1%
  double p_value = 1.0;                     ///< interpolated p-value, clipped to [0.001, 0.25]
  bool p_at_most = false;   ///< statistic beyond the 0.1% critical value: true p <= 0.001 (reported 0.001)
  bool p_at_least = false;  ///< statistic below the 25% critical value: true p >= 0.25 (reported 0.25)
};

/// The k-sample Anderson-Darling test of `samples` (k >= 2, none empty, two distinct values at least).
[[nodiscard]] anderson_ksamp_result anderson_ksamp(std::span<const std::span<const double>> samples);

namespace detail {

/// Variance of the k-sample statistic A2akN under the null for samples of `sizes` [SS87, eq. 4],
/// summed as SciPy sums it.
[[nodiscard]] double anderson_ksamp_variance(std::span<const std::size_t> sizes);

/// SciPy's significance of a standardized k-sample Anderson-Darling statistic with m = k - 1.
struct ksamp_significance {
  std::array<double, 7> critical_values{};  ///< at 25%, 10%, 5%, 2.5%, 1%, 0.5%, 0.1%
  double p_value = 1.0;                     ///< interpolated p-value, clipped to [0.001, 0.25]
  int clipped = 0;                          ///< -1: at least 0.25; +1: at most 0.001; 0: inside
};

/// Interpolates log(significance) quadratically in the critical values [SS87, Table 2], as
/// scipy.stats.anderson_ksamp, and clips outside them.
[[nodiscard]] ksamp_significance anderson_ksamp_significance(double statistic, double m);

}  // namespace detail

}  // namespace embcheck
