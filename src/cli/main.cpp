// embcheck: the command-line front end. Parses and validates options (CLI11), reads or
// generates the table, runs the analysis and writes the report. Exit codes: docs/cli.md.
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "embcheck/error.hpp"
#include "embcheck/generate/generate.hpp"
#include "embcheck/read/npy.hpp"
#include "embcheck/report/report.hpp"
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/verdict/verdict.hpp"
#include "file_io.hpp"
#include "option_parsing.hpp"

namespace embcheck::cli {
namespace {

/// Exit codes, documented in docs/cli.md.
enum exit_code : int { pass = 0, rejected = 1, usage = 2, runtime = 3 };

const std::map<std::string, init_kind> init_names{
    {"normal", init_kind::normal}, {"uniform", init_kind::uniform}, {"uninit", init_kind::uninit}};
const std::map<std::string, rng_mode> rng_names{{"torch", rng_mode::torch},
                                                {"torch-scalar", rng_mode::torch_scalar}};
const std::map<std::string, bool> format_names{{"text", false}, {"json", true}};

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
  std::string expect = "normal";
  std::string tests = "default";
  std::string axis = "rows,table";
  std::string format = "text";
  std::string output;
  std::string input;
  std::string save_table;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
};

const CLI::Validator open_unit_interval(
    [](std::string& text) -> std::string {
      double value = 0.0;
      if (!CLI::detail::lexical_cast(text, value) || !(value > 0.0 && value < 1.0)) {
        return fmt::format("value {} not in the open interval (0, 1)", text);
      }
      return {};
    },
    "in (0, 1)");

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

/// Estimated peak bytes per value: the table and its sorted copy (double), CDF buffers and
/// Shapiro-Wilk coefficients for the pooled sample.
constexpr double bytes_per_value = 8.0 + 8.0 + 8.0 + 4.0;

/// Refuses tables that cannot fit before anything is allocated.
void check_memory(std::size_t rows, std::size_t dim) {
  const double values = static_cast<double>(rows) * static_cast<double>(dim);
  const double need = values * bytes_per_value;
  double limit =
      static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
  std::string what = "physical memory";
  for (const int resource : {RLIMIT_AS, RLIMIT_DATA}) {
    rlimit lim{};
    if (::getrlimit(resource, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
        static_cast<double>(lim.rlim_cur) < limit) {
      limit = static_cast<double>(lim.rlim_cur);
      what = resource == RLIMIT_AS ? "the address-space limit (ulimit -v)" : "the data limit (ulimit -d)";
    }
  }
  if (need > limit) {
    throw error(fmt::format("not enough memory: {} x {} values need about {:.1f} GiB, {} is {:.1f} GiB", rows,
                            dim, need / (1 << 30), what, limit / (1 << 30)));
  }
}

int run(const options& opt) {
  run_config config;
  config.alpha = opt.alpha;
  config.threads = opt.threads;
  config.padding_idx = opt.padding_idx;
  table values;
  if (!opt.input.empty()) {
    config.input_path = opt.input;
    const std::vector<std::byte> bytes = read_file(opt.input);
    try {
      values = parse_npy(bytes);
    } catch (const error& e) {
      throw error(fmt::format("'{}': {}", opt.input, e.what()));
    }
  } else {
    if (!opt.dim) throw usage_error("--dim is required (or --input FILE.npy)");
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
    if (spec.init == init_kind::uniform && !(opt.low < opt.high)) {
      throw usage_error(fmt::format("--low {} must be below --high {}", opt.low, opt.high));
    }
    if (spec.init == init_kind::uniform &&
        !std::isfinite(static_cast<float>(opt.high) - static_cast<float>(opt.low))) {
      throw usage_error(fmt::format("--high {} - --low {} overflows float32", opt.high, opt.low));
    }
    if (spec.rows > std::numeric_limits<std::size_t>::max() / spec.dim) {
      throw usage_error(fmt::format("--rows {} x --dim {} overflows", spec.rows, spec.dim));
    }
    check_memory(spec.rows, spec.dim);
    config.generated = spec;
  }
  config.null = parse_expect(opt.expect, config.generated);
  config.expect = opt.expect;
  config.tests = parse_tests(opt.tests, config.null);
  config.axis = parse_axis(opt.axis);
  std::optional<std::size_t> padding_row;
  const std::size_t rows = config.generated ? config.generated->rows : values.rows;
  if (opt.padding_idx) {
    const auto signed_rows = static_cast<std::int64_t>(rows);
    if (*opt.padding_idx < -signed_rows || *opt.padding_idx >= signed_rows) {
      throw usage_error(fmt::format("--padding-idx {} is outside [-{}, {}) for a table of {} rows",
                                    *opt.padding_idx, rows, rows, rows));
    }
    padding_row =
        static_cast<std::size_t>(*opt.padding_idx < 0 ? *opt.padding_idx + signed_rows : *opt.padding_idx);
  }
  if (config.generated) {
    config.generated->padding_row = padding_row;
    values = generate_table(*config.generated);
  }
  if (!opt.save_table.empty()) write_file_atomically(opt.save_table, to_npy_float32(values));

  analysis_options analysis_opts;
  analysis_opts.null = config.null;
  analysis_opts.tests = config.tests;
  analysis_opts.axis = config.axis;
  analysis_opts.padding_row = padding_row;
  analysis_opts.threads = opt.threads;
  const table_analysis analysis = analyse_table(values, analysis_opts);
  const table_judgement judgement = judge(analysis, opt.alpha);
  const check_result result{config, values, analysis, judgement};
  const std::string report =
      format_names.at(opt.format) ? to_json_report(result).dump(2) + "\n" : format_text_report(result);
  if (opt.output.empty()) {
    std::fwrite(report.data(), 1, report.size(), stdout);
    if (std::fflush(stdout) != 0) throw error(fmt::format("cannot write the report to standard output"));
  } else {
    write_file_atomically(opt.output, std::as_bytes(std::span(report)));
  }
  return judgement.pass ? exit_code::pass : exit_code::rejected;
}

}  // namespace
}  // namespace embcheck::cli

