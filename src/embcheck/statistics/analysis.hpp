#pragma once
/// \file analysis.hpp
/// Everything embcheck computes about a table: moments and the test battery, per row, per
/// column and for the pooled table.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "embcheck/statistics/battery.hpp"
#include "embcheck/statistics/moments.hpp"
#include "embcheck/statistics/null_hypothesis.hpp"
#include "embcheck/table.hpp"

namespace embcheck {

/// Which samples of a table are tested.
struct axes {
  bool rows = true;      ///< each row (a word vector)
  bool columns = false;  ///< each column (one coordinate across the vocabulary)
  bool table = true;     ///< all values pooled
};

/// What to analyse and how.
struct analysis_options {
  null_hypothesis null;  ///< the distribution under the null hypothesis
  std::vector<test_kind> tests = {test_kind::ks, test_kind::shapiro_wilk};  ///< tests to run
  axes axis;                                                                ///< which samples to test
  std::optional<std::size_t>
      padding_row;       ///< row expected to be all zeros, left out of tests, columns and pooling
  unsigned threads = 1;  ///< worker threads (>= 1)
};

/// Moments and test results of one sample (a row, a column or the pooled table).
struct sample_analysis {
  moments stats;                                 ///< descriptive statistics
  std::optional<std::string> untestable_reason;  ///< set when no test could run
  std::vector<test_outcome> tests;               ///< one per selected test, in the order selected

  /// The outcome of `kind`, if it was selected.
  [[nodiscard]] const test_outcome* find(test_kind kind) const noexcept;
};

/// Analysis of one row.
struct row_analysis {
  std::size_t index = 0;   ///< row index in the table
  bool padding = false;    ///< the padding row: only checked to be all zeros
  sample_analysis sample;  ///< its moments and tests
};

/// Analysis of a whole table.
struct table_analysis {
  std::vector<row_analysis> rows;         ///< one entry per row when rows are tested (else empty)
  std::vector<sample_analysis> columns;   ///< one entry per column when columns are tested (else empty)
  std::optional<sample_analysis> pooled;  ///< all non-padding values as one sample, when the table is tested
};

/// Analyses the table as `options` says; samples run in parallel on `options.threads` threads.
[[nodiscard]] table_analysis analyse_table(const table& values, const analysis_options& options);

/// Moments and tests of one sample (sorted internally; `values` is not changed).
[[nodiscard]] sample_analysis analyse_sample(std::span<const double> values, element_type source,
                                             const analysis_options& options);
/// analyse_sample of float32 values.
[[nodiscard]] sample_analysis analyse_sample(std::span<const float> values, const analysis_options& options);

namespace detail {

/// Buffers one worker reuses from sample to sample.
struct worker_buffers {
  std::vector<double> gathered;  ///< a column's values
  table_values sorted;           ///< the sample, sorted (then F(x), run_battery); resize() leaves it unset
};

/// Moments and tests of one sample with a shared cache of per-n constants and reused buffers,
/// sorting and evaluating F(x) on up to `threads` threads (T is float or double).
template <class T>
[[nodiscard]] sample_analysis analyse_one(std::span<const T> values, element_type source,
                                          const analysis_options& options, test_constants_cache& cache,
                                          worker_buffers& buffers, unsigned threads = 1);

/// Why a sample with these moments cannot be tested (non-finite values, empty, constant), if so.
[[nodiscard]] std::optional<std::string> untestable_reason(const moments& stats);

/// FLT_MIN or DBL_MIN: the bound below which nonzero values count as subnormal.
[[nodiscard]] double smallest_normal(element_type type) noexcept;

}  // namespace detail

}  // namespace embcheck
