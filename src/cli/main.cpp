// embcheck: the command-line front end. Parses and validates options (CLI11), reads or
// generates the table, runs the analysis and writes the report. Exit codes: docs/cli.md.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "compare.hpp"
#include "embcheck/error.hpp"
#include "embcheck/generate/generate.hpp"
#include "embcheck/parallel.hpp"
#include "embcheck/read/npy.hpp"
#include "embcheck/report/report.hpp"
#include "embcheck/report/svg_plot.hpp"
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/verdict/baseline.hpp"
#include "embcheck/verdict/gates.hpp"
#include "embcheck/verdict/verdict.hpp"
#include "file_io.hpp"
#include "input.hpp"
#include "option_parsing.hpp"
#include "out_of_memory.hpp"
#include "streamed_check.hpp"

namespace embcheck::cli {
namespace {

/// Exit codes, documented in docs/cli.md.
enum exit_code : int { pass = 0, rejected = 1, usage = 2, runtime = 3 };

enum class report_format { text, json, ndjson };
const std::map<std::string, report_format> format_names{
    {"text", report_format::text}, {"json", report_format::json}, {"ndjson", report_format::ndjson}};

struct options {
  std::size_t rows = 5;
  std::optional<std::size_t> dim;
  std::string seed_text = "0";
  std::string init = "normal";
  std::string rng = "torch";
  double mean = 0.0;
  double std = 1.0;
  double low = 0.0;
  double high = 1.0;
  std::optional<std::int64_t> padding_idx;
  double alpha = default_alpha;
  std::string correction_name = "holm";
  double warn_below = default_warn_below;
  std::string expect_digest;
  std::string against;
  std::string baseline;
  std::string plot;
  double baseline_sigmas = default_baseline_sigmas;
  std::string expect = "normal";
  std::string tests = "default";
  std::string axis = "rows,table";
  std::string format = "text";
  std::string output;
  std::string input;
  std::string input_format = "auto";
  std::string tensor;
  std::string dtype;
  std::string save_table;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  bool stream = false;
};

/// Parameters of float32 tables must be finite float32 numbers, as torch converts them.
const CLI::Validator float32_number(
    [](std::string& text) -> std::string {
      double value = 0.0;
      if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value) ||
          std::abs(value) > double{std::numeric_limits<float>::max()}) {
        return fmt::format("value {} is not a finite float32 number", text);
      }
      return {};
    },
    "float32");

/// Estimated peak bytes per value besides the table's own (4 for float32, 8 for float64): the
/// pooled sample's sorted copy (double, 8; F(x) is written over it), its Shapiro-Wilk
/// coefficients (4) and 8 more for the rows' results and buffers (16 were measured in all at 10^8
/// values in one row, 22 in rows of 128; docs/performance.md).
constexpr double analysis_bytes_per_value = 8.0 + 8.0 + 4.0;

/// Estimated peak bytes per value of a held table of `type`.
double held_bytes_per_value(element_type type) {
  return (type == element_type::float32 ? 4.0 : 8.0) + analysis_bytes_per_value;
}

/// Estimated peak bytes per value of streamed rows (their blocks are double).
constexpr double bytes_per_value = 8.0 + analysis_bytes_per_value;

/// Refuses a streamed check whose working set (one block of rows plus each worker's buffers for
/// one row) cannot fit: a single row too long for memory is an input error, not an endless run.
void check_streamed_memory(std::size_t rows, std::size_t dim, unsigned threads) {
  const std::size_t block_rows =
      std::clamp<std::size_t>(streamed_block_values / std::max<std::size_t>(dim, 1), std::max(1u, threads),
                              std::max<std::size_t>(rows, 1));
  const std::size_t in_flight = block_rows + threads;
  check_memory(static_cast<double>(in_flight) * static_cast<double>(dim) * bytes_per_value,
               fmt::format("streamed rows of {} values, {} in flight at a time,", dim, in_flight));
}

/// Reads a stored JSON report for --baseline; malformed files are input errors (exit 3).
nlohmann::json read_baseline(const std::string& path) {
  const std::vector<std::byte> bytes = read_file(path);
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded()) throw error(fmt::format("baseline '{}': not a JSON document", path));
  return document;
}

