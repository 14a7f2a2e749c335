#pragma once
/// \file report_parts.hpp
/// Pieces shared by the reports of held and streamed tables (internal to report/).

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "embcheck/parallel.hpp"
#include "embcheck/report/report.hpp"

namespace embcheck::detail {

/// Hands the text of items 0 .. count - 1 to `sink` in order, format(i, out) appending item i's
/// text to `out`: the items are formatted in blocks of `block`, `threads` blocks at a time side
/// by side, each into a text kept for the next round (its pages touched once), and the blocks
/// are handed on in order. For reports of many rows, whose lines are the longest serial part of
/// a check otherwise; the whole text is never held.
template <class Format>
void write_in_blocks(const text_sink& sink, std::size_t count, std::size_t block, unsigned threads,
                     const Format& format) {
  const std::size_t blocks = (count + block - 1) / block;
  std::vector<std::string> texts(std::min<std::size_t>(std::max(1u, threads), blocks));
  for (std::size_t first = 0; first < blocks; first += texts.size()) {
    const std::size_t round = std::min(texts.size(), blocks - first);
    parallel_for(round, threads, [&](std::size_t k, unsigned) {
      std::string& out = texts[k];
      out.clear();
      const std::size_t begin = (first + k) * block;
      for (std::size_t i = begin; i < std::min(count, begin + block); ++i) format(i, out);
    });
    for (std::size_t k = 0; k < round; ++k) sink(texts[k]);
  }
}

/// "table: R rows x D values (float32), init ..." or "... from PATH".
[[nodiscard]] std::string describe_source(const run_config& config, const table_shape& shape);
/// A p-value in 4 decimals or 3 significant digits, "<" for bounds and "*" when not calibrated.
[[nodiscard]] std::string p_text(const test_outcome& t);
/// Short column label of a test ("KS", "SW", ...).
[[nodiscard]] std::string_view label(test_kind kind);
/// "rows, columns, table".
[[nodiscard]] std::string axis_text(const axes& axis);

/// The header and cells of one sample's line: KS shows D and p, Shapiro-Wilk W and p, others p.
struct table_layout {
  std::span<const test_kind> tests;  ///< the columns

  /// The header line.
  [[nodiscard]] std::string header() const;
  /// One sample's line; sets `uncalibrated_seen` when it shows an uncalibrated p-value.
  [[nodiscard]] std::string line(std::string_view name, const sample_analysis& sample,
                                 const sample_judgement& judgement, bool& uncalibrated_seen) const;
};

/// A finite number, or null.
[[nodiscard]] nlohmann::ordered_json number(double value);
/// What precedes a sample's fields in an NDJSON record (absent fields are not written).
struct ndjson_record {
  std::string_view record;           ///< "row", "column" or "table"
  std::optional<std::size_t> index;  ///< the row's or column's index
  std::optional<bool> padding;       ///< rows: whether it is the padding row
  std::string_view digest;           ///< rows: SHA-256 of the row's bytes
  std::string_view word;             ///< rows of word-vector files: the word
};
/// One NDJSON line (with its newline): the record's fields, the sample's moments, its tests
/// without judgement and why it is untestable, as nlohmann's dump(-1) lays them out.
[[nodiscard]] std::string ndjson_record_line(const ndjson_record& record, const sample_analysis& sample,
                                             std::span<const test_kind> selected);
/// The "axis" array of a report's config: "rows", "columns", "table" as selected.
[[nodiscard]] nlohmann::ordered_json axes_json(const axes& axis);
/// The generator's fields of a config (seed, init, rng, mean, std, low, high; null where the
/// init has no such parameter).
void add_generator_fields(nlohmann::ordered_json& out, const generate_spec& spec);
/// The "config" object of the report.
[[nodiscard]] nlohmann::ordered_json config_json(const run_config& config, const table_shape& shape);
/// The "gates" array of the report.
[[nodiscard]] nlohmann::ordered_json gates_json(std::span<const gate_result> gates);

}  // namespace embcheck::detail
