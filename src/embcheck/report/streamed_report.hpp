#pragma once
/// \file streamed_report.hpp
/// Reports written while the analysis runs: NDJSON lines for each sample as soon as it is done,
/// then a summary with the verdict; and the text report of a table too large to hold.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embcheck/report/report.hpp"
#include "embcheck/verdict/streamed_verdict.hpp"

namespace embcheck {

/// Everything the summary of a streamed analysis tells.
struct streamed_result {
  const run_config& config;                           ///< how the table was made and judged
  table_shape shape;                                  ///< its size and type
  bool held = true;                                   ///< the table was in memory (else streamed)
  std::span<const sample_analysis> columns;           ///< analysed columns (held tables only)
  const std::optional<sample_analysis>& pooled;       ///< the pooled table, when tested
  const streamed_judgement& judgement;                ///< the verdict
  std::optional<std::string> digest;                  ///< SHA-256 of the table's bytes, when computed
  element_type digest_dtype = element_type::float32;  ///< the element type hashed
  std::span<const gate_result> gates;                 ///< regression gates, in order

  /// The statistical verdict passed and so did every gate.
  [[nodiscard]] bool pass() const noexcept;
};

/// One NDJSON line for a row, with its moments and tests but no verdict (the correction needs
/// every p-value; the summary line names what was rejected). `digest` and `word` may be empty.
[[nodiscard]] std::string ndjson_row_line(const row_analysis& row, std::span<const test_kind> tests,
                                          std::string_view digest, std::string_view word = {});

/// One NDJSON line for a column (`place` column) or the pooled table (`place` table).
[[nodiscard]] std::string ndjson_sample_line(sample_place place, std::size_t index,
                                             const sample_analysis& sample, std::span<const test_kind> tests);

/// The last NDJSON line: configuration, counts, tripped tests, gates and the verdict.
[[nodiscard]] std::string ndjson_summary_line(const streamed_result& result);

/// The text report of a streamed table: configuration, the pooled table, what tripped, the verdict.
[[nodiscard]] std::string format_streamed_text_report(const streamed_result& result);

}  // namespace embcheck
