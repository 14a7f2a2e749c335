#pragma once
/// \file comparison_report.hpp
/// How a comparison of two tables is told: text, JSON (docs/compare.schema.json) and NDJSON.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "embcheck/generate/generate.hpp"
#include "embcheck/statistics/comparison.hpp"
#include "embcheck/table.hpp"
#include "embcheck/verdict/verdict.hpp"

namespace embcheck {

/// Where one side of a comparison came from.
struct comparison_input {
  std::string spec;                        ///< as given on the command line (path, "-" or "gen:...")
  std::optional<generate_spec> generated;  ///< set for a generated configuration
  std::optional<std::string> path;         ///< set for a file ("-" = standard input)
  std::string format;                      ///< the format a file was read as ("npy", ...), else empty
  std::string tensor;                      ///< the array or tensor chosen in the file, else empty
};

/// Every setting that shaped a comparison.
struct comparison_config {
  comparison_input a;                       ///< the first table
  comparison_input b;                       ///< the second table
  std::vector<comparison_test_kind> tests;  ///< tests selected, in report order
  axes axis;                                ///< samples compared
  double alpha = default_alpha;             ///< failure threshold for adjusted p-values
  correction method = correction::holm;     ///< multiple-testing correction
  double warn_below = default_warn_below;   ///< warning threshold for unadjusted p-values
  unsigned threads = 1;                     ///< worker threads (does not change any number)
};

/// Everything a comparison report tells.
struct comparison_result {
  const comparison_config& config;     ///< how the tables were made and judged
  const table& a;                      ///< the first table
  const table& b;                      ///< the second table
  const table_comparison& comparison;  ///< statistics and tests of every compared sample
  const table_judgement& judgement;    ///< the verdict
};

/// The human-readable report, ending with a newline.
[[nodiscard]] std::string format_comparison_text(const comparison_result& result);

/// The JSON report ("kind": "compare"); non-finite numbers become null.
[[nodiscard]] nlohmann::ordered_json to_comparison_json(const comparison_result& result);

/// The NDJSON report: one compact object per compared row, column and the pooled sample, then a
/// "summary" record.
[[nodiscard]] std::string format_comparison_ndjson(const comparison_result& result);

}  // namespace embcheck
