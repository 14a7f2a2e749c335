#pragma once
/// \file streamed_verdict.hpp
/// The verdict of a streamed analysis: samples enter one at a time and only their p-values are
/// kept, so that a million rows are judged in a few bytes each; the correction and thresholds
/// are those of judge() (verdict.hpp), with the same results.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "embcheck/statistics/analysis.hpp"
#include "embcheck/verdict/verdict.hpp"

namespace embcheck {

/// Where a sample lies in its table.
enum class sample_place : std::uint8_t { row, column, table };

/// "row", "column" or "table".
[[nodiscard]] std::string_view to_string(sample_place place) noexcept;

/// A test that crossed a threshold: rejected after the correction, or warned.
struct tripped_test {
  sample_place place = sample_place::row;  ///< kind of sample
  std::size_t index = 0;                   ///< row or column index (0 for the table)
  test_kind kind = test_kind::ks;          ///< the test
  double p_value = 1.0;                    ///< its p-value
  double adjusted_p = 1.0;                 ///< after the correction
  bool rejected = false;                   ///< true: fails; false: warns
};

/// A sample that fails without a rejected test: untestable, or a padding row that is not zero.
struct failed_sample {
  sample_place place = sample_place::row;               ///< kind of sample
  std::size_t index = 0;                                ///< row or column index (0 for the table)
  sample_verdict verdict = sample_verdict::untestable;  ///< untestable or fail
  std::string reason;                                   ///< why
};

/// Counts of verdicts of one kind of sample.
struct verdict_counts {
  std::size_t pass = 0;        ///< samples that passed
  std::size_t fail = 0;        ///< samples rejected by a test or failing as padding
  std::size_t untestable = 0;  ///< samples that could not be tested
};

/// The judgement of a streamed table.
struct streamed_judgement {
  verdict_policy policy;                ///< alpha, correction and warning level used
  std::size_t family_size = 0;          ///< p-values the correction covered
  std::size_t warnings = 0;             ///< tests in the warning band
  verdict_counts rows;                  ///< verdicts of the rows (padding rows included)
  verdict_counts columns;               ///< verdicts of the columns
  std::optional<sample_verdict> table;  ///< verdict of the pooled table, when tested
  std::vector<tripped_test> tripped;    ///< tripped tests in sample order, at most `listed` of them
  std::size_t tripped_total = 0;        ///< tripped tests in all
  std::vector<failed_sample> failed;    ///< untestable samples and failing padding rows, at most `listed`
  std::size_t failed_total = 0;         ///< such samples in all
  bool pass = true;                     ///< every sample passed
};

/// Collects the p-values of samples as they are analysed, then judges them all at once.
class streamed_family {
 public:
  /// Tripped tests and failed samples kept for the report; the rest are only counted.
  static constexpr std::size_t listed = 1000;

  /// Enters an analysed row, column or the table; `in_family` false leaves its p-values out
  /// (the pooled table of a table with one tested row, which is then judged as that row, as
  /// judge() does).
  void add(sample_place place, std::size_t index, const sample_analysis& sample, bool in_family = true);
  /// Enters the padding row: it fails when it holds nonzero values.
  void add_padding(std::size_t index, const moments& stats);
  /// Judges everything entered.
  [[nodiscard]] streamed_judgement finish(const verdict_policy& policy) const;

 private:
  struct member {
    std::uint64_t sample;  // place in the top 2 bits, index below
    test_kind kind;
  };
  std::vector<double> p_values_;
  std::vector<member> members_;
  std::vector<failed_sample> failed_;
  std::size_t failed_total_ = 0;
  verdict_counts rows_seen_;     // untestable and padding failures counted here; the rest by finish()
  verdict_counts columns_seen_;  // likewise
  std::size_t rows_ = 0;
  std::size_t columns_ = 0;
  std::optional<sample_verdict> table_;  // untestable, or unset until finish()
  bool table_seen_ = false;
  bool table_is_row_ = false;  // entered out of the family: the table is the one tested row
};

}  // namespace embcheck