/// The --against gate: the table equals the .npy at `path`.
gate_result against_gate(const table& values, const std::string& path) {
  table expected;
  try {
    expected = parse_npy(read_file(path));
  } catch (const error& e) {
    throw error(fmt::format("'{}': {}", path, e.what()));
  }
  return check_against(values, expected, path);
}

int run(const options& opt) {
  run_config config;
  config.alpha = opt.alpha;
  config.method = correction_names.at(opt.correction_name);
  config.warn_below = opt.warn_below;
  std::optional<std::string> expected_digest;
  if (!opt.expect_digest.empty()) {
    expected_digest = normalise_sha256_hex(opt.expect_digest);
    if (!expected_digest) {
      throw usage_error(
          fmt::format("--expect-digest: '{}' is not a SHA-256 digest (64 hex digits)", opt.expect_digest));
    }
  }
  config.threads = opt.threads;
  config.padding_idx = opt.padding_idx;
  table values;
  std::vector<std::string> words;
  std::unique_ptr<stored_rows> stored;
  if (!opt.input.empty()) {
    config.input_path = opt.input;
    const bool raw = opt.input_format == "raw" || (opt.input_format == "auto" && !opt.dtype.empty());
    if (opt.dim && !raw) throw usage_error("--dim applies to generated tables and raw input (--dtype) only");
    if (raw && opt.dtype.empty()) throw usage_error("--input-format raw needs --dtype f32, f64, f16 or bf16");
    if (raw && !opt.dim) throw usage_error("--dim is required with raw input (--dtype)");
    input_options in;
    in.format = opt.input_format;
    in.tensor = opt.tensor;
    in.dtype = opt.dtype;
    in.dim = opt.dim.value_or(0);
    // .npy and raw files are opened here and read below, whole or row block by row block;
    // other formats are read whole now.
    stored = opt.stream ? open_streamed_rows(opt.input, in) : open_stored_rows(opt.input, in);
    if (!stored) {
      loaded_input loaded = load_input_with_words(opt.input, in);
      values = std::move(loaded.values);
      words = std::move(loaded.words);
    }
  } else {
    if (!opt.dim) throw usage_error("--dim is required (or --input FILE)");
    generate_spec spec;
    spec.rows = opt.rows;
    spec.dim = *opt.dim;
    spec.seed = parse_seed(opt.seed_text);
    spec.init = init_names.at(opt.init);
    spec.rng = rng_names.at(opt.rng);
    spec.mean = opt.mean;
    spec.std = opt.std;
    spec.low = opt.low;
    spec.high = opt.high;
    if (const auto problem = generate_spec_problem(spec, "--")) throw usage_error(*problem);
    config.generated = spec;
  }
  config.null = parse_expect(opt.expect, config.generated);
  config.expect = opt.expect;
  config.tests = parse_tests(opt.tests, config.null);
  config.axis = parse_axis(opt.axis);
  std::optional<std::size_t> padding_row;
  const std::size_t rows = config.generated ? config.generated->rows : stored ? stored->rows() : values.rows;
  if (opt.padding_idx) {
    const auto signed_rows = static_cast<std::int64_t>(rows);
    if (*opt.padding_idx < -signed_rows || *opt.padding_idx >= signed_rows) {
      throw usage_error(fmt::format("--padding-idx {} is outside [-{}, {}) for a table of {} rows",
                                    *opt.padding_idx, rows, rows, rows));
    }
    padding_row = row_at_index(*opt.padding_idx, rows);
  }
  const report_format format = format_names.at(opt.format);
  if (config.generated) config.generated->padding_row = padding_row;
  bool stream = opt.stream;
  if (config.generated || stored) {
    const std::size_t dim = config.generated ? config.generated->dim : stored->dim();
    // What a streamed check cannot do: these need the whole table or a whole report.
    std::string needs_table;
    if (config.axis.columns) needs_table = "--axis columns";
    if (format == report_format::json) needs_table = "--format json";
    if (!opt.save_table.empty()) needs_table = "--save-table";
    if (!opt.against.empty()) needs_table = "--against";
    if (!opt.baseline.empty()) needs_table = "--baseline";
    if (!opt.plot.empty()) needs_table = "--plot";
    if (config.generated && config.generated->init == init_kind::uninit) needs_table = "--init uninit";
    if (stored && !stored->row_major()) needs_table = "a Fortran-order .npy";
    if (stream && !needs_table.empty()) {
      throw usage_error(
          fmt::format("--stream cannot be combined with {}, which needs the whole table", needs_table));
    }
    if (!stream) {
      // A table that could be streamed is held only when its analysis takes at most half of
      // physical memory; one that must be held may take all of it.
      const element_type type = stored ? stored->type() : element_type::float32;
      const double bytes = static_cast<double>(rows) * static_cast<double>(dim) * held_bytes_per_value(type);
      if (needs_table.empty()) {
        stream = !fits_in_half_of_memory(bytes);
      } else {
        try {
          check_memory(bytes, fmt::format("{} x {} values", rows, dim));
        } catch (const error& e) {
          throw error(fmt::format("{}; {} needs the whole table", e.what(), needs_table));
        }
      }
    }
    if (stream) check_streamed_memory(rows, dim, opt.threads);
    if (!stream)
      values = config.generated ? generate_table(*config.generated, opt.threads) : stored->read_table();
  }
  if (format == report_format::ndjson && (!opt.baseline.empty() || !opt.plot.empty())) {
    throw usage_error(
        fmt::format("{} needs --format text or json", opt.baseline.empty() ? "--plot" : "--baseline"));
  }
  if (!opt.save_table.empty()) write_file_atomically(opt.save_table, to_npy_float32(values));
  analysis_options analysis_opts;
  analysis_opts.null = config.null;
  analysis_opts.tests = config.tests;
  analysis_opts.axis = config.axis;
  analysis_opts.padding_row = padding_row;
  analysis_opts.threads = opt.threads;
  if (stream || format == report_format::ndjson) {
    streamed_check check{config,
                         analysis_opts,
                         stream ? nullptr : &values,
                         format == report_format::ndjson,
                         opt.output,
                         expected_digest,
                         {},
                         words,
                         stream ? stored.get() : nullptr};
    if (!opt.against.empty()) check.gates.push_back(against_gate(values, opt.against));
    return run_streamed_check(check) ? exit_code::pass : exit_code::rejected;
  }
  std::optional<nlohmann::json> baseline;
  if (!opt.baseline.empty()) baseline = read_baseline(opt.baseline);
  std::vector<gate_result> gates;
  if (!opt.against.empty()) gates.push_back(against_gate(values, opt.against));
  // The SHA-256 digests (of the table, and of each row for the JSON report and a baseline) are
  // serial work: with several threads they are computed beside the analysis, in the time its jobs
  // leave a core idle.
  const bool row_digests = format == report_format::json || baseline.has_value();
  // The text report's histogram is made beside the digest, while the rows are tested, instead
  // of after the verdict (at 100000 x 128 it was 20 ms of the serial end).
  const bool histogram_beside_digest = format == report_format::text && config.axis.table;
  std::packaged_task<std::pair<table_digest, std::optional<histogram>>()> digest_task(
      [&values, &config, &padding_row, row_digests, histogram_beside_digest] {
        std::optional<histogram> h;
        if (histogram_beside_digest) h = make_pooled_histogram(values, padding_row, config.null, 1);
        return std::pair{digest_of(values, row_digests), std::move(h)};
      });
  auto digest_job = digest_task.get_future();
  std::jthread digest_thread;
  bool digest_beside = false;
  if (opt.threads > 1) {
    // A thread that cannot be started (EAGAIN under a tight ulimit) leaves the digests to this one.
    try {
      digest_thread = detail::start_thread([&digest_task] { digest_task(); });
      digest_beside = true;
    } catch (const std::system_error&) {
    }
  }
  const table_analysis analysis = analyse_table(values, analysis_opts);
  if (!digest_beside) digest_task();  // one thread: after the analysis, on this one
  const auto [digest, histogram_made] = digest_job.get();
  if (expected_digest) gates.insert(gates.begin(), check_digest(digest, *expected_digest));
  const table_judgement judgement = judge(analysis, verdict_policy{opt.alpha, config.method, opt.warn_below});
  if (baseline) {
    const check_result before_baseline{config, values, analysis, judgement, digest, gates, words};
    try {
      std::vector<gate_result> compared =
          compare_with_baseline(to_json_report(before_baseline), *baseline, opt.baseline_sigmas);
      gates.insert(gates.end(), compared.begin(), compared.end());
    } catch (const error& e) {
      throw error(fmt::format("baseline '{}': {}", opt.baseline, e.what()));
    }
  }
  const check_result result{config, values, analysis, judgement,
                            digest, gates,  words,    histogram_made ? &*histogram_made : nullptr};
  if (!opt.plot.empty()) {
    const std::string svg = format_svg_plot(result);
    write_file_atomically(opt.plot, std::as_bytes(std::span(svg)));
  }
  // Reports are handed on in pieces as they are formatted: the JSON report's 250 MB of text at
  // 100000 x 128 is never held whole, nor are the text report's lines joined first.
  write_text_output(opt.output, [&](const text_writer& sink) {
    if (format == report_format::json) {
      write_json_report(result, sink);
    } else {
      write_text_report(result, sink);
    }
  });
  return result.pass() ? exit_code::pass : exit_code::rejected;
}

}  // namespace
}  // namespace embcheck::cli

