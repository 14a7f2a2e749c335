#pragma once
/// \file gof_tests.hpp
/// Goodness-of-fit tests against a fully specified null distribution (simple hypothesis):
/// Anderson-Darling, Cramér-von Mises, chi-squared with equiprobable bins, Jarque-Bera,
/// D'Agostino-Pearson K^2, and the mean and variance tests of a normal null.
/// Tests of shape take `cdf_values[i] = F(x_(i))`, the null CDF at the sorted sample (ascending,
/// in [0, 1]), as kolmogorov_smirnov_test does. See docs/tests.md for accuracy and valid ranges.

#include <cmath>
#include <cstddef>
#include <span>
#include <string>

#include "embcheck/error.hpp"
#include "embcheck/statistics/moments.hpp"

namespace embcheck {

namespace detail {

/// Throws embcheck::error unless `cdf_values` is non-empty, ascending and inside [0, 1].
inline void check_sorted_cdf_values(std::span<const double> cdf_values, const char* test) {
  if (cdf_values.empty()) throw error(std::string(test) + ": no values");
  double previous = 0.0;
  for (const double u : cdf_values) {
    if (!(u >= previous && u <= 1.0)) {
      throw error(std::string(test) + ": CDF values must be sorted and in [0, 1], got " + std::to_string(u));
    }
    previous = u;
  }
}

}  // namespace detail

/// Statistic and p-value of one test.
struct test_result {
  double statistic = 0.0;         ///< the test statistic
  double p_value = 1.0;           ///< P(statistic at least as extreme) under the null
  bool p_is_upper_bound = false;  ///< p_value is only an upper bound (true p smaller)
};

/// Limiting CDF of the Anderson-Darling statistic, lim P(A^2_n < a2) (Marsaglia's ADinf, ~1e-15).
[[nodiscard]] double anderson_darling_limit_cdf(double a2);

/// P(A^2_n >= a2) by ADinf plus Marsaglia's finite-n correction errfix; below the accuracy floor
/// max(1e-6, 1e-3/n) it returns the floor with p_is_upper_bound set. `statistic` is `a2`.
[[nodiscard]] test_result anderson_darling_sf(double a2, std::size_t n);

/// Anderson-Darling test of sorted null CDF values; 0 and 1 are clamped (p then an upper bound).
/// `upper_tail`, when given, holds 1 - F(x) of the last upper_tail.size() values, computed
/// without the cancellation of 1 - F (a double near 1 keeps 1 - F to ~1e-16 absolute only).
[[nodiscard]] test_result anderson_darling_test(std::span<const double> cdf_values,
                                                std::span<const double> upper_tail = {});

namespace detail {

/// Terms of Anderson-Darling's sum are added in parts of this many, whoever adds them.
inline constexpr std::size_t anderson_darling_part_size = std::size_t{1} << 18;

/// One part of Anderson-Darling's sum: its compensated total and whether a CDF value was clamped.
struct anderson_darling_part {
  double sum = 0.0;      ///< the plainly rounded partial sum
  double carry = 0.0;    ///< its accumulated rounding errors
  bool clamped = false;  ///< a CDF value of 0 or 1 was clamped
};

/// Number of parts of a sample of n values: ceil(n / anderson_darling_part_size).
[[nodiscard]] std::size_t anderson_darling_parts(std::size_t n) noexcept;

/// Part `k` of the sum over sorted null CDF values (checked sorted and in [0, 1] over the part),
/// with 1 - F of the last values from `upper_tail` as anderson_darling_test takes it.
[[nodiscard]] anderson_darling_part anderson_darling_sum_part(std::span<const double> cdf_values,
                                                              std::size_t k,
                                                              std::span<const double> upper_tail = {});

/// The test from all parts of a sample of n > 0 values, in order.
[[nodiscard]] test_result anderson_darling_from_parts(std::span<const anderson_darling_part> parts,
                                                      std::size_t n);

}  // namespace detail

/// Limiting CDF of the Cramér-von Mises statistic, lim P(W^2_n < w2) (Csörgő-Faraway eq. 1.2).
[[nodiscard]] double cramer_von_mises_limit_cdf(double w2);

/// P(W^2_n >= w2) by the Csörgő-Faraway finite-n approximation (as R goftest pCvM); below the
/// accuracy floor max(1e-6, 1e-3/n) it returns the floor with p_is_upper_bound set.
[[nodiscard]] test_result cramer_von_mises_sf(double w2, std::size_t n);

/// Cramér-von Mises test of sorted null CDF values.
[[nodiscard]] test_result cramer_von_mises_test(std::span<const double> cdf_values);

/// Default number of equiprobable bins for n values: floor(2 n^(2/5)), at most n/5 and 1000, at least 2.
[[nodiscard]] std::size_t chi_squared_default_bins(std::size_t n);

/// Chi-squared test with `bins` equiprobable bins (bin i holds u in [i/k, (i+1)/k), u = 1 in the
/// last), df = bins - 1, of sorted null CDF values.
[[nodiscard]] test_result chi_squared_test(std::span<const double> cdf_values, std::size_t bins);

/// Chi-squared test with chi_squared_default_bins(cdf_values.size()) bins.
[[nodiscard]] test_result chi_squared_test(std::span<const double> cdf_values);

/// Jarque-Bera test, JB = n/6 (S^2 + K^2/4) ~ chi-squared(2), from population skewness S and
/// excess kurtosis K (as scipy.stats.jarque_bera).
[[nodiscard]] test_result jarque_bera_test(std::size_t n, double skewness, double excess_kurtosis);

/// Jarque-Bera test from the moments of a row (n = its finite values).
[[nodiscard]] test_result jarque_bera_test(const moments& m);

/// Whether D'Agostino-Pearson applies: the skewness test needs n >= 8.
[[nodiscard]] constexpr bool dagostino_applicable(std::size_t n) noexcept { return n >= 8; }

/// D'Agostino's normal score of the sample skewness (scipy.stats.skewtest's z; n >= 8).
[[nodiscard]] double dagostino_skewness_z(std::size_t n, double skewness);

/// Anscombe-Glynn normal score of the sample kurtosis (scipy.stats.kurtosistest's z; n >= 5).
[[nodiscard]] double anscombe_glynn_kurtosis_z(std::size_t n, double excess_kurtosis);

/// D'Agostino-Pearson K^2 = z_skew^2 + z_kurt^2 ~ chi-squared(2) (scipy.stats.normaltest); throws
/// embcheck::error unless dagostino_applicable(n).
[[nodiscard]] test_result dagostino_pearson_test(std::size_t n, double skewness, double excess_kurtosis);

/// D'Agostino-Pearson K^2 from the moments of a row (n = its finite values).
[[nodiscard]] test_result dagostino_pearson_test(const moments& m);

/// Two-sided z test of the mean against a known normal null: z = (mean - mu) sqrt(n) / sigma.
[[nodiscard]] test_result mean_z_test(std::size_t n, double mean, double mu, double sigma);

/// Mean z test from the moments of a row (n = its finite values).
[[nodiscard]] test_result mean_z_test(const moments& m, double mu, double sigma);

/// Two-sided variance test against a known normal null: (n - 1) s^2 / sigma^2 ~ chi-squared(n - 1),
/// p = min(1, 2 min(lower, upper)); `sample_variance` has divisor n - 1 (n >= 2).
[[nodiscard]] test_result variance_chi_squared_test(std::size_t n, double sample_variance, double sigma);

/// Variance test from the moments of a row (n = its finite values).
[[nodiscard]] test_result variance_chi_squared_test(const moments& m, double sigma);

}  // namespace embcheck
