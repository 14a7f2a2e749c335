#pragma once
/// \file composite_tests.hpp
/// Normality tests for a composite null: the mean and standard deviation are estimated from the
/// sample (`--expect normal:fit`). Lilliefors, Anderson-Darling and Shapiro-Francia, as R's nortest.

#include <cstddef>
#include <span>
#include <vector>

namespace embcheck {

/// Statistic and p-value of a test of normality with estimated mean and standard deviation.
struct composite_result {
  double statistic = 0.0;         ///< the test statistic
  double p_value = 1.0;           ///< p-value under the composite normal null
  bool p_is_upper_bound = false;  ///< p_value is only a bound
  bool p_calibrated = true;  ///< false where the p-value formula is extrapolated beyond its validated range
};

/// Smallest sample sizes the tests accept (as nortest).
inline constexpr std::size_t lilliefors_minimum_size = 5;
inline constexpr std::size_t anderson_darling_composite_minimum_size = 8;
inline constexpr std::size_t shapiro_francia_minimum_size = 5;
/// Largest n for which the Shapiro-Francia p-value (Royston 1993) is calibrated; nortest refuses larger n.
inline constexpr std::size_t shapiro_francia_calibrated_size = 5000;

/// Lilliefors test as nortest::lillie.test: statistic D = sup |F_n - Phi((x - mean) / sd)|, p-value by
/// Dallal-Wilkinson (1986) below 0.1, Stephens' modified statistic above. `sorted`: ascending, finite,
/// not constant, n >= 5; throws embcheck::error otherwise.
[[nodiscard]] composite_result lilliefors_test(std::span<const double> sorted);

/// Anderson-Darling test with estimated parameters as nortest::ad.test: statistic A^2 (unmodified),
/// p-value from Stephens' A^2 (1 + 0.75/n + 2.25/n^2) by D'Agostino-Stephens' piecewise exponentials
/// (an upper bound, 3.7e-24, once that exceeds 10). `sorted`: ascending, finite, not constant, n >= 8.
[[nodiscard]] composite_result anderson_darling_composite_test(std::span<const double> sorted);

/// Blom scores m_i = Phi^-1((i - 3/8) / (n + 1/4)) for one sample size; compute once, use for every row.
class shapiro_francia_scores {
 public:
  /// Scores for samples of size n (n >= 5; throws embcheck::error otherwise).
  explicit shapiro_francia_scores(std::size_t n);
  /// The sample size these scores are for.
  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  /// The first n/2 scores (negative, ascending); m_{n+1-i} = -m_i and the middle one of odd n is 0.
  [[nodiscard]] std::span<const double> half() const noexcept { return m_; }
  /// Sum of m_i^2 over all n scores.
  [[nodiscard]] double sum_of_squares() const noexcept { return sum_of_squares_; }

 private:
  std::size_t n_;
  std::vector<double> m_;
  double sum_of_squares_ = 0.0;
};

/// Shapiro-Francia test as nortest::sf.test: statistic W' = cor(x, m)^2, Royston's (1993) p-value from
/// log(1 - W'). Above n = 5000 the p-value is extrapolated (p_calibrated = false; it is liberal there).
/// `sorted`: ascending, finite, not constant, size == scores.size(); throws embcheck::error otherwise.
[[nodiscard]] composite_result shapiro_francia_test(std::span<const double> sorted,
                                                    const shapiro_francia_scores& scores);

/// Shapiro-Francia test, computing the scores for this one sample.
[[nodiscard]] composite_result shapiro_francia_test(std::span<const double> sorted);

namespace detail {

/// Maps a sample to z = (x - mean) / sd, mean and sd (divisor n - 1) estimated from it. Values are
/// rescaled by powers of two (exact) only where sums of squares would overflow or underflow, so
/// z is computed as R's (x - mean(x)) / sd(x) would be.
struct standardizer {
  double prescale = 1.0;  ///< power of two applied to x first (1 unless max |x| > 2^1000 or < 2^-900)
  double mean = 0.0;      ///< mean of x * prescale, nearly correctly rounded
  double factor = 1.0;    ///< power of two applied to deviations (1 unless the range is extreme)
  double sd = 1.0;        ///< standard deviation of (x * prescale) * factor

  /// The standardized value of x.
  [[nodiscard]] double operator()(double x) const noexcept { return ((x * prescale - mean) * factor) / sd; }
};

/// Estimates mean and sd of `sorted` by two passes centred on the middle value (compensated sum).
[[nodiscard]] standardizer make_standardizer(std::span<const double> sorted) noexcept;

/// Checks size >= minimum, finite ends and a positive range; throws embcheck::error naming `test`.
void check_composite_input(std::span<const double> sorted, std::size_t minimum, const char* test);

}  // namespace detail

}  // namespace embcheck
