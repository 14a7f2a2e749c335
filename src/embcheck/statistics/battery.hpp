#pragma once
/// \file battery.hpp
/// The test battery: which tests exist, which apply to which null, and running them on a sample.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "embcheck/statistics/moments.hpp"
#include "embcheck/statistics/null_hypothesis.hpp"

namespace embcheck {

/// Every test embcheck can run.
enum class test_kind {
  ks,                          ///< Kolmogorov-Smirnov, simple null
  shapiro_wilk,                ///< Shapiro-Wilk W, normality (location and scale free)
  anderson_darling,            ///< Anderson-Darling A^2, simple null
  cramer_von_mises,            ///< Cramér-von Mises W^2, simple null
  chi_squared,                 ///< chi-squared with equiprobable bins, simple null
  jarque_bera,                 ///< Jarque-Bera, normality from skewness and kurtosis
  dagostino_pearson,           ///< D'Agostino-Pearson K^2, normality from skewness and kurtosis
  mean,                        ///< z test of the mean, simple normal null
  variance,                    ///< chi-squared test of the variance, simple normal null
  lilliefors,                  ///< KS with fitted mean and std (Lilliefors)
  anderson_darling_composite,  ///< Anderson-Darling with fitted mean and std
  shapiro_francia,             ///< Shapiro-Francia W', normality (location and scale free)
};

/// Every test_kind, in report order.
inline constexpr test_kind all_test_kinds[] = {test_kind::ks,
                                               test_kind::shapiro_wilk,
                                               test_kind::anderson_darling,
                                               test_kind::cramer_von_mises,
                                               test_kind::chi_squared,
                                               test_kind::jarque_bera,
                                               test_kind::dagostino_pearson,
                                               test_kind::mean,
                                               test_kind::variance,
                                               test_kind::lilliefors,
                                               test_kind::anderson_darling_composite,
                                               test_kind::shapiro_francia};

/// The name used on the command line and in reports ("ks", "shapiro_wilk", ...).
[[nodiscard]] std::string_view to_string(test_kind kind) noexcept;
/// The test of that name, if any.
[[nodiscard]] std::optional<test_kind> parse_test_kind(std::string_view name) noexcept;
/// Whether the test's null is `null` (e.g. Shapiro-Wilk tests normality, not uniformity).
[[nodiscard]] bool applies_to(test_kind kind, const null_hypothesis& null) noexcept;
/// The tests run when --tests is not given, for that null (docs/tests.md gives the reasons).
[[nodiscard]] std::vector<test_kind> default_tests(const null_hypothesis& null);

/// The result of one test on one sample.
struct test_outcome {
  test_kind kind = test_kind::ks;  ///< which test
  bool ran = false;                ///< false when the sample is too small for this test
  double statistic = 0.0;          ///< the test statistic
  double p_value = 1.0;            ///< its p-value under the null
  bool p_calibrated = true;        ///< false where the p-value is not trustworthy (kept out of verdicts)
  bool p_is_upper_bound = false;   ///< the true p-value is at most p_value
  std::string note;                ///< why it did not run, or why the p-value is not calibrated
  std::vector<std::pair<std::string_view, double>> details;  ///< extra numbers (e.g. KS d_plus)
};

/// Caches of per-n constants (Shapiro-Wilk coefficients...) shared by samples of one length.
class test_constants_cache;

/// Whether any of `tests` reads the order statistics; the moment tests (mean, variance,
/// jarque_bera, dagostino_pearson) need only the moments, so their samples need no sort.
[[nodiscard]] bool needs_sorted_sample(std::span<const test_kind> tests) noexcept;

/// Runs `tests` on the finite, non-constant sample of stats.n values with moments `stats`,
/// given sorted in `sorted` (empty when !needs_sorted_sample(tests)). The tests of F(x) run
/// last, on F(x) written over `sorted`: it holds F(x) afterwards when any of them ran. F(x) of a
/// long sample is evaluated, and its tests run side by side, on up to `threads` threads (the
/// results do not depend on them).
[[nodiscard]] std::vector<test_outcome> run_battery(std::span<double> sorted, const moments& stats,
                                                    const null_hypothesis& null,
                                                    std::span<const test_kind> tests,
                                                    test_constants_cache& cache, unsigned threads = 1);

/// Bounds on a Kolmogorov-Smirnov statistic known only approximately: lower <= D <= upper.
struct d_interval {
  double lower = 0.0;  ///< D is at least this
  double upper = 0.0;  ///< D is at most this
};

/// Runs `tests` on a sample known only by its moments (and bounds on its KS statistic, if
/// given): the moment tests run, KS at the lower bound of D (its p-value then bounds the true
/// one from above), the others are reported as not run.
[[nodiscard]] std::vector<test_outcome> run_battery_on_summary(const moments& stats,
                                                               const null_hypothesis& null,
                                                               std::span<const test_kind> tests,
                                                               const std::optional<d_interval>& ks_d);

/// Thread-safe cache of per-n constants; one per analysis.
class test_constants_cache {
 public:
  test_constants_cache();
  ~test_constants_cache();
  test_constants_cache(const test_constants_cache&) = delete;
  test_constants_cache& operator=(const test_constants_cache&) = delete;
  /// Computes now the per-n constants that run_battery(tests) on a sample of `n` values looks
  /// up (Shapiro-Wilk coefficients, Shapiro-Francia scores), so that another thread can make
  /// them while the sample is being sorted.
  void prepare(std::span<const test_kind> tests, std::size_t n);
  /// Frees the constants of samples of `n` values (no later sample has that length).
  void release(std::size_t n);
  /// The implementation (defined in battery.cpp).
  struct impl;
  /// Access for battery.cpp.
  [[nodiscard]] impl& get() noexcept { return *impl_; }

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace embcheck
