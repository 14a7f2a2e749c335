#pragma once
/// \file comparison.hpp
/// Comparing two tables: do row i of A and row i of B (column j, all values) come from the same
/// distribution? Two-sample Kolmogorov-Smirnov and Anderson-Darling tests, moments and their
/// differences, and a verdict over all p-values as for a single table (docs/compare.md).

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embcheck/statistics/analysis.hpp"
#include "embcheck/statistics/moments.hpp"
#include "embcheck/statistics/two_sample.hpp"
#include "embcheck/table.hpp"
#include "embcheck/verdict/verdict.hpp"

namespace embcheck {

/// The tests of a comparison.
enum class comparison_test_kind {
  ks,        ///< two-sample Kolmogorov-Smirnov (scipy.stats.ks_2samp)
  anderson,  ///< two-sample Anderson-Darling A2akN (Scholz and Stephens 1987; scipy.stats.anderson_ksamp)
};

/// Every comparison test, in report order.
inline constexpr comparison_test_kind all_comparison_tests[] = {comparison_test_kind::ks,
                                                                comparison_test_kind::anderson};

/// "ks" or "anderson".
[[nodiscard]] std::string_view to_string(comparison_test_kind kind) noexcept;

/// The comparison test of that name, if any.
[[nodiscard]] std::optional<comparison_test_kind> parse_comparison_test(std::string_view name) noexcept;

/// Standard deviation of the limiting law of A2akN for two samples, sqrt(2 (pi^2 - 9) / 3).
[[nodiscard]] double anderson_2samp_limit_sigma() noexcept;

/// P(T >= t) for the standardized two-sample statistic T = (A2akN - 1) / sigma_N under its limiting
/// law, the one-sample Anderson-Darling limit A^2_inf = 1 + sigma_inf T (Scholz and Stephens 1987).
[[nodiscard]] double anderson_2samp_asymptotic_p(double standardized);

/// SciPy 1.10's anderson_ksamp p-value for k = 2 at the standardized statistic: interpolated in its
/// table of critical values and clipped to [0.001, 0.25].
[[nodiscard]] double anderson_2samp_interpolated_p(double standardized);

/// The asymptotic p-value is calibrated (uniform under the null, tested by simulation) when
/// both samples hold at least this many values; below it is reported but kept out of verdicts.
inline constexpr std::size_t anderson_calibrated_min_n = 8;

/// Heavy ties make the asymptotic p-value liberal: it is calibrated only when the pooled sample
/// has at least this many distinct values or at most 10% of its values repeat an earlier one.
inline constexpr std::size_t anderson_calibrated_min_distinct = 100;

/// Whether the asymptotic Anderson-Darling p-value is calibrated at these sizes and ties.
[[nodiscard]] bool anderson_2samp_calibrated(std::size_t n_a, std::size_t n_b, std::size_t distinct) noexcept;

/// The two-sample Anderson-Darling test on sorted samples.
struct anderson_2samp_result {
  double a2 = 0.0;                          ///< A2akN with midranks for ties (SciPy's midrank=True)
  std::size_t distinct = 0;                 ///< distinct values of the pooled sample
  double sigma = 0.0;                       ///< its standard deviation under the null at these sizes
  double statistic = 0.0;                   ///< standardized (A2akN - 1) / sigma, SciPy's statistic
  std::array<double, 7> critical_values{};  ///< SciPy's, at 25%, 10%, 5%, 2.5%, 1%, 0.5%, 0.1%
  double p_value = 1.0;                     ///< asymptotic p-value, anderson_2samp_asymptotic_p
  double p_value_interpolated = 0.25;       ///< SciPy's interpolated p-value, in [0.001, 0.25]
  bool p_interpolated_at_most = false;      ///< statistic beyond the 0.1% critical value (true p <= 0.001)
  bool p_interpolated_at_least = false;     ///< statistic below the 25% critical value (true p >= 0.25)
};

/// Anderson-Darling test of ascending `first` against ascending `second` in one merged sweep
/// (n_1 + n_2 >= 4, two distinct values at least); equal to anderson_ksamp({first, second}).
[[nodiscard]] anderson_2samp_result anderson_2samp_sorted(std::span<const double> first,
                                                          std::span<const double> second);

/// The result of one test on one pair of samples.
struct comparison_outcome {
  comparison_test_kind kind = comparison_test_kind::ks;  ///< which test
  bool ran = false;                                      ///< false when the samples are too small
  double statistic = 0.0;                                ///< KS D; Anderson-Darling standardized T
  double p_value = 1.0;                                  ///< the p-value a verdict uses when calibrated
  bool p_calibrated = true;                              ///< false where the p-value is not trustworthy
  std::string note;                                      ///< why it did not run or is not calibrated
  ks_method method = ks_method::exact;                   ///< KS: how the p-value was computed
  std::optional<anderson_2samp_result> anderson;         ///< Anderson-Darling: every number
};

/// How B's moments differ from A's.
struct moment_differences {
  double mean = 0.0;             ///< mean_B - mean_A
  double variance_ratio = 1.0;   ///< unbiased variance of B over that of A (the F statistic)
  double skewness = 0.0;         ///< skewness_B - skewness_A
  double excess_kurtosis = 0.0;  ///< excess kurtosis_B - excess kurtosis_A
};

/// The comparison of one pair of samples (a row, a column or all values).
struct sample_comparison {
  moments a;                                     ///< moments of A's sample
  moments b;                                     ///< moments of B's sample
  moment_differences difference;                 ///< B relative to A
  std::optional<std::string> untestable_reason;  ///< set when no test could run
  std::vector<comparison_outcome> tests;         ///< one per selected test, in the order selected

  /// The outcome of `kind`, if it was selected.
  [[nodiscard]] const comparison_outcome* find(comparison_test_kind kind) const noexcept;
};

/// What to compare and how.
struct comparison_options {
  std::vector<comparison_test_kind> tests = {comparison_test_kind::ks,
                                             comparison_test_kind::anderson};  ///< tests to run
  axes axis;                                                                   ///< samples to compare
  unsigned threads = 1;                                                        ///< worker threads (>= 1)
};

/// The comparison of two tables.
struct table_comparison {
  std::size_t rows_a = 0;                   ///< rows of A
  std::size_t rows_b = 0;                   ///< rows of B
  std::vector<sample_comparison> rows;      ///< row i of A against row i of B, i < min(rows_a, rows_b)
  std::vector<sample_comparison> columns;   ///< column j of A against column j of B (equal dims)
  std::optional<sample_comparison> pooled;  ///< all values of A against all values of B

  /// Rows of the longer table without a partner: |rows_a - rows_b|, never compared.
  [[nodiscard]] std::size_t unmatched_rows() const noexcept;
};

/// Compares two samples; each is sorted internally in its source type (`values` are not changed).
[[nodiscard]] sample_comparison compare_samples(std::span<const double> a, element_type a_type,
                                                std::span<const double> b, element_type b_type,
                                                std::span<const comparison_test_kind> tests);

/// Compares `a` with `b` as `options` says, samples in parallel. Throws embcheck::error when
/// columns are asked for and the dims differ.
[[nodiscard]] table_comparison compare_tables(const table& a, const table& b,
                                              const comparison_options& options);

/// Judges every compared sample as `policy` says: the correction runs over every calibrated
/// p-value (the pooled sample only when it differs from the one compared row).
[[nodiscard]] table_judgement judge_comparison(const table_comparison& comparison,
                                               const verdict_policy& policy);

}  // namespace embcheck
