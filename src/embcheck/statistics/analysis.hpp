#pragma once
/// \file analysis.hpp
/// Everything embcheck computes about a table: moments and normality tests, per row and pooled.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "embcheck/statistics/kolmogorov_smirnov.hpp"
#include "embcheck/statistics/moments.hpp"
#include "embcheck/statistics/shapiro_wilk.hpp"
#include "embcheck/table.hpp"

namespace embcheck {

/// The fully specified normal distribution the rows are tested against.
struct normal_null {
  double mean = 0.0;  ///< expected mean
  double std = 1.0;   ///< expected standard deviation (> 0)
};

/// What to analyse and how.
struct analysis_options {
  normal_null null;                        ///< the distribution under the null hypothesis
  std::optional<std::size_t> padding_row;  ///< row expected to be all zeros, left out of tests and pooling
  unsigned threads = 1;                    ///< worker threads (>= 1)
};

/// Moments and test results of one sample (a row or the pooled table).
struct sample_analysis {
  moments stats;                                    ///< descriptive statistics
  std::optional<std::string> untestable_reason;     ///< set when the tests could not run
  std::optional<ks_result> ks;                      ///< Kolmogorov-Smirnov against the null
  std::optional<shapiro_wilk_result> shapiro_wilk;  ///< Shapiro-Wilk W (p calibrated only for n <= 5000)
};

/// Analysis of one row.
struct row_analysis {
  std::size_t index = 0;   ///< row index in the table
  bool padding = false;    ///< the padding row: only checked to be all zeros
  sample_analysis sample;  ///< its moments and tests
};

/// Analysis of a whole table.
struct table_analysis {
  std::vector<row_analysis> rows;  ///< one entry per row, in order
  sample_analysis pooled;          ///< all non-padding values of the table as one sample
};

/// Smallest sample size the tests run on (Shapiro-Wilk needs 3).
inline constexpr std::size_t minimum_testable_size = 3;

/// Analyses every row and the pooled table; rows run in parallel on `options.threads` threads.
[[nodiscard]] table_analysis analyse_table(const table& values, const analysis_options& options);

}  // namespace embcheck
