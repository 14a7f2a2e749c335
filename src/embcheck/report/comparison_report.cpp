// Reports of `embcheck compare`: text, JSON and NDJSON. Layout: docs/compare.md; schema:
// docs/compare.schema.json. As in the single-table report, JSON has no NaN or Infinity: such
// numbers are written as null.
#include "embcheck/report/comparison_report.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "embcheck/report/report.hpp"
#include "embcheck/report/report_parts.hpp"
#include "embcheck/verdict/gates.hpp"

namespace embcheck {
namespace {

using json = nlohmann::ordered_json;

using detail::number;

json input_json(const comparison_input& input, const table& values) {
  json out;
  out["spec"] = input.spec;
  out["source"] = input.generated ? "generated" : "file";
  out["input"] = input.path ? json(*input.path) : json(nullptr);
  out["format"] = input.format.empty() ? json(nullptr) : json(input.format);
  out["tensor"] = input.tensor.empty() ? json(nullptr) : json(input.tensor);
  out["rows"] = values.rows;
  out["dim"] = values.dim;
  out["dtype"] = to_string(values.source_type);
  if (input.generated) {
    detail::add_generator_fields(out, *input.generated);
  } else {
    for (const char* key : {"seed", "init", "rng", "mean", "std", "low", "high"}) out[key] = nullptr;
  }
  out["digest"] = digest_of(values, false).table;
  return out;
}

json moments_json(const moments& m) {
  return {{"n", m.n},
          {"finite", m.finite},
          {"mean", number(m.mean)},
          {"variance", number(m.variance)},
          {"sample_variance", number(m.sample_variance)},
          {"std", number(m.std)},
          {"min", number(m.min)},
          {"max", number(m.max)},
          {"skewness", number(m.skewness)},
          {"excess_kurtosis", number(m.excess_kurtosis)},
          {"nonfinite", m.nonfinite()}};
}

json test_json(comparison_test_kind kind, const comparison_outcome* outcome,
               const std::optional<test_judgement>& judgement) {
  json out = {{"statistic", nullptr}, {"p_value", nullptr}, {"p_value_calibrated", nullptr}};
  if (kind == comparison_test_kind::ks) {
    out["method"] = nullptr;
  } else {
    for (const char* key : {"a2", "sigma", "distinct", "critical_values", "significance_levels",
                            "p_value_interpolated", "p_value_interpolated_bound"})
      out[key] = nullptr;
  }
  out["adjusted_p_value"] = nullptr;
  out["rejected"] = nullptr;
  out["warned"] = nullptr;
  out["note"] = nullptr;
  if (outcome == nullptr) return out;
  if (!outcome->note.empty()) out["note"] = outcome->note;
  if (!outcome->ran) return out;
  out["statistic"] = number(outcome->statistic);
  out["p_value"] = number(outcome->p_value);
  out["p_value_calibrated"] = outcome->p_calibrated;
  if (kind == comparison_test_kind::ks) {
    out["method"] = outcome->method == ks_method::exact ? "exact" : "asymptotic";
  } else if (outcome->anderson) {
    const anderson_2samp_result& ad = *outcome->anderson;
    out["a2"] = number(ad.a2);
    out["sigma"] = number(ad.sigma);
    out["distinct"] = ad.distinct;
    json critical = json::array();
    for (const double c : ad.critical_values) critical.push_back(number(c));
    out["critical_values"] = std::move(critical);
    out["significance_levels"] = {0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001};
    out["p_value_interpolated"] = number(ad.p_value_interpolated);
    out["p_value_interpolated_bound"] = ad.p_interpolated_at_most    ? json("at_most")
                                        : ad.p_interpolated_at_least ? json("at_least")
                                                                     : json(nullptr);
  }
  if (judgement) {
    out["adjusted_p_value"] = number(judgement->adjusted_p);
    out["rejected"] = judgement->rejected;
    out["warned"] = judgement->warned;
  }
  return out;
}

json sample_json(const sample_comparison& sample, const sample_judgement& judgement,
                 std::span<const comparison_test_kind> selected) {
  json out;
  out["a"] = moments_json(sample.a);
  out["b"] = moments_json(sample.b);
  out["difference"] = {{"mean", number(sample.difference.mean)},
                       {"variance_ratio", number(sample.difference.variance_ratio)},
                       {"skewness", number(sample.difference.skewness)},
                       {"excess_kurtosis", number(sample.difference.excess_kurtosis)}};
  json tests = json::object();
  for (const comparison_test_kind kind : selected) {
    const comparison_outcome* outcome = sample.find(kind);
    std::optional<test_judgement> verdict;
    if (outcome != nullptr)
      verdict = judgement.tests[static_cast<std::size_t>(outcome - sample.tests.data())];
    tests[std::string(to_string(kind))] = test_json(kind, outcome, verdict);
  }
  out["tests"] = std::move(tests);
  out["verdict"] = to_string(judgement.verdict);
  out["reason"] = judgement.reason.empty() ? json(nullptr) : json(judgement.reason);
  out["warning"] = judgement.warning.empty() ? json(nullptr) : json(judgement.warning);
  return out;
}

json indexed_json(const char* record, std::size_t index, const sample_comparison& sample,
                  const sample_judgement& judgement, std::span<const comparison_test_kind> selected) {
  json out;
  if (record != nullptr) out["record"] = record;
  out["index"] = index;
  out.update(sample_json(sample, judgement, selected));
  return out;
}

json config_json(const comparison_result& result) {
  const comparison_config& config = result.config;
  json out;
  out["a"] = input_json(config.a, result.a);
  out["b"] = input_json(config.b, result.b);
  json tests = json::array();
  for (const comparison_test_kind kind : config.tests) tests.push_back(to_string(kind));
  out["tests"] = std::move(tests);
  out["axis"] = detail::axes_json(config.axis);
  out["alpha"] = config.alpha;
  out["correction"] = to_string(config.method);
  out["warn_below"] = config.warn_below;
  out["threads"] = config.threads;
  return out;
}

json matching_json(const comparison_result& result) {
  const table_comparison& c = result.comparison;
  return {{"rows_a", c.rows_a},
          {"rows_b", c.rows_b},
          {"rows_compared", c.rows.size()},
          {"unmatched_rows", result.config.axis.rows ? c.unmatched_rows() : 0},
          {"columns_compared", c.columns.size()}};
}

/// Every test that crossed a threshold, as the single-table report's "tripped".
json tripped_json(const comparison_result& result) {
  json out = json::array();
  const auto add = [&](const std::string& name, const sample_comparison& sample, const sample_judgement& j) {
    for (std::size_t t = 0; t < sample.tests.size(); ++t) {
      if (t >= j.tests.size() || !j.tests[t] || !(j.tests[t]->rejected || j.tests[t]->warned)) continue;
      out.push_back({{"sample", name},
                     {"test", to_string(sample.tests[t].kind)},
                     {"threshold", j.tests[t]->rejected ? "fail" : "warn"},
                     {"p_value", number(sample.tests[t].p_value)},
                     {"adjusted_p_value", number(j.tests[t]->adjusted_p)}});
    }
  };
  const table_comparison& c = result.comparison;
  for (std::size_t i = 0; i < c.rows.size(); ++i)
    add(fmt::format("row {}", i), c.rows[i], result.judgement.rows[i]);
  for (std::size_t j = 0; j < c.columns.size(); ++j)
    add(fmt::format("column {}", j), c.columns[j], result.judgement.columns[j]);
  if (c.pooled) add("table", *c.pooled, *result.judgement.pooled);
  return out;
}

std::string p_text(const comparison_outcome* t, bool& uncalibrated_seen) {
  if (t == nullptr || !t->ran) return "-";
  std::string text =
      t->p_value >= 1e-4 ? fmt::format("{:.4f}", t->p_value) : fmt::format("{:.2e}", t->p_value);
  if (!t->p_calibrated) {
    text += "*";
    uncalibrated_seen = true;
  }
  return text;
}

std::string describe_input(const char* side, const comparison_input& input, const table& values) {
  std::string line = fmt::format("{}: {} rows x {} values ({}), ", side, values.rows, values.dim,
                                 to_string(values.source_type));
  if (!input.generated) {
    line +=
        input.path && *input.path == "-" ? std::string("standard input") : fmt::format("'{}'", input.spec);
    if (!input.format.empty()) line += fmt::format(" ({}", input.format);
    if (!input.tensor.empty()) line += fmt::format(", tensor '{}'", input.tensor);
    if (!input.format.empty()) line += ")";
    return line;
  }
  const generate_spec& spec = *input.generated;
  line += fmt::format("generated: init ");
  switch (spec.init) {
    case init_kind::normal: line += fmt::format("normal(mean {}, std {})", spec.mean, spec.std); break;
    case init_kind::uniform: line += fmt::format("uniform(low {}, high {})", spec.low, spec.high); break;
    case init_kind::uninit: line += "uninit (imitation of torch.empty)"; break;
  }
  line += fmt::format(", seed {}", spec.seed);
  if (spec.init != init_kind::uninit) line += fmt::format(", rng {}", to_string(spec.rng));
  return line;
}

/// The smallest calibrated p-value of the sample's tests; none when no test gave one.
std::optional<double> smallest_p(const sample_comparison& sample) {
  std::optional<double> p;
  for (const comparison_outcome& t : sample.tests)
    if (t.ran && t.p_calibrated) p = std::min(p.value_or(t.p_value), t.p_value);
  return p;
}

std::string verdict_text(const sample_judgement& j) {
  std::string text(to_string(j.verdict));
  if (!j.reason.empty()) text += fmt::format(" ({})", j.reason);
  if (!j.warning.empty()) text += fmt::format(" [{}]", j.warning);
  return text;
}

std::string sample_line(const std::string& name, const sample_comparison& s, const sample_judgement& j,
                        std::span<const comparison_test_kind> selected, bool& uncalibrated_seen) {
  std::string line = fmt::format("{:>7} {:>8} {:>8} {:>12.4g} {:>9.4g}", name, s.a.n, s.b.n,
                                 s.difference.mean, s.difference.variance_ratio);
  for (const comparison_test_kind kind : selected) {
    const comparison_outcome* t = s.untestable_reason ? nullptr : s.find(kind);
    const std::string statistic =
        t != nullptr && t->ran ? (kind == comparison_test_kind::ks ? fmt::format("{:.6f}", t->statistic)
                                                                   : fmt::format("{:.4f}", t->statistic))
                               : std::string("-");
    line += fmt::format(" {:>9} {:>10}", statistic, p_text(t, uncalibrated_seen));
  }
  return line + "  " + verdict_text(j) + "\n";
}

std::string summary(const char* what, const std::vector<sample_judgement>& judgements) {
  const auto count = [&](sample_verdict v) {
    return std::count_if(judgements.begin(), judgements.end(),
                         [v](const sample_judgement& j) { return j.verdict == v; });
  };
  return fmt::format("{} of {} {} pass, {} fail, {} untestable", count(sample_verdict::pass),
                     judgements.size(), what, count(sample_verdict::fail), count(sample_verdict::untestable));
}

}  // namespace

std::string format_comparison_text(const comparison_result& result) {
  const comparison_config& config = result.config;
  const table_comparison& c = result.comparison;
  const table_judgement& judgement = result.judgement;
  std::string out = fmt::format("embcheck {} compare\n", EMBCHECK_VERSION);
  out += describe_input("A", config.a, result.a) + "\n";
  out += describe_input("B", config.b, result.b) + "\n";
  std::vector<std::string_view> tests;
  for (const comparison_test_kind kind : config.tests) tests.push_back(to_string(kind));
  std::vector<std::string_view> samples;
  if (config.axis.rows) samples.push_back("rows");
  if (config.axis.columns) samples.push_back("columns");
  if (config.axis.table) samples.push_back("table");
  out += fmt::format(
      "null: each sample of A and the same sample of B come from one distribution; tests: {}; "
      "samples: {}\n",
      fmt::join(tests, ", "), fmt::join(samples, ", "));
  out += fmt::format("alpha {} ({} correction over {} p-values), warn below p = {}\n", config.alpha,
                     to_string(config.method), judgement.family_size, config.warn_below);
  if (config.axis.rows) {
    out += fmt::format("rows: {} of A against {} of B: {} compared", c.rows_a, c.rows_b, c.rows.size());
    if (c.unmatched_rows() > 0) {
      out += fmt::format(", {} rows of {} unmatched (not tested)", c.unmatched_rows(),
                         c.rows_a > c.rows_b ? "A" : "B");
    }
    out += "\n";
  }

  std::string header =
      fmt::format("\n{:>7} {:>8} {:>8} {:>12} {:>9}", "sample", "n_a", "n_b", "mean B-A", "var B/A");
  for (const comparison_test_kind kind : config.tests) {
    header += kind == comparison_test_kind::ks ? fmt::format(" {:>9} {:>10}", "KS D", "KS p")
                                               : fmt::format(" {:>9} {:>10}", "AD T", "AD p");
  }
  out += header + "  verdict\n";
  bool uncalibrated_seen = false;
  for (std::size_t i = 0; i < c.rows.size(); ++i)
    out += sample_line(fmt::format("{}", i), c.rows[i], judgement.rows[i], config.tests, uncalibrated_seen);
  for (std::size_t j = 0; j < c.columns.size(); ++j)
    out += sample_line(fmt::format("col {}", j), c.columns[j], judgement.columns[j], config.tests,
                       uncalibrated_seen);
  if (c.pooled) out += sample_line("pooled", *c.pooled, *judgement.pooled, config.tests, uncalibrated_seen);
  out += "\n";
  if (uncalibrated_seen)
    out += "* p-value not calibrated at these sizes or ties: shown, not used in the verdict.\n";

  if (c.rows.size() > 1) {
    // Rows without a calibrated p-value are not ranked: until 2026-11-28 they were shown as
    // "p = 1", the worst rows of a table whose rows all had uncalibrated p-values.
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t i = 0; i < c.rows.size(); ++i)
      if (const auto p = smallest_p(c.rows[i])) ranked.emplace_back(*p, i);
    const std::size_t shown = std::min<std::size_t>(5, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(shown), ranked.end());
    std::vector<std::string> worst;
    for (std::size_t k = 0; k < shown; ++k)
      worst.push_back(fmt::format("row {} (p = {:.3g})", ranked[k].second, ranked[k].first));
    out +=
        worst.empty()
            ? std::string("worst rows (smallest calibrated p-value): none, no row has a calibrated p-value\n")
            : fmt::format("worst rows (smallest calibrated p-value): {}\n", fmt::join(worst, ", "));
  }
  if (judgement.warnings > 0) {
    out += fmt::format("{} tests in the warning band (unadjusted p < {}, not rejected)\n", judgement.warnings,
                       judgement.warn_below);
  }
  std::vector<std::string> parts;
  if (config.axis.rows) parts.push_back(summary("rows", judgement.rows));
  if (config.axis.columns) parts.push_back(summary("columns", judgement.columns));
  if (judgement.pooled) parts.push_back(fmt::format("pooled {}", to_string(judgement.pooled->verdict)));
  out += fmt::format("verdict: {} ({})\n", judgement.pass ? "PASS" : "FAIL", fmt::join(parts, "; "));
  return out;
}

