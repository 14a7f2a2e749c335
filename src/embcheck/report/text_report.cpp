// The human-readable report: configuration, a preview of row 0, one line per row, the pooled
// table and the verdict, in fixed columns so that rows line up for any n.
#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "embcheck/error.hpp"
#include "embcheck/report/histogram.hpp"
#include "embcheck/report/report.hpp"
#include "embcheck/report/report_parts.hpp"

namespace embcheck {

std::string_view to_string(init_kind init) noexcept {
  switch (init) {
    case init_kind::normal: return "normal";
    case init_kind::uniform: return "uniform";
    case init_kind::uninit: return "uninit";
  }
  return "normal";
}

std::string_view to_string(rng_mode rng) noexcept {
  return rng == rng_mode::torch ? "torch" : "torch-scalar";
}

namespace detail {

std::string describe_source(const run_config& config, const table_shape& shape) {
  if (!config.generated) {
    return fmt::format("table: {} rows x {} values ({}) from {}", shape.rows, shape.dim,
                       to_string(shape.type), config.input_path.value_or("?"));
  }
  const generate_spec& spec = *config.generated;
  std::string init;
  switch (spec.init) {
    case init_kind::normal: init = fmt::format("normal(mean {}, std {})", spec.mean, spec.std); break;
    case init_kind::uniform: init = fmt::format("uniform(low {}, high {})", spec.low, spec.high); break;
    case init_kind::uninit: init = "uninit (imitation of torch.empty)"; break;
  }
  std::string line = fmt::format("table: {} rows x {} values (float32), init {}, seed {}", spec.rows,
                                 spec.dim, init, spec.seed);
  if (spec.init != init_kind::uninit) line += fmt::format(", rng {}", to_string(spec.rng));
  if (config.padding_idx) line += fmt::format(", padding_idx {}", *config.padding_idx);
  return line;
}

}  // namespace detail

namespace {

using detail::table_layout;

/// `x` with `precision` digits as fmt's "{:.<precision>f}", "e" or "g" prints it: std::to_chars
/// gives the same correctly rounded digits (checked against fmt on 4 million doubles of every
/// exponent, NaN and infinities included) two to three times faster, and the lines of the rows
/// were a tenth of a 100000-row check.
std::string_view number(double x, std::chars_format format, int precision, std::array<char, 512>& buffer) {
  const auto [end, failed] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), x, format, precision);
  if (failed != std::errc{}) throw error("cannot format a number");  // 512 characters hold any double
  return {buffer.data(), static_cast<std::size_t>(end - buffer.data())};
}

/// Appends `text` right-aligned in `width` columns (as fmt's "{:>width}").
void append_right(std::string& out, std::string_view text, std::size_t width) {
  if (text.size() < width) out.append(width - text.size(), ' ');
  out += text;
}

/// Appends `x` as fmt's "{:>width.precision<format>}" prints it.
void append_number(std::string& out, double x, std::chars_format format, int precision, std::size_t width) {
  std::array<char, 512> buffer;  // written before it is read
  append_right(out, number(x, format, precision, buffer), width);
}

/// Row 0 as torch prints a long tensor: the first and last three values with 4 decimals.
template <class T>
std::string preview(std::span<const T> row) {
  const auto value = [](double x) {
    std::string text;
    append_number(text, x, std::chars_format::fixed, 4, 0);
    return text;
  };
  std::string out = "[";
  if (row.size() <= 6) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? ", " : "") + value(row[i]);
  } else {
    out += fmt::format("{}, {}, {}, ..., {}, {}, {}", value(row[0]), value(row[1]), value(row[2]),
                       value(row[row.size() - 3]), value(row[row.size() - 2]), value(row[row.size() - 1]));
  }
  return out + "]";
}

}  // namespace

