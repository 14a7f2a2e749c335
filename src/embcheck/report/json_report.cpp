// The JSON report. Layout: docs/report.md; schema: docs/report.schema.json.
// JSON has no NaN or Infinity: such numbers are written as null, so every consumer
// (jq, pandas, browsers) reads the document.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "embcheck/report/report.hpp"
#include "embcheck/report/report_parts.hpp"

namespace embcheck {
using json = nlohmann::ordered_json;

namespace detail {

json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json moments_json(const moments& m) {
  json out;
  out["n"] = m.n;
  out["finite"] = m.finite;
  out["mean"] = number(m.mean);
  out["variance"] = number(m.variance);
  out["sample_variance"] = number(m.sample_variance);
  out["std"] = number(m.std);
  out["min"] = number(m.min);
  out["max"] = number(m.max);
  out["skewness"] = number(m.skewness);
  out["excess_kurtosis"] = number(m.excess_kurtosis);
  out["nonfinite"] = m.nonfinite();
  out["counts"] = {{"nan", m.nan},
                   {"positive_infinity", m.positive_infinity},
                   {"negative_infinity", m.negative_infinity},
                   {"zeros", m.zeros},
                   {"subnormals", m.subnormals}};
  return out;
}

json test_json(const test_outcome* outcome, const std::optional<test_judgement>& judgement) {
  json out = {{"statistic", nullptr},
              {"p_value", nullptr},
              {"p_value_calibrated", nullptr},
              {"p_value_is_bound", nullptr},
              {"adjusted_p_value", nullptr},
              {"rejected", nullptr},
              {"warned", nullptr},
              {"note", nullptr}};
  if (outcome == nullptr) return out;
  if (!outcome->note.empty()) out["note"] = outcome->note;
  if (!outcome->ran) return out;
  out["statistic"] = number(outcome->statistic);
  out["p_value"] = number(outcome->p_value);
  out["p_value_calibrated"] = outcome->p_calibrated;
  out["p_value_is_bound"] = outcome->p_is_upper_bound;
  for (const auto& [name, value] : outcome->details) out[std::string(name)] = number(value);
  if (judgement) {
    out["adjusted_p_value"] = number(judgement->adjusted_p);
    out["rejected"] = judgement->rejected;
    out["warned"] = judgement->warned;
  }
  return out;
}

}  // namespace detail

namespace {

using detail::config_json;
using detail::gates_json;
using detail::moments_json;
using detail::number;
using detail::test_json;

json sample_json(const sample_analysis& sample, const sample_judgement& judgement,
                 std::span<const test_kind> selected) {
  json out = moments_json(sample.stats);
  json tests = json::object();
  for (const test_kind kind : selected) {
    const test_outcome* outcome = sample.find(kind);
    std::optional<test_judgement> verdict;
    if (outcome != nullptr)
      verdict = judgement.tests[static_cast<std::size_t>(outcome - sample.tests.data())];
    tests[std::string(to_string(kind))] = test_json(outcome, verdict);
  }
  out["tests"] = std::move(tests);
  out["verdict"] = to_string(judgement.verdict);
  out["reason"] = judgement.reason.empty() ? json(nullptr) : json(judgement.reason);
  out["warning"] = judgement.warning.empty() ? json(nullptr) : json(judgement.warning);
  return out;
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

json row_json(const check_result& result, std::size_t i) {
  const row_analysis& row = result.analysis.rows[i];
  json entry = {{"index", row.index}, {"padding", row.padding}};
  if (row.index < result.digest.rows.size()) entry["digest"] = result.digest.rows[row.index];
  if (row.index < result.words.size()) entry["word"] = result.words[row.index];
  entry.update(sample_json(row.sample, result.judgement.rows[i], result.config.tests));
  return entry;
}

json column_json(const check_result& result, std::size_t j) {
  json entry = {{"index", j}};
  entry.update(sample_json(result.analysis.columns[j], result.judgement.columns[j], result.config.tests));
  return entry;
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

/// Appends `count` elements `element(i)` to `out` as dump() lays out an array nested in the
/// top-level object: one element per line group, each line indented by two levels.
template <typename Element>
void append_array(std::string& out, std::size_t count, Element element) {
  if (count == 0) {
    out += "[]";
    return;
  }
  out += "[\n";
  for (std::size_t i = 0; i < count; ++i) {
    const std::string part = dump(element(i));
    if (i == 0) out.reserve(out.size() + count * (part.size() + part.size() / 4 + 16));
    for (std::size_t line = 0; line < part.size();) {
      const std::size_t end = std::min(part.find('\n', line), part.size() - 1) + 1;
      out.append("    ").append(part, line, end - line);
      line = end;
    }
    out += i + 1 < count ? ",\n" : "\n";
  }
  out += "  ]";
}

}  // namespace

nlohmann::ordered_json to_json_report(const check_result& result) {
  json report = report_skeleton(result);
  json& rows = report["rows"];
  for (std::size_t i = 0; i < result.analysis.rows.size(); ++i) rows.push_back(row_json(result, i));
  json& columns = report["columns"];
  for (std::size_t j = 0; j < result.analysis.columns.size(); ++j) columns.push_back(column_json(result, j));
  return report;
}

std::string format_json_report(const check_result& result) {
  // Each row and column is built and dumped on its own and written into the text in place of
  // the skeleton's empty arrays, so the document is never held as one JSON tree (1.4 GB for
  // 100000 rows of 128) beside its text.
  const std::string skeleton = dump(report_skeleton(result));
  std::string text;
  std::size_t copied = 0;
  const auto fill = [&](std::string_view key, std::size_t count, auto element) {
    const std::string empty = fmt::format("\n  \"{}\": []", key);
    const std::size_t at = skeleton.find(empty, copied);
    text.append(skeleton, copied, at - copied).append(empty, 0, empty.size() - 2);
    copied = at + empty.size();
    append_array(text, count, element);
  };
  fill("rows", result.analysis.rows.size(), [&](std::size_t i) { return row_json(result, i); });
  fill("columns", result.analysis.columns.size(), [&](std::size_t j) { return column_json(result, j); });
  text.append(skeleton, copied);
  text += '\n';
  return text;
}

}  // namespace embcheck