namespace {

/// Prints one error line on stderr. Control characters from the user's input (a newline in an
/// option value) are escaped so the message stays one line; a closed or full stderr is
/// ignored, never an exception (this runs inside catch handlers).
void report_error(std::string_view message, std::string_view suffix = "",
                  std::string_view prefix = "") noexcept {
  std::string line = "embcheck: ";
  try {
    line += prefix;
    for (const char c : message) {
      if (static_cast<unsigned char>(c) < 0x20) {
        line += c == '\n' ? "\\n" : "?";
      } else {
        line += c;
      }
    }
    line += suffix;
  } catch (...) {
    line = "embcheck: out of memory";
  }
  line += '\n';
  (void)std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace embcheck;
  using namespace embcheck::cli;
  install_signal_cleanup();
  install_out_of_memory_reserve();
  options opt;
  CLI::App app{
      "embcheck: checks that embedding tables hold the distribution their init claims.\n"
      "Generates PyTorch's tables bit for bit (or reads a .npy), tests every row and the pooled\n"
      "table against N(0, 1) and exits 0 (consistent), 1 (rejected), 2 (usage) or 3 (input/runtime).",
      "embcheck"};
  app.set_version_flag("--version", std::string("embcheck ") + EMBCHECK_VERSION);
  compare_command compare;
  CLI::App* compare_app = add_compare_command(app, compare);
  app.get_formatter()->column_width(34);

  CLI::App* source = &app;
  auto* rows = source->add_option("--rows", opt.rows, "Rows of the generated table")
                   ->capture_default_str()
                   ->transform(decimal_integer<std::size_t>)
                   ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  source->add_option("--dim", opt.dim, "Values per row (required unless --input; raw input needs it too)")
      ->transform(decimal_integer<std::size_t>)
      ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  auto* seed =
      source->add_option("--seed", opt.seed_text, "torch.manual_seed value (negative wraps modulo 2^64)")
          ->capture_default_str();
  auto* init = source->add_option("--init", opt.init, "normal (nn.Embedding), uniform (torch.rand) or uninit")
                   ->check(CLI::IsMember(init_names))
                   ->capture_default_str();
  auto* rng =
      source->add_option("--rng", opt.rng, "torch (AVX2 build) or torch-scalar (ATEN_CPU_CAPABILITY=default)")
          ->check(CLI::IsMember(rng_names))
          ->capture_default_str();
  auto* mean =
      source->add_option("--mean", opt.mean, "normal: mean")->capture_default_str()->check(float32_number);
  auto* std_option = source->add_option("--std", opt.std, "normal: standard deviation (>= 0)")
                         ->capture_default_str()
                         ->check(float32_number & CLI::NonNegativeNumber);
  auto* low = source->add_option("--low", opt.low, "uniform: lower bound")
                  ->capture_default_str()
                  ->check(float32_number);
  auto* high = source->add_option("--high", opt.high, "uniform: upper bound (> --low)")
                   ->capture_default_str()
                   ->check(float32_number);
  auto* input =
      source
          ->add_option(
              "--input", opt.input,
              "Check this table: .npy, .npz, safetensors, GloVe/.vec text, word2vec, raw; - is stdin")
          ->check(not_empty);
  for (auto* generated_only : {rows, seed, init, rng, mean, std_option, low, high})
    input->excludes(generated_only);
  source->add_option("--input-format", opt.input_format, "auto, npy, npz, safetensors, text, word2vec or raw")
      ->check(CLI::IsMember({"auto", "npy", "npz", "safetensors", "text", "word2vec", "raw"}))
      ->capture_default_str()
      ->needs(input);
  source->add_option("--tensor", opt.tensor, "Array of an .npz or tensor of a safetensors file")
      ->needs(input);
  source->add_option("--dtype", opt.dtype, "Element type of raw input: f32, f64, f16 or bf16")
      ->check(CLI::IsMember({"f32", "f64", "f16", "bf16"}))
      ->needs(input);
  source->add_option("--padding-idx", opt.padding_idx, "Row that holds zeros, as nn.Embedding(padding_idx=K)")
      ->transform(decimal_integer<std::int64_t>);
  source->add_flag("--stream", opt.stream,
                   "Generate (or read, for .npy and raw files) and test rows block by block, never holding "
                   "the table (automatic when it does not fit in memory)");
  source->add_option("--save-table", opt.save_table, "Also write the table as float32 .npy to this file")
      ->check(not_empty);

  CLI::App* judging = &app;
  judging
      ->add_option("--expect", opt.expect,
                   "Null distribution: normal[:MEAN,STD], uniform[:LOW,HIGH], normal:fit or init")
      ->capture_default_str();
  judging->add_option("--tests", opt.tests, "Comma-separated tests, default or all (docs/tests.md)")
      ->capture_default_str();
  judging->add_option("--axis", opt.axis, "Samples to test: rows, columns, table (comma-separated) or all")
      ->capture_default_str();
  judging->add_option("--alpha", opt.alpha, "Failure threshold for corrected p-values (family-wise for holm)")
      ->capture_default_str()
      ->check(open_unit_interval);
  judging
      ->add_option("--correction", opt.correction_name,
                   "Multiple-testing correction: holm, bonferroni, bh, none")
      ->check(CLI::IsMember(correction_names))
      ->capture_default_str();
  judging->add_option("--warn-below", opt.warn_below, "Warn (not fail) on unadjusted p-values below this")
      ->capture_default_str()
      ->check(unit_interval_from_zero);
  judging
      ->add_option("--expect-digest", opt.expect_digest,
                   "Fail unless the table's SHA-256 is this (64 hex digits)")
      ->check(not_empty);
  judging
      ->add_option("--against", opt.against,
                   "Fail unless the table equals this .npy; names the first difference")
      ->check(not_empty);
  judging->add_option("--baseline", opt.baseline, "Compare with this stored JSON report of the same check")
      ->check(not_empty);
  judging
      ->add_option("--baseline-sigmas", opt.baseline_sigmas,
                   "Statistics may move this many standard errors from the baseline")
      ->capture_default_str()
      ->check(positive_finite);
  judging->add_option("--format", opt.format, "text, json or ndjson (one JSON object per line)")
      ->check(CLI::IsMember(format_names))
      ->capture_default_str();
  judging->add_option("--plot", opt.plot, "Also draw Q-Q plots and histograms to this SVG file (atomically)")
      ->check(not_empty);
  judging->add_option("--output", opt.output, "Write the report to this file (atomically) instead of stdout")
      ->check(not_empty);
  judging->add_option("--threads", opt.threads, "Worker threads (default: all cores)")
      ->transform(decimal_integer<unsigned>)
      ->check(CLI::Range(1u, 1024u));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    report_error(e.what(), " (see --help)");
    return exit_code::usage;
  }
  try {
    if (compare_app->parsed()) return run_compare(compare);
    return run(opt);
  } catch (const usage_error& e) {
    report_error(e.what(), " (see --help)");
    return exit_code::usage;
  } catch (const error& e) {
    report_error(e.what());
    return exit_code::runtime;
  } catch (const std::bad_alloc&) {
    report_error("out of memory");
    return exit_code::runtime;
  } catch (const std::exception& e) {
    report_error(e.what(), "", "internal error: ");
    return exit_code::runtime;
  }
}