namespace detail {

std::string p_text(const test_outcome& t) {
  std::string text = t.p_is_upper_bound ? "<" : "";
  if (t.p_value >= 1e-4) {
    append_number(text, t.p_value, std::chars_format::fixed, 4, 0);
  } else {
    append_number(text, t.p_value, std::chars_format::scientific, 2, 0);
  }
  return t.p_calibrated ? text : text + "*";
}

std::string_view label(test_kind kind) {
  switch (kind) {
    case test_kind::ks: return "KS";
    case test_kind::shapiro_wilk: return "SW";
    case test_kind::anderson_darling: return "AD";
    case test_kind::cramer_von_mises: return "CvM";
    case test_kind::chi_squared: return "chi2";
    case test_kind::jarque_bera: return "JB";
    case test_kind::dagostino_pearson: return "K2";
    case test_kind::mean: return "mean";
    case test_kind::variance: return "var";
    case test_kind::lilliefors: return "Lf";
    case test_kind::anderson_darling_composite: return "ADc";
    case test_kind::shapiro_francia: return "SF";
  }
  return "?";
}

std::string table_layout::header() const {
  std::string out = fmt::format("{:>7} {:>12} {:>12}", "sample", "mean", "variance");
  for (const test_kind kind : tests) {
    if (kind == test_kind::ks) out += fmt::format(" {:>9}", "KS D");
    if (kind == test_kind::shapiro_wilk) out += fmt::format(" {:>11}", "SW W");
    out += fmt::format(" {:>10}", fmt::format("{} p", label(kind)));
  }
  return out + "  verdict\n";
}

std::string table_layout::line(std::string_view name, const sample_analysis& sample,
                               const sample_judgement& judgement, bool& uncalibrated_seen) const {
  const moments& m = sample.stats;
  std::string out;
  append_right(out, name, 7);
  out += ' ';
  append_number(out, m.mean, std::chars_format::general, 6, 12);
  out += ' ';
  append_number(out, m.variance, std::chars_format::general, 6, 12);
  for (const test_kind kind : tests) {
    const test_outcome* t = sample.find(kind);
    const bool ran = t != nullptr && t->ran;
    const auto statistic = [&](int decimals, std::size_t width) {
      out += ' ';
      if (ran) {
        append_number(out, t->statistic, std::chars_format::fixed, decimals, width);
      } else {
        append_right(out, "-", width);
      }
    };
    if (kind == test_kind::ks) statistic(6, 9);
    if (kind == test_kind::shapiro_wilk) statistic(8, 11);
    out += ' ';
    append_right(out, ran ? p_text(*t) : "-", 10);
    if (ran && !t->p_calibrated) uncalibrated_seen = true;
  }
  out += "  ";
  out += to_string(judgement.verdict);
  if (!judgement.reason.empty()) out += fmt::format(" ({})", judgement.reason);
  if (!judgement.warning.empty()) out += fmt::format(" [{}]", judgement.warning);
  return out + "\n";
}

std::string axis_text(const axes& axis) {
  std::vector<std::string_view> names;
  if (axis.rows) names.push_back("rows");
  if (axis.columns) names.push_back("columns");
  if (axis.table) names.push_back("table");
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace detail

namespace {

/// A word as the terminal may show it: control characters (escape sequences) as \xNN, the rest
/// (UTF-8 included) as is, at most 40 bytes.
std::string terminal_safe(std::string_view word) {
  std::string out;
  for (const char c : word.substr(0, 40)) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte < 0x20 || byte == 0x7f || c == '"' || c == '\\' ? fmt::format("\\x{:02x}", byte)
                                                                : std::string(1, c);
  }
  return word.size() > 40 ? out + "..." : out;
}

/// At most this many columns are listed one per line; the rest are summarised.
constexpr std::size_t listed_columns = 20;

}  // namespace

using detail::axis_text;
using detail::describe_source;

void write_text_report(const check_result& result, const text_sink& sink) {
  const run_config& config = result.config;
  std::vector<std::string_view> test_names;
  for (const test_kind kind : config.tests) test_names.push_back(to_string(kind));
  const std::string tests = fmt::format("{}", fmt::join(test_names, ", "));
  std::string out = fmt::format(
      "embcheck {}\n{}\n", EMBCHECK_VERSION,
      describe_source(config, {result.values.rows, result.values.dim, result.values.source_type}));
  out += fmt::format("null: every value ~ {}; tests: {}; samples: {}\n", config.null.describe(), tests,
                     axis_text(config.axis));
  out += fmt::format("alpha {} ({} correction over {} p-values), warn below p = {}\n", config.alpha,
                     to_string(config.method), result.judgement.family_size, config.warn_below);
  out += fmt::format("sha256 of the {} bytes: {}\n", to_string(result.digest.dtype), result.digest.table);
  if (result.values.rows > 0)
    out += fmt::format("row 0: {}\n", result.values.visit_row(0, [](auto row) { return preview(row); }));
  const table_layout layout{config.tests};
  out += '\n';
  out += layout.header();
  sink(out);
  out.clear();
  // One line per row, in blocks on the check's threads (write_in_blocks).
  constexpr std::size_t rows_per_block = 2048;
  std::atomic<bool> any_uncalibrated{false};
  detail::write_in_blocks(sink, result.analysis.rows.size(), rows_per_block, config.threads,
                          [&](std::size_t i, std::string& text) {
                            const row_analysis& row = result.analysis.rows[i];
                            const std::string name = row.padding ? fmt::format("{}(pad)", row.index)
                                                                 : fmt::format("{}", row.index);
                            bool seen = false;
                            std::string line = layout.line(name, row.sample, result.judgement.rows[i], seen);
                            if (seen) any_uncalibrated.store(true, std::memory_order_relaxed);
                            if (row.index < result.words.size()) {
                              line.pop_back();
                              line += fmt::format("  word \"{}\"\n", terminal_safe(result.words[row.index]));
                            }
                            text += line;
                          });
  bool uncalibrated_seen = any_uncalibrated.load();
  const auto& columns = result.analysis.columns;
  if (!columns.empty()) {
    std::size_t listed = 0;
    for (std::size_t j = 0; j < columns.size(); ++j) {
      const bool failed = result.judgement.columns[j].verdict != sample_verdict::pass;
      if ((columns.size() <= listed_columns || failed) && listed < listed_columns) {
        out +=
            layout.line(fmt::format("col {}", j), columns[j], result.judgement.columns[j], uncalibrated_seen);
        ++listed;
      }
    }
    if (listed < columns.size())
      out += fmt::format("   ... {} more columns not listed\n", columns.size() - listed);
  }
  if (result.analysis.pooled) {
    out += layout.line("pooled", *result.analysis.pooled, *result.judgement.pooled, uncalibrated_seen);
  }
  if (uncalibrated_seen) {
    out += "* p-value not calibrated at this n: shown, not used in the verdict.\n";
  }
  const auto count = [](const std::vector<sample_judgement>& samples, sample_verdict v) {
    return std::count_if(samples.begin(), samples.end(),
                         [&](const sample_judgement& j) { return j.verdict == v; });
  };
  if (result.analysis.pooled) {
    const histogram h = result.pooled_histogram ? *result.pooled_histogram
                                                : make_pooled_histogram(result.values, result.padding_row(),
                                                                        config.null, config.threads);
    out += fmt::format("\npooled values: # observed, | expected under {}", h.null.describe());
    if (h.below + h.above > 0) out += fmt::format(" ({} below, {} above the range)", h.below, h.above);
    out += "\n" + format_terminal_histogram(h, 40);
  }
  if (result.judgement.warnings > 0) {
    out += fmt::format("{} test(s) warn: unadjusted p below {} but not rejected (listed in [...])\n",
                       result.judgement.warnings, config.warn_below);
  }
  if (!result.gates.empty()) out += '\n';
  for (const gate_result& gate : result.gates) {
    out += fmt::format("gate {}: {}: {}\n", gate.name, gate.pass ? "pass" : "FAIL", gate.message);
    constexpr std::size_t shown_details = 10;
    for (std::size_t k = 0; k < gate.details.size() && k < shown_details; ++k)
      out += fmt::format("  {}\n", gate.details[k]);
    if (gate.details.size() > shown_details)
      out += fmt::format("  ... {} more\n", gate.details.size() - shown_details);
  }
  out += fmt::format("\nverdict: {}", result.pass() ? "PASS" : "FAIL");
  std::string parts;
  const auto summary = [&](std::string_view what, const std::vector<sample_judgement>& samples) {
    if (samples.empty()) return;
    parts += fmt::format("{}{} of {} {} pass, {} fail, {} untestable", parts.empty() ? "" : "; ",
                         count(samples, sample_verdict::pass), samples.size(), what,
                         count(samples, sample_verdict::fail), count(samples, sample_verdict::untestable));
  };
  summary("rows", result.judgement.rows);
  summary("columns", result.judgement.columns);
  if (result.judgement.pooled) {
    parts += fmt::format("{}pooled table {}", parts.empty() ? "" : "; ",
                         to_string(result.judgement.pooled->verdict));
  }
  if (!result.gates.empty()) {
    const auto passed = std::count_if(result.gates.begin(), result.gates.end(),
                                      [](const gate_result& gate) { return gate.pass; });
    parts += fmt::format("; {} of {} gates pass", passed, result.gates.size());
  }
  out += fmt::format(" ({})\n", parts);
  sink(out);
}

std::string format_text_report(const check_result& result) {
  std::string text;
  write_text_report(result, [&text](std::string_view piece) { text += piece; });
  return text;
}

}  // namespace embcheck