nlohmann::ordered_json to_comparison_json(const comparison_result& result) {
  const table_comparison& c = result.comparison;
  const table_judgement& judgement = result.judgement;
  json out;
  out["schema_version"] = report_schema_version;
  out["kind"] = "compare";
  out["embcheck_version"] = EMBCHECK_VERSION;
  out["config"] = config_json(result);
  out["matching"] = matching_json(result);
  json rows = json::array();
  for (std::size_t i = 0; i < c.rows.size(); ++i)
    rows.push_back(indexed_json(nullptr, i, c.rows[i], judgement.rows[i], result.config.tests));
  out["rows"] = std::move(rows);
  json columns = json::array();
  for (std::size_t j = 0; j < c.columns.size(); ++j)
    columns.push_back(indexed_json(nullptr, j, c.columns[j], judgement.columns[j], result.config.tests));
  out["columns"] = std::move(columns);
  out["table"] = c.pooled ? sample_json(*c.pooled, *judgement.pooled, result.config.tests) : json(nullptr);
  out["family_size"] = judgement.family_size;
  out["warnings"] = judgement.warnings;
  out["tripped"] = tripped_json(result);
  out["verdict"] = judgement.pass ? "pass" : "fail";
  return out;
}

std::string format_comparison_ndjson(const comparison_result& result) {
  const table_comparison& c = result.comparison;
  const table_judgement& judgement = result.judgement;
  std::string out;
  for (std::size_t i = 0; i < c.rows.size(); ++i)
    out += indexed_json("row", i, c.rows[i], judgement.rows[i], result.config.tests).dump() + "\n";
  for (std::size_t j = 0; j < c.columns.size(); ++j)
    out += indexed_json("column", j, c.columns[j], judgement.columns[j], result.config.tests).dump() + "\n";
  if (c.pooled) {
    json pooled = {{"record", "table"}};
    pooled.update(sample_json(*c.pooled, *judgement.pooled, result.config.tests));
    out += pooled.dump() + "\n";
  }
  json last = {{"record", "summary"},
               {"schema_version", report_schema_version},
               {"kind", "compare"},
               {"embcheck_version", EMBCHECK_VERSION}};
  last["config"] = config_json(result);
  last["matching"] = matching_json(result);
  last["family_size"] = judgement.family_size;
  last["warnings"] = judgement.warnings;
  last["tripped"] = tripped_json(result);
  last["verdict"] = judgement.pass ? "pass" : "fail";
  return out + last.dump() + "\n";
}

}  // namespace embcheck
