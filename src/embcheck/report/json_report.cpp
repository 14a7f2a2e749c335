// The JSON report. Layout: docs/report.md; schema: docs/report.schema.json.
// JSON has no NaN or Infinity: such numbers are written as null, so every consumer
// (jq, pandas, browsers) reads the document.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "embcheck/report/json_writer.hpp"
#include "embcheck/report/report.hpp"
#include "embcheck/report/report_parts.hpp"

namespace embcheck {
using json = nlohmann::ordered_json;

namespace detail {

json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

namespace {

// The schema of a sample, written once for both writers (json_writer.hpp): the tree for
// to_json_report and the streamed records, the text for format_json_report's rows and columns.

template <class Writer>
void write_moments(Writer& out, const moments& m) {
  field(out, "n", m.n);
  field(out, "finite", m.finite);
  number_field(out, "mean", m.mean);
  number_field(out, "variance", m.variance);
  number_field(out, "sample_variance", m.sample_variance);
  number_field(out, "std", m.std);
  number_field(out, "min", m.min);
  number_field(out, "max", m.max);
  number_field(out, "skewness", m.skewness);
  number_field(out, "excess_kurtosis", m.excess_kurtosis);
  field(out, "nonfinite", m.nonfinite());
  out.key("counts");
  out.begin_object();
  field(out, "nan", m.nan);
  field(out, "positive_infinity", m.positive_infinity);
  field(out, "negative_infinity", m.negative_infinity);
  field(out, "zeros", m.zeros);
  field(out, "subnormals", m.subnormals);
  out.end();
}

/// One test: the same eight fields whether it ran or not (null where there is nothing to say),
/// then its details when it ran; without `judgement_fields` (NDJSON records, written before the
/// correction) the three fields of the judgement are left out.
template <class Writer>
void write_test(Writer& out, const test_outcome* outcome, const std::optional<test_judgement>& judgement,
                bool judgement_fields = true) {
  const bool ran = outcome != nullptr && outcome->ran;
  const bool judged = ran && judgement.has_value();
  out.begin_object();
  if (ran) {
    number_field(out, "statistic", outcome->statistic);
    number_field(out, "p_value", outcome->p_value);
    field(out, "p_value_calibrated", outcome->p_calibrated);
    field(out, "p_value_is_bound", outcome->p_is_upper_bound);
  } else {
    for (const std::string_view name : {"statistic", "p_value", "p_value_calibrated", "p_value_is_bound"})
      field(out, name, nullptr);
  }
  if (judged && judgement_fields) {
    number_field(out, "adjusted_p_value", judgement->adjusted_p);
    field(out, "rejected", judgement->rejected);
    field(out, "warned", judgement->warned);
  } else if (judgement_fields) {
    for (const std::string_view name : {"adjusted_p_value", "rejected", "warned"}) field(out, name, nullptr);
  }
  if (outcome != nullptr && !outcome->note.empty()) {
    field(out, "note", outcome->note);
  } else {
    field(out, "note", nullptr);
  }
  if (ran) {
    for (const auto& [name, value] : outcome->details) number_field(out, name, value);
  }
  out.end();
}

template <class Writer>
void write_text_or_null(Writer& out, std::string_view name, const std::string& text) {
  if (text.empty()) {
    field(out, name, nullptr);
  } else {
    field(out, name, text);
  }
}

/// A sample's fields (moments, tests, verdict), inside an object the caller opened.
template <class Writer>
void write_sample_fields(Writer& out, const sample_analysis& sample, const sample_judgement& judgement,
                         std::span<const test_kind> selected) {
  write_moments(out, sample.stats);
  out.key("tests");
  out.begin_object();
  for (const test_kind kind : selected) {
    const test_outcome* outcome = sample.find(kind);
    std::optional<test_judgement> verdict;
    if (outcome != nullptr)
      verdict = judgement.tests[static_cast<std::size_t>(outcome - sample.tests.data())];
    out.key(to_string(kind));
    write_test(out, outcome, verdict);
  }
  out.end();
  field(out, "verdict", to_string(judgement.verdict));
  write_text_or_null(out, "reason", judgement.reason);
  write_text_or_null(out, "warning", judgement.warning);
}

}  // namespace

std::string ndjson_record_line(const ndjson_record& record, const sample_analysis& sample,
                               std::span<const test_kind> selected) {
  std::string text;
  auto out = json_text_writer::compact(text);
  out.begin_object();
  field(out, "record", record.record);
  if (record.index) field(out, "index", std::uint64_t{*record.index});
  if (record.padding) field(out, "padding", *record.padding);
  if (!record.digest.empty()) field(out, "digest", record.digest);
  if (!record.word.empty()) field(out, "word", record.word);
  write_moments(out, sample.stats);
  out.key("tests");
  out.begin_object();
  for (const test_kind kind : selected) {
    out.key(to_string(kind));
    write_test(out, sample.find(kind), std::nullopt, false);
  }
  out.end();
  if (sample.untestable_reason) {
    field(out, "untestable", *sample.untestable_reason);
  } else {
    field(out, "untestable", nullptr);
  }
  out.end();
  return text + '\n';
}

}  // namespace detail

namespace {

using detail::config_json;
using detail::gates_json;
using detail::number;
using detail::write_sample_fields;

json sample_json(const sample_analysis& sample, const sample_judgement& judgement,
                 std::span<const test_kind> selected) {
  detail::json_tree_builder out;
  out.begin_object();
  write_sample_fields(out, sample, judgement, selected);
  out.end();
  return std::move(out.result());
}

}  // namespace

namespace detail {

json axes_json(const axes& axis) {
  json out = json::array();
  if (axis.rows) out.push_back("rows");
  if (axis.columns) out.push_back("columns");
  if (axis.table) out.push_back("table");
  return out;
}

void add_generator_fields(json& out, const generate_spec& spec) {
  out["seed"] = spec.seed;
  out["init"] = to_string(spec.init);
  out["rng"] = spec.init == init_kind::uninit ? json("uninit") : json(to_string(spec.rng));
  out["mean"] = spec.init == init_kind::normal ? json(spec.mean) : json(nullptr);
  out["std"] = spec.init == init_kind::normal ? json(spec.std) : json(nullptr);
  out["low"] = spec.init == init_kind::uniform ? json(spec.low) : json(nullptr);
  out["high"] = spec.init == init_kind::uniform ? json(spec.high) : json(nullptr);
}

json config_json(const run_config& config, const table_shape& shape) {
  json out;
  if (config.generated) {
    const generate_spec& spec = *config.generated;
    out["source"] = "generated";
    out["input"] = nullptr;
    out["rows"] = spec.rows;
    out["dim"] = spec.dim;
    add_generator_fields(out, spec);
  } else {
    out["source"] = "file";
    out["input"] = config.input_path.value_or("");
    out["rows"] = shape.rows;
    out["dim"] = shape.dim;
  }
  out["dtype"] = to_string(shape.type);
  out["padding_idx"] = config.padding_idx ? json(*config.padding_idx) : json(nullptr);
  json null = {{"expect", config.expect},
               {"distribution", config.null.family == null_family::normal ? "normal" : "uniform"},
               {"fitted", config.null.fitted}};
  if (config.null.family == null_family::normal) {
    null["mean"] = config.null.fitted ? json(nullptr) : json(config.null.a);
    null["std"] = config.null.fitted ? json(nullptr) : json(config.null.b);
  } else {
    null["low"] = config.null.a;
    null["high"] = config.null.b;
  }
  out["null"] = std::move(null);
  json tests = json::array();
  for (const test_kind kind : config.tests) tests.push_back(to_string(kind));
  out["tests"] = std::move(tests);
  out["axis"] = axes_json(config.axis);
  out["alpha"] = config.alpha;
  out["correction"] = to_string(config.method);
  out["warn_below"] = config.warn_below;
  out["threads"] = config.threads;
  return out;
}

json gates_json(std::span<const gate_result> gates) {
  json out = json::array();
  for (const gate_result& gate : gates) {
    out.push_back(
        {{"gate", gate.name}, {"pass", gate.pass}, {"message", gate.message}, {"details", gate.details}});
  }
  return out;
}

}  // namespace detail

namespace {

json config_json(const check_result& result) {
  return config_json(result.config, {result.values.rows, result.values.dim, result.values.source_type});
}

template <class Writer>
void write_row(Writer& out, const check_result& result, std::size_t i) {
  const row_analysis& row = result.analysis.rows[i];
  out.begin_object();
  detail::field(out, "index", row.index);
  detail::field(out, "padding", row.padding);
  if (row.index < result.digest.rows.size()) detail::field(out, "digest", result.digest.rows[row.index]);
  if (row.index < result.words.size()) detail::field(out, "word", result.words[row.index]);
  write_sample_fields(out, row.sample, result.judgement.rows[i], result.config.tests);
  out.end();
}

template <class Writer>
void write_column(Writer& out, const check_result& result, std::size_t j) {
  out.begin_object();
  detail::field(out, "index", j);
  write_sample_fields(out, result.analysis.columns[j], result.judgement.columns[j], result.config.tests);
  out.end();
}

json digest_json(const table_digest& digest) {
  return {{"algorithm", "sha256"}, {"dtype", to_string(digest.dtype)}, {"table", digest.table}};
}

/// Every test that crossed a threshold: "fail" (rejected after correction) or "warn".
json tripped_json(const check_result& result) {
  json out = json::array();
  const auto add = [&](const std::string& name, const sample_analysis& sample,
                       const sample_judgement& judgement) {
    for (std::size_t t = 0; t < judgement.tests.size(); ++t) {
      const auto& test = judgement.tests[t];
      if (!test || !(test->rejected || test->warned)) continue;
      out.push_back({{"sample", name},
                     {"test", to_string(sample.tests[t].kind)},
                     {"threshold", test->rejected ? "fail" : "warn"},
                     {"p_value", number(sample.tests[t].p_value)},
                     {"adjusted_p_value", number(test->adjusted_p)}});
    }
  };
  for (std::size_t i = 0; i < result.analysis.rows.size(); ++i)
    add(fmt::format("row {}", result.analysis.rows[i].index), result.analysis.rows[i].sample,
        result.judgement.rows[i]);
  for (std::size_t j = 0; j < result.analysis.columns.size(); ++j)
    add(fmt::format("column {}", j), result.analysis.columns[j], result.judgement.columns[j]);
  if (result.analysis.pooled) add("table", *result.analysis.pooled, *result.judgement.pooled);
  return out;
}

/// The fields after the samples, shared by the JSON report and the NDJSON summary.
void add_summary(json& report, const check_result& result) {
  report["digest"] = digest_json(result.digest);
  report["family_size"] = result.judgement.family_size;
  report["warnings"] = result.judgement.warnings;
  report["tripped"] = tripped_json(result);
  report["gates"] = gates_json(result.gates);
  report["verdict"] = result.pass() ? "pass" : "fail";
}

}  // namespace

bool check_result::pass() const noexcept {
  return judgement.pass &&
         std::all_of(gates.begin(), gates.end(), [](const gate_result& gate) { return gate.pass; });
}

std::optional<std::size_t> check_result::padding_row() const noexcept {
  if (!config.padding_idx) return std::nullopt;
  return row_at_index(*config.padding_idx, values.rows);
}

namespace {

/// The report with empty "rows" and "columns" arrays, which the callers fill.
json report_skeleton(const check_result& result) {
  json report;
  report["schema_version"] = report_schema_version;
  report["embcheck_version"] = EMBCHECK_VERSION;
  report["config"] = config_json(result);
  report["rows"] = json::array();
  report["columns"] = json::array();
  report["table"] = result.analysis.pooled
                        ? sample_json(*result.analysis.pooled, *result.judgement.pooled, result.config.tests)
                        : json(nullptr);
  add_summary(report, result);
  return report;
}

std::string dump(const json& value) { return value.dump(2, ' ', false, json::error_handler_t::replace); }

/// Hands `count` elements, each written by write(writer, i), to `sink` as dump() lays out an
/// array nested in the top-level object: each element's lines indented by two levels; formatted
/// in blocks of 4096 on `threads` threads (write_in_blocks).
template <typename Write>
void write_array(const text_sink& sink, std::size_t count, unsigned threads, Write write) {
  if (count == 0) {
    sink("[]");
    return;
  }
  sink("[\n");
  constexpr std::size_t block = 4096;  // elements; rows of 128 take about 2.5 KB each
  detail::write_in_blocks(sink, count, block, threads, [&](std::size_t i, std::string& out) {
    out += "    ";
    detail::json_text_writer writer(out, 4);
    write(writer, i);
    out += i + 1 < count ? ",\n" : "\n";
  });
  sink("  ]");
}

}  // namespace

nlohmann::ordered_json to_json_report(const check_result& result) {
  json report = report_skeleton(result);
  const auto fill = [&](std::string_view key, std::size_t count, auto write) {
    json& array = report[std::string(key)];
    for (std::size_t i = 0; i < count; ++i) {
      detail::json_tree_builder element;
      write(element, i);
      array.push_back(std::move(element.result()));
    }
  };
  fill("rows", result.analysis.rows.size(), [&](auto& out, std::size_t i) { write_row(out, result, i); });
  fill("columns", result.analysis.columns.size(),
       [&](auto& out, std::size_t j) { write_column(out, result, j); });
  return report;
}

void write_json_report(const check_result& result, const text_sink& sink) {
  // Each row and column is written as text in place of the skeleton's empty arrays: the
  // document is never held as one JSON tree (1.4 GB for 100000 rows of 128) beside its text, nor
  // is a tree built and destroyed per row, nor is the text held whole (250 MB at 100000 x 128).
  const std::string skeleton = dump(report_skeleton(result));
  const std::string_view text = skeleton;
  std::size_t copied = 0;
  const auto fill = [&](std::string_view key, std::size_t count, auto write) {
    const std::string empty = fmt::format("\n  \"{}\": []", key);
    const std::size_t at = skeleton.find(empty, copied);
    sink(text.substr(copied, at - copied));
    sink(std::string_view(empty).substr(0, empty.size() - 2));
    copied = at + empty.size();
    write_array(sink, count, result.config.threads, write);
  };
  fill("rows", result.analysis.rows.size(), [&](auto& out, std::size_t i) { write_row(out, result, i); });
  fill("columns", result.analysis.columns.size(),
       [&](auto& out, std::size_t j) { write_column(out, result, j); });
  sink(text.substr(copied));
  sink("\n");
}

std::string format_json_report(const check_result& result) {
  std::string text;
  write_json_report(result, [&text](std::string_view piece) { text += piece; });
  return text;
}

}  // namespace embcheck
