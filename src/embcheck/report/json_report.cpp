// The JSON report. Layout: docs/report.md; schema: docs/report.schema.json.
// JSON has no NaN or Infinity: such numbers are written as null, so every consumer
// (jq, pandas, browsers) reads the document.
#include <cmath>

#include "embcheck/report/report.hpp"

namespace embcheck {
namespace {

using json = nlohmann::ordered_json;

json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json to_json(const moments& m) {
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

json to_json(const std::optional<test_judgement>& judgement) {
  if (!judgement) return {{"adjusted_p_value", nullptr}, {"rejected", nullptr}};
  return {{"adjusted_p_value", number(judgement->adjusted_p)}, {"rejected", judgement->rejected}};
}

json tests_json(const sample_analysis& sample, const sample_judgement& judgement) {
  json ks = {{"statistic", nullptr}, {"d_plus", nullptr}, {"d_minus", nullptr}, {"p_value", nullptr}};
  if (sample.ks) {
    ks = {{"statistic", number(sample.ks->statistic)},
          {"d_plus", number(sample.ks->d_plus)},
          {"d_minus", number(sample.ks->d_minus)},
          {"p_value", number(sample.ks->p_value)}};
  }
  ks.update(to_json(judgement.ks));
  json sw = {{"statistic", nullptr}, {"p_value", nullptr}, {"p_value_calibrated", nullptr}};
  if (sample.shapiro_wilk) {
    sw = {{"statistic", number(sample.shapiro_wilk->w)},
          {"p_value", number(sample.shapiro_wilk->p_value)},
          {"p_value_calibrated", sample.shapiro_wilk->p_calibrated}};
  }
  sw.update(to_json(judgement.shapiro_wilk));
  return {{"ks", ks}, {"shapiro_wilk", sw}};
}

json sample_json(const sample_analysis& sample, const sample_judgement& judgement) {
  json out = to_json(sample.stats);
  out["tests"] = tests_json(sample, judgement);
  out["verdict"] = to_string(judgement.verdict);
  out["reason"] = judgement.reason.empty() ? json(nullptr) : json(judgement.reason);
  return out;
}

json config_json(const check_result& result) {
  const run_config& config = result.config;
  json out;
  if (config.generated) {
    const generate_spec& spec = *config.generated;
    out["source"] = "generated";
    out["input"] = nullptr;
    out["rows"] = spec.rows;
    out["dim"] = spec.dim;
    out["seed"] = spec.seed;
    out["init"] = to_string(spec.init);
    out["rng"] = spec.init == init_kind::uninit ? json("uninit") : json(to_string(spec.rng));
    out["mean"] = spec.init == init_kind::normal ? json(spec.mean) : json(nullptr);
    out["std"] = spec.init == init_kind::normal ? json(spec.std) : json(nullptr);
    out["low"] = spec.init == init_kind::uniform ? json(spec.low) : json(nullptr);
    out["high"] = spec.init == init_kind::uniform ? json(spec.high) : json(nullptr);
  } else {
    out["source"] = "file";
    out["input"] = config.input_path.value_or("");
    out["rows"] = result.values.rows;
    out["dim"] = result.values.dim;
  }
  out["dtype"] = to_string(result.values.source_type);
  out["padding_idx"] = config.padding_idx ? json(*config.padding_idx) : json(nullptr);
  out["null"] = {{"distribution", "normal"}, {"mean", config.null.mean}, {"std", config.null.std}};
  out["alpha"] = config.alpha;
  out["correction"] = "holm";
  out["threads"] = config.threads;
  return out;
}

}  // namespace

nlohmann::ordered_json to_json_report(const check_result& result) {
  json report;
  report["schema_version"] = report_schema_version;
  report["embcheck_version"] = EMBCHECK_VERSION;
  report["config"] = config_json(result);
  json rows = json::array();
  for (std::size_t i = 0; i < result.analysis.rows.size(); ++i) {
    const row_analysis& row = result.analysis.rows[i];
    json entry = {{"index", row.index}, {"padding", row.padding}};
    entry.update(sample_json(row.sample, result.judgement.rows[i]));
    rows.push_back(std::move(entry));
  }
  report["rows"] = std::move(rows);
  report["table"] = sample_json(result.analysis.pooled, result.judgement.pooled);
  report["family_size"] = result.judgement.family_size;
  report["verdict"] = result.judgement.pass ? "pass" : "fail";
  return report;
}

}  // namespace embcheck
