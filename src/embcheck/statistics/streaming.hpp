#pragma once
/// \file streaming.hpp
/// Analysis of a table that arrives row block by row block: each row is tested as it comes and
/// handed on at once, and the pooled table is summarised without holding it (moments merged
/// across rows, the Kolmogorov-Smirnov statistic from a fine histogram of F(x)).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "embcheck/statistics/analysis.hpp"

namespace embcheck {

/// Rows of a table, produced in order, a block at a time.
class row_source {
 public:
  virtual ~row_source() = default;
  /// Rows of the whole table.
  [[nodiscard]] virtual std::size_t rows() const noexcept = 0;
  /// Values per row.
  [[nodiscard]] virtual std::size_t dim() const noexcept = 0;
  /// Element type the values come from.
  [[nodiscard]] virtual element_type type() const noexcept = 0;
  /// The next `count` rows (count <= rows left), row after row; valid until the next call.
  [[nodiscard]] virtual std::span<const double> next_rows(std::size_t count) = 0;
};

/// The rows of a table held in memory (float32 rows taken to double a block at a time).
class held_rows final : public row_source {
 public:
  /// Streams the rows of `values` (which must outlive this object).
  explicit held_rows(const table& values) noexcept : values_(values) {}
  [[nodiscard]] std::size_t rows() const noexcept override { return values_.rows; }
  [[nodiscard]] std::size_t dim() const noexcept override { return values_.dim; }
  [[nodiscard]] element_type type() const noexcept override { return values_.source_type; }
  [[nodiscard]] std::span<const double> next_rows(std::size_t count) override;

 private:
  const table& values_;
  std::size_t next_ = 0;
  std::vector<double> buffer_;  // the last block of a float32 table, as double
};

/// Moments of a sample merged from the moments of its parts (Chan, Golub and LeVeque 1979;
/// Pébay 2008, eq. 3.1 for the third and fourth central moments).
class moments_merger {
 public:
  /// Adds a part with moments `part` (computed by compute_moments).
  void add(const moments& part) noexcept;
  /// The moments of all parts added so far.
  [[nodiscard]] moments result() const noexcept;

 private:
  moments counts_;  // counts, min and max; the central sums are kept below
  double mean_ = 0.0;
  double m2_ = 0.0;
  double m3_ = 0.0;
  double m4_ = 0.0;
};

/// Counts of F(x) in equal bins of [0, 1], from which the Kolmogorov-Smirnov statistic of all
/// values is bounded to within one bin width.
class cdf_histogram {
 public:
  /// Bins used: 2^22, so D is known to within 2.4e-7.
  static constexpr std::size_t bins = std::size_t{1} << 22;
  cdf_histogram();
  /// Counts F(x) of every value (finite values only; F is the simple null's CDF).
  void add(std::span<const double> values, const null_hypothesis& null);
  /// Counts values of F already computed (in [0, 1]; ascending ones touch the bins in order).
  void add_cdf_values(std::span<const double> cdf_values);
  /// Adds the counts of `other`.
  void merge(const cdf_histogram& other);
  /// Number of values counted.
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  /// Bounds on D = sup |F_n(x) - F(x)| of the values counted: upper - lower <= 1 / bins.
  [[nodiscard]] d_interval statistic() const;

 private:
  std::vector<std::uint32_t> counts_;
  std::uint64_t count_ = 0;
};

/// What a streamed analysis keeps of the pooled table.
struct streamed_pooled {
  moments stats;                           ///< merged moments of every non-padding value
  std::optional<cdf_histogram> histogram;  ///< F(x) counts, for simple nulls when the table is tested
};

/// Analyses the rows of `source` in blocks of about `block_values` values on `options.threads`
/// threads and hands each row to `on_row` in row order as soon as its block is done; with
/// `pool` the pooled moments (and, for simple nulls, the F(x) histogram) are accumulated too.
/// `options.axis.columns` is ignored (columns need the whole table).
void analyse_rows_streaming(row_source& source, const analysis_options& options, std::size_t block_values,
                            const std::function<void(row_analysis&&, std::span<const double>)>& on_row,
                            streamed_pooled* pool);

/// Why a streamed pooled table is not judged when none of the selected tests runs on it.
inline constexpr std::string_view streamed_table_untested =
    "no selected test runs on a streamed table (only ks, mean, variance, jarque_bera and "
    "dagostino_pearson do)";

/// The pooled sample's analysis from what a stream kept: the moment tests from the merged
/// moments, KS from the histogram (p-value at the lower bound of D, flagged as an upper bound
/// of the true p-value), other tests not run (they need the whole sorted table). When none of
/// the selected tests runs, each outcome says why and the sample is not untestable: its data
/// is fine, and the caller decides what a table no test can judge means.
[[nodiscard]] sample_analysis analyse_streamed_pooled(const streamed_pooled& pooled,
                                                      const analysis_options& options);

}  // namespace embcheck