int main(int argc, char** argv) {
  using namespace embcheck;
  using namespace embcheck::cli;
  options opt;
  CLI::App app{
      "embcheck: checks that embedding tables hold the distribution their init claims.\n"
      "Generates PyTorch's tables bit for bit (or reads a .npy), tests every row and the pooled\n"
      "table against N(0, 1) and exits 0 (consistent), 1 (rejected), 2 (usage) or 3 (input/runtime).",
      "embcheck"};
  app.set_version_flag("--version", std::string("embcheck ") + EMBCHECK_VERSION);
  app.get_formatter()->column_width(34);

  CLI::App* source = &app;
  auto* rows = source->add_option("--rows", opt.rows, "Rows of the generated table")
                   ->capture_default_str()
                   ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  auto* dim = source->add_option("--dim", opt.dim, "Values per row (required unless --input)")
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
      source->add_option("--input", opt.input, "Check this .npy table (float32/float64, 1-D or 2-D)");
  for (auto* generated_only : {rows, dim, seed, init, rng, mean, std_option, low, high})
    input->excludes(generated_only);
  source->add_option("--padding-idx", opt.padding_idx,
                     "Row that holds zeros, as nn.Embedding(padding_idx=K)");
  source->add_option("--save-table", opt.save_table, "Also write the table as float32 .npy to this file");

  CLI::App* judging = &app;
  judging
      ->add_option("--expect", opt.expect,
                   "Null distribution: normal[:MEAN,STD], uniform[:LOW,HIGH], normal:fit or init")
      ->capture_default_str();
  judging->add_option("--tests", opt.tests, "Comma-separated tests, default or all (docs/tests.md)")
      ->capture_default_str();
  judging->add_option("--axis", opt.axis, "Samples to test: rows, columns, table (comma-separated) or all")
      ->capture_default_str();
  judging->add_option("--alpha", opt.alpha, "Family-wise error rate, Holm-corrected over all p-values")
      ->capture_default_str()
      ->check(open_unit_interval);
  judging->add_option("--format", opt.format, "text or json")
      ->check(CLI::IsMember(format_names))
      ->capture_default_str();
  judging->add_option("--output", opt.output, "Write the report to this file (atomically) instead of stdout");
  judging->add_option("--threads", opt.threads, "Worker threads (default: all cores)")
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
    fmt::print(stderr, "embcheck: {} (see --help)\n", e.what());
    return exit_code::usage;
  }
  try {
    return run(opt);
  } catch (const usage_error& e) {
    fmt::print(stderr, "embcheck: {} (see --help)\n", e.what());
    return exit_code::usage;
  } catch (const error& e) {
    fmt::print(stderr, "embcheck: {}\n", e.what());
    return exit_code::runtime;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "embcheck: out of memory\n");
    return exit_code::runtime;
  } catch (const std::exception& e) {
    fmt::print(stderr, "embcheck: internal error: {}\n", e.what());
    return exit_code::runtime;
  }
}
