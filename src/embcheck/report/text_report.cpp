// The human-readable report: configuration, a preview of row 0, one line per row, the pooled
// table and the verdict, in fixed columns so that rows line up for any n.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "embcheck/report/report.hpp"

namespace embcheck {

std::string_view to_string(init_kind init) noexcept {
  switch (init) {
    case init_kind::normal:
      return "normal";
    case init_kind::uniform:
      return "uniform";
    case init_kind::uninit:
      return "uninit";
  }
  return "normal";
}

std::string_view to_string(rng_mode rng) noexcept {
  return rng == rng_mode::torch ? "torch" : "torch-scalar";
}

namespace {

std::string describe_source(const check_result& result) {
  const run_config& config = result.config;
  const table& values = result.values;
  if (!config.generated) {
    return fmt::format("table: {} rows x {} values ({}) from {}", values.rows, values.dim,
                       to_string(values.source_type), config.input_path.value_or("?"));
  }
  const generate_spec& spec = *config.generated;
  std::string init;
  switch (spec.init) {
    case init_kind::normal:
      init = fmt::format("normal(mean {}, std {})", spec.mean, spec.std);
      break;
    case init_kind::uniform:
      init = fmt::format("uniform(low {}, high {})", spec.low, spec.high);
      break;
    case init_kind::uninit:
      init = "uninit (imitation of torch.empty)";
      break;
  }
  std::string line = fmt::format("table: {} rows x {} values (float32), init {}, seed {}", spec.rows,
                                 spec.dim, init, spec.seed);
  if (spec.init != init_kind::uninit) line += fmt::format(", rng {}", to_string(spec.rng));
  if (config.padding_idx) line += fmt::format(", padding_idx {}", *config.padding_idx);
  return line;
}

/// Row 0 as torch prints a long tensor: the first and last three values with 4 decimals.
std::string preview(std::span<const double> row) {
  const auto value = [](double x) { return fmt::format("{:.4f}", x); };
  std::string out = "[";
  if (row.size() <= 6) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? ", " : "") + value(row[i]);
  } else {
    out += fmt::format("{}, {}, {}, ..., {}, {}, {}", value(row[0]), value(row[1]), value(row[2]),
                       value(row[row.size() - 3]), value(row[row.size() - 2]), value(row[row.size() - 1]));
  }
  return out + "]";
}

std::string p_text(double p) { return p >= 1e-4 ? fmt::format("{:.4f}", p) : fmt::format("{:.2e}", p); }

std::string sample_line(std::string_view label, const sample_analysis& sample,
                        const sample_judgement& judgement, bool& uncalibrated_seen) {
  const moments& m = sample.stats;
  std::string ks = fmt::format("{:>10} {:>10}", "-", "-");
  if (sample.ks) ks = fmt::format("{:>10.6f} {:>10}", sample.ks->statistic, p_text(sample.ks->p_value));
  std::string sw = fmt::format("{:>11} {:>11}", "-", "-");
  if (sample.shapiro_wilk) {
    const auto& r = *sample.shapiro_wilk;
    if (!r.p_calibrated) uncalibrated_seen = true;
    sw = fmt::format("{:>11.8f} {:>11}", r.w, p_text(r.p_value) + (r.p_calibrated ? "" : "*"));
  }
  std::string line = fmt::format("{:>7} {:>12.6g} {:>12.6g} {} {}  {}", label, m.mean, m.variance, ks, sw,
                                 to_string(judgement.verdict));
  if (!judgement.reason.empty()) line += fmt::format(" ({})", judgement.reason);
  return line + "\n";
}

}  // namespace

std::string format_text_report(const check_result& result) {
  const run_config& config = result.config;
  std::string out = fmt::format("embcheck {}\n{}\n", EMBCHECK_VERSION, describe_source(result));
  out += fmt::format("null: every value ~ N({}, {}^2); alpha {} (family-wise, Holm over {} p-values)\n",
                     config.null.mean, config.null.std, config.alpha, result.judgement.family_size);
  if (result.values.rows > 0) out += fmt::format("row 0: {}\n", preview(result.values.row(0)));
  out += fmt::format("\n{:>7} {:>12} {:>12} {:>10} {:>10} {:>11} {:>11}  {}\n", "row", "mean", "variance",
                     "KS D", "KS p", "SW W", "SW p", "verdict");
  bool uncalibrated_seen = false;
  for (std::size_t i = 0; i < result.analysis.rows.size(); ++i) {
    const row_analysis& row = result.analysis.rows[i];
    const std::string label = row.padding ? fmt::format("{}(pad)", row.index) : fmt::format("{}", row.index);
    out += sample_line(label, row.sample, result.judgement.rows[i], uncalibrated_seen);
  }
  out += sample_line("pooled", result.analysis.pooled, result.judgement.pooled, uncalibrated_seen);
  if (uncalibrated_seen) {
    out +=
        "* Shapiro-Wilk p-value not calibrated above n = 5000 (Royston's extrapolation): shown, not used "
        "in the verdict.\n";
  }
  const auto count = [&](sample_verdict v) {
    return std::count_if(result.judgement.rows.begin(), result.judgement.rows.end(),
                         [&](const sample_judgement& j) { return j.verdict == v; });
  };
  out += fmt::format("\nverdict: {} ({} of {} rows pass, {} fail, {} untestable; pooled table {})\n",
                     result.judgement.pass ? "PASS" : "FAIL", count(sample_verdict::pass), result.values.rows,
                     count(sample_verdict::fail), count(sample_verdict::untestable),
                     to_string(result.judgement.pooled.verdict));
  return out;
}

}  // namespace embcheck
