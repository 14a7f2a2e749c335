// NDJSON lines written as samples finish, and the text report of a streamed table.
// Layout: docs/report.md ("NDJSON" and "Streaming").
#include "embcheck/report/streamed_report.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "embcheck/report/report_parts.hpp"
#include "embcheck/statistics/streaming.hpp"

namespace embcheck {
namespace {

using json = nlohmann::ordered_json;

/// One line; words that are not valid UTF-8 (word2vec files may cut a character) get U+FFFD.
std::string line(const json& record) {
  return record.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string sample_name(sample_place place, std::size_t index) {
  return place == sample_place::table ? std::string("table") : fmt::format("{} {}", to_string(place), index);
}

json counts_json(const verdict_counts& counts) {
  return {{"pass", counts.pass}, {"fail", counts.fail}, {"untestable", counts.untestable}};
}

}  // namespace

bool streamed_result::pass() const noexcept {
  return judgement.pass &&
         std::all_of(gates.begin(), gates.end(), [](const gate_result& g) { return g.pass; });
}

std::string ndjson_row_line(const row_analysis& row, std::span<const test_kind> tests,
                            std::string_view digest, std::string_view word) {
  return detail::ndjson_record_line({"row", row.index, row.padding, digest, word}, row.sample, tests);
}

std::string ndjson_sample_line(sample_place place, std::size_t index, const sample_analysis& sample,
                               std::span<const test_kind> tests) {
  const std::optional<std::size_t> shown_index =
      place == sample_place::table ? std::nullopt : std::optional<std::size_t>(index);
  return detail::ndjson_record_line({to_string(place), shown_index, std::nullopt, {}, {}}, sample, tests);
}

std::string ndjson_summary_line(const streamed_result& result) {
  const streamed_judgement& j = result.judgement;
  json out = {{"record", "summary"},
              {"schema_version", report_schema_version},
              {"embcheck_version", EMBCHECK_VERSION},
              {"config", detail::config_json(result.config, result.shape)},
              {"held", result.held}};
  out["digest"] = result.digest ? json{{"algorithm", "sha256"},
                                       {"dtype", to_string(result.digest_dtype)},
                                       {"table", *result.digest}}
                                : json(nullptr);
  out["family_size"] = j.family_size;
  out["warnings"] = j.warnings;
  out["counts"] = {{"rows", counts_json(j.rows)},
                   {"columns", counts_json(j.columns)},
                   {"table", j.table ? json(to_string(*j.table)) : json(nullptr)}};
  json tripped = json::array();
  for (const tripped_test& t : j.tripped) {
    tripped.push_back({{"sample", sample_name(t.place, t.index)},
                       {"test", to_string(t.kind)},
                       {"threshold", t.rejected ? "fail" : "warn"},
                       {"p_value", detail::number(t.p_value)},
                       {"adjusted_p_value", detail::number(t.adjusted_p)}});
  }
  out["tripped"] = std::move(tripped);
  out["tripped_total"] = j.tripped_total;
  json failed = json::array();
  for (const failed_sample& f : j.failed) {
    failed.push_back(
        {{"sample", sample_name(f.place, f.index)}, {"verdict", to_string(f.verdict)}, {"reason", f.reason}});
  }
  out["failed"] = std::move(failed);
  out["failed_total"] = j.failed_total;
  out["gates"] = detail::gates_json(result.gates);
  out["verdict"] = result.pass() ? "pass" : "fail";
  return line(out);
}

std::string format_streamed_text_report(const streamed_result& result) {
  const run_config& config = result.config;
  const streamed_judgement& j = result.judgement;
  std::vector<std::string_view> test_names;
  for (const test_kind kind : config.tests) test_names.push_back(to_string(kind));
  std::string out =
      fmt::format("embcheck {}\n{}\n", EMBCHECK_VERSION, detail::describe_source(config, result.shape));
  out += fmt::format("null: every value ~ {}; tests: {}; samples: {}\n", config.null.describe(),
                     fmt::join(test_names, ", "), detail::axis_text(config.axis));
  out += fmt::format("alpha {} ({} correction over {} p-values), warn below p = {}\n", config.alpha,
                     to_string(config.method), j.family_size, config.warn_below);
  if (result.digest)
    out += fmt::format("sha256 of the {} bytes: {}\n", to_string(result.digest_dtype), *result.digest);
  out += fmt::format(
      "streamed: rows tested block by block, the table never held; the pooled table from merged "
      "moments and, for KS, a histogram of F(x) in {} bins\n",
      cdf_histogram::bins);
  if (result.pooled) {
    bool uncalibrated_seen = false;
    if (j.table) {
      const detail::table_layout layout{config.tests};
      sample_judgement pooled_judgement;
      pooled_judgement.verdict = *j.table;
      out += '\n' + layout.header();
      out += layout.line("pooled", *result.pooled, pooled_judgement, uncalibrated_seen);
    } else {
      out += fmt::format("\npooled: not tested, left out of the verdict: {}\n", streamed_table_untested);
    }
    const moments& m = result.pooled->stats;
    out += fmt::format("pooled: n = {}, skewness {:.6g}, excess kurtosis {:.6g}, min {:.6g}, max {:.6g}\n",
                       m.n, m.skewness, m.excess_kurtosis, m.min, m.max);
    if (uncalibrated_seen) out += "* p-value not calibrated at this n: shown, not used in the verdict.\n";
    for (const test_outcome& t : result.pooled->tests) {
      if (!t.ran && !t.note.empty()) out += fmt::format("  {}: {}\n", to_string(t.kind), t.note);
    }
  }
  constexpr std::size_t shown = 20;
  if (j.tripped_total > 0) {
    out += fmt::format("\ntripped tests ({} in all{}):\n", j.tripped_total,
                       j.tripped_total > shown ? fmt::format(", first {} listed", shown) : "");
    for (std::size_t k = 0; k < j.tripped.size() && k < shown; ++k) {
      const tripped_test& t = j.tripped[k];
      out += fmt::format("  {}: {} {}: p = {:.3g}, adjusted {:.3g}\n", sample_name(t.place, t.index),
                         to_string(t.kind), t.rejected ? "rejects" : "warns", t.p_value, t.adjusted_p);
    }
  }
  if (j.failed_total > 0) {
    out += fmt::format("\nuntestable or failing samples ({} in all{}):\n", j.failed_total,
                       j.failed_total > shown ? fmt::format(", first {} listed", shown) : "");
    for (std::size_t k = 0; k < j.failed.size() && k < shown; ++k) {
      const failed_sample& f = j.failed[k];
      out += fmt::format("  {}: {} ({})\n", sample_name(f.place, f.index), to_string(f.verdict), f.reason);
    }
  }
  if (!result.gates.empty()) out += '\n';
  for (const gate_result& gate : result.gates) {
    out += fmt::format("gate {}: {}: {}\n", gate.name, gate.pass ? "pass" : "FAIL", gate.message);
  }
  std::string parts;
  if (config.axis.rows) {
    parts = fmt::format("{} of {} rows pass, {} fail, {} untestable", j.rows.pass,
                        j.rows.pass + j.rows.fail + j.rows.untestable, j.rows.fail, j.rows.untestable);
  }
  if (j.table) parts += fmt::format("{}pooled table {}", parts.empty() ? "" : "; ", to_string(*j.table));
  if (!result.gates.empty()) {
    const auto passed =
        std::count_if(result.gates.begin(), result.gates.end(), [](const gate_result& g) { return g.pass; });
    parts += fmt::format("; {} of {} gates pass", passed, result.gates.size());
  }
  return out + fmt::format("\nverdict: {} ({})\n", result.pass() ? "PASS" : "FAIL", parts);
}

}  // namespace embcheck
