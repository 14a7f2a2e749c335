#pragma once
/// \file histogram.hpp
/// Binned values beside their expected counts under the null, for the terminal and SVG plots.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "embcheck/statistics/null_hypothesis.hpp"
#include "embcheck/table.hpp"

namespace embcheck {

/// Counts of values in equal bins over [low, high) and the counts the null expects there.
struct histogram {
  double low = 0.0;                 ///< left edge of the first bin
  double high = 1.0;                ///< right edge of the last bin
  std::vector<std::size_t> counts;  ///< values in each bin
  std::vector<double> expected;     ///< n times the null's probability of each bin
  std::size_t below = 0;            ///< finite values below `low`
  std::size_t above = 0;            ///< finite values at or above `high`
  null_hypothesis null;             ///< the simple null drawn (fitted nulls take the sample's mean and std)
};

/// The null as a simple distribution: a fitted normal takes the finite values' mean and std.
[[nodiscard]] null_hypothesis simple_null(std::span<const double> values, const null_hypothesis& null);

/// `bins` equal bins over the null's mean +- 4 std (normal) or its support +- 10% (uniform),
/// counted on `threads` threads (the counts do not depend on it).
[[nodiscard]] histogram make_histogram(std::span<const double> values, const null_hypothesis& null,
                                       std::size_t bins, unsigned threads = 1);
/// make_histogram of float values.
[[nodiscard]] histogram make_histogram(std::span<const float> values, const null_hypothesis& null,
                                       std::size_t bins, unsigned threads = 1);

/// The text report's histogram of the pooled values: every value but row `left_out`, 16 bins.
[[nodiscard]] histogram make_pooled_histogram(const table& values, std::optional<std::size_t> left_out,
                                              const null_hypothesis& null, unsigned threads);

/// A terminal picture: one line per bin, '#' bars for the counts and '|' at the expected count.
[[nodiscard]] std::string format_terminal_histogram(const histogram& h, std::size_t width);

}  // namespace embcheck
