#pragma once
/// \file report.hpp
/// How a result is told: a readable text report and a JSON document for programs.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "embcheck/generate/generate.hpp"
#include "embcheck/report/histogram.hpp"
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/verdict/gates.hpp"
#include "embcheck/verdict/verdict.hpp"

namespace embcheck {

/// Version of the JSON report layout; bumped on any incompatible change.
inline constexpr int report_schema_version = 1;

/// Every setting that shaped a result, as the report states it.
struct run_config {
  std::optional<generate_spec> generated;   ///< set when the table was generated
  std::optional<std::string> input_path;    ///< set when the table was read from a file
  std::optional<std::int64_t> padding_idx;  ///< the padding index as given (may be negative)
  null_hypothesis null;                     ///< distribution tested against
  std::string expect = "normal";            ///< the --expect text that gave `null`
  std::vector<test_kind> tests;             ///< tests selected, in report order
  axes axis;                                ///< samples tested
  double alpha = default_alpha;             ///< failure threshold for adjusted p-values
  correction method = correction::holm;     ///< multiple-testing correction
  double warn_below = default_warn_below;   ///< warning threshold for unadjusted p-values
  unsigned threads = 1;                     ///< worker threads (does not change any number)
};

/// Rows, values per row and element type of a table, whether held or streamed.
struct table_shape {
  std::size_t rows = 0;                       ///< rows
  std::size_t dim = 0;                        ///< values per row
  element_type type = element_type::float32;  ///< element type
};

/// Everything a report tells, computed once.
struct check_result {
  const run_config& config;                     ///< how the table was made and judged
  const table& values;                          ///< the table
  const table_analysis& analysis;               ///< its statistics and tests
  const table_judgement& judgement;             ///< its verdict
  const table_digest& digest;                   ///< SHA-256 digests of its bytes
  std::span<const gate_result> gates;           ///< regression gates (digest, against, baseline), in order
  std::span<const std::string> words;           ///< the word of each row (word-vector inputs), else empty
  const histogram* pooled_histogram = nullptr;  ///< make_pooled_histogram's, if made already

  /// The statistical verdict passed and so did every gate.
  [[nodiscard]] bool pass() const noexcept;
  /// The padding row (--padding-idx, counted from the end when negative), left out of the
  /// pooled values whether or not the rows were analysed.
  [[nodiscard]] std::optional<std::size_t> padding_row() const noexcept;
};

/// "normal", "uniform" or "uninit".
[[nodiscard]] std::string_view to_string(init_kind init) noexcept;
/// "torch" or "torch-scalar".
[[nodiscard]] std::string_view to_string(rng_mode rng) noexcept;

/// Receives a report's text piece by piece, in order.
using text_sink = std::function<void(std::string_view)>;

/// The human-readable report, ending with a newline.
[[nodiscard]] std::string format_text_report(const check_result& result);

/// format_text_report's text handed to `sink` in pieces (its rows' lines in blocks) instead of
/// joined first.
void write_text_report(const check_result& result, const text_sink& sink);

/// The JSON report (see docs/report.schema.json); non-finite numbers become null.
[[nodiscard]] nlohmann::ordered_json to_json_report(const check_result& result);

/// The text of to_json_report(result) indented by 2 with a final newline, made row by row.
[[nodiscard]] std::string format_json_report(const check_result& result);

/// format_json_report's text handed to `sink` in pieces instead of held whole; its rows and
/// columns are formatted in blocks on result.config.threads threads.
void write_json_report(const check_result& result, const text_sink& sink);

}  // namespace embcheck
