// `embcheck compare A B`: reads or generates two tables, compares them sample by sample
// (embcheck/statistics/comparison.hpp) and writes the report. Options, the gen: syntax and exit
// codes: docs/compare.md. The small validators of the main command are repeated here so that
// main.cpp keeps its own.
#include "compare.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "embcheck/error.hpp"
#include "embcheck/generate/generate.hpp"
#include "embcheck/report/comparison_report.hpp"
#include "embcheck/statistics/comparison.hpp"
#include "embcheck/verdict/verdict.hpp"
#include "file_io.hpp"
#include "input.hpp"
#include "option_parsing.hpp"
#include "out_of_memory.hpp"

namespace embcheck::cli {
namespace {

constexpr const char* gen_keys = "rows, dim, seed, init, rng, mean, std, low, high";

bool is_gen_spec(const std::string& input) { return input.rfind("gen:", 0) == 0; }

/// A gen: specification `KEY=VALUE,...` with the main command's defaults; usage_error naming the key.
generate_spec parse_gen_spec(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return usage_error(fmt::format("gen spec '{}': {}", text, why));
  };
  const std::string body = text.substr(4);
  if (body.empty()) throw bad(fmt::format("needs at least dim=D (keys: {})", gen_keys));
  std::map<std::string, std::string> values;
  for (const std::string& item : split(body, ',')) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos) throw bad(fmt::format("'{}' is not KEY=VALUE (keys: {})", item, gen_keys));
    const std::string key = item.substr(0, eq);
    const std::string value = item.substr(eq + 1);
    static const std::set<std::string> known = {"rows", "dim", "seed", "init", "rng",
                                                "mean", "std", "low",  "high"};
    if (known.count(key) == 0) throw bad(fmt::format("unknown key '{}' (keys: {})", key, gen_keys));
    if (values.count(key) != 0) throw bad(fmt::format("key '{}' given twice", key));
    if (value.empty()) throw bad(fmt::format("key '{}' has no value", key));
    values[key] = value;
  }
  const auto size = [&](const std::string& key, std::size_t fallback) {
    const auto it = values.find(key);
    if (it == values.end()) return fallback;
    std::size_t v = 0;
    const auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec != std::errc() || end != it->second.data() + it->second.size() || v == 0) {
      throw bad(fmt::format("{}: '{}' is not an integer >= 1", key, it->second));
    }
    return v;
  };
  const auto float32_value = [&](const std::string& key, double fallback) {
    const auto it = values.find(key);
    if (it == values.end()) return fallback;
    double v = 0.0;
    const auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec != std::errc() || end != it->second.data() + it->second.size() || !std::isfinite(v) ||
        std::abs(v) > double{std::numeric_limits<float>::max()}) {
      throw bad(fmt::format("{}: '{}' is not a finite float32 number", key, it->second));
    }
    return v;
  };
  const auto member = [&]<typename T>(const std::string& key, const std::map<std::string, T>& names,
                                      const std::string& fallback) {
    const auto it = values.find(key);
    const std::string& name = it == values.end() ? fallback : it->second;
    const auto found = names.find(name);
    if (found == names.end()) {
      std::vector<std::string> allowed;
      for (const auto& entry : names) allowed.push_back(entry.first);
      throw bad(fmt::format("{}: '{}' not in {{{}}}", key, name, fmt::join(allowed, ",")));
    }
    return found->second;
  };

  if (values.count("dim") == 0) throw bad("dim is required");
  generate_spec spec;
  spec.rows = size("rows", 5);
  spec.dim = size("dim", 1);
  if (values.count("seed") != 0) {
    try {
      spec.seed = parse_seed(values["seed"]);
    } catch (const usage_error&) {
      throw bad(fmt::format("seed: '{}' is not an integer in [-2^63, 2^64 - 1]", values["seed"]));
    }
  }
  spec.init = member("init", init_names, "normal");
  spec.rng = member("rng", rng_names, "torch");
  spec.mean = float32_value("mean", 0.0);
  spec.std = float32_value("std", 1.0);
  spec.low = float32_value("low", 0.0);
  spec.high = float32_value("high", 1.0);
  if (spec.std < 0.0) throw bad(fmt::format("std: '{}' is negative", values["std"]));
  for (const char* key : {"mean", "std"}) {
    if (values.count(key) != 0 && spec.init != init_kind::normal)
      throw bad(fmt::format("{} applies to init=normal", key));
  }
  for (const char* key : {"low", "high"}) {
    if (values.count(key) != 0 && spec.init != init_kind::uniform)
      throw bad(fmt::format("{} applies to init=uniform", key));
  }
  if (const auto problem = generate_spec_problem(spec, "")) throw bad(*problem);
  return spec;
}

std::vector<comparison_test_kind> parse_comparison_tests(const std::string& text) {
  std::set<comparison_test_kind> chosen;
  for (const std::string& name : split(text, ',')) {
    if (name == "all") {
      chosen.insert(std::begin(all_comparison_tests), std::end(all_comparison_tests));
      continue;
    }
    const auto kind = parse_comparison_test(name);
    if (!kind)
      throw usage_error(
          fmt::format("--tests: '{}' is not a comparison test; known: ks, anderson, all", name));
    chosen.insert(*kind);
  }
  std::vector<comparison_test_kind> tests;
  for (const comparison_test_kind kind : all_comparison_tests)
    if (chosen.count(kind) != 0) tests.push_back(kind);
  return tests;
}

/// Estimated peak bytes per value: both tables (at most 8 bytes a value) and the sorted copies of the
/// pooled samples, with room to spare.
constexpr double bytes_per_value = 8.0 + 8.0 + 8.0;

}  // namespace

CLI::App* add_compare_command(CLI::App& app, compare_command& command) {
  command.threads = std::max(1u, std::thread::hardware_concurrency());
  CLI::App* sub = app.add_subcommand(
      "compare",
      "Compare two tables (files or gen:KEY=VALUE,... configurations) sample by sample with two-sample KS "
      "and\n"
      "Anderson-Darling tests; exits 0 (same distribution not rejected), 1 (rejected), 2 (usage), 3 (input)");
  sub->add_option("A", command.a,
                  "First table: a file (.npy, .npz, safetensors, text, word2vec, raw), - or gen:...")
      ->required();
  sub->add_option("B", command.b, "Second table, the same forms")->required();
  sub->add_option("--axis", command.axis, "Samples to compare: rows, columns, table (comma-separated) or all")
      ->capture_default_str();
  sub->add_option("--tests", command.tests, "Comma-separated: ks, anderson, or all")->capture_default_str();
  sub->add_option("--alpha", command.alpha, "Failure threshold for corrected p-values")
      ->capture_default_str()
      ->check(open_unit_interval);
  sub->add_option("--correction", command.correction_name,
                  "Multiple-testing correction: holm, bonferroni, bh, none")
      ->check(CLI::IsMember(correction_names))
      ->capture_default_str();
  sub->add_option("--warn-below", command.warn_below, "Warn (not fail) on unadjusted p-values below this")
      ->capture_default_str()
      ->check(unit_interval_from_zero);
  sub->add_option("--format", command.format, "text, json or ndjson (one JSON object per line)")
      ->check(CLI::IsMember({"text", "json", "ndjson"}))
      ->capture_default_str();
  sub->add_option("--output", command.output, "Write the report to this file (atomically) instead of stdout");
  sub->add_option("--threads", command.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  sub->add_option("--input-format", command.input_format,
                  "File inputs: auto, npy, npz, safetensors, text, word2vec or raw")
      ->check(CLI::IsMember({"auto", "npy", "npz", "safetensors", "text", "word2vec", "raw"}))
      ->capture_default_str();
  sub->add_option("--tensor", command.tensor,
                  "File inputs: array of an .npz or tensor of a safetensors file");
  sub->add_option("--dtype", command.dtype, "File inputs: element type of raw input: f32, f64, f16 or bf16")
      ->check(CLI::IsMember({"f32", "f64", "f16", "bf16"}));
  sub->add_option("--dim", command.dim, "File inputs: values per row of raw input")
      ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  // Options of the main command given before `compare` would be silently ignored: refuse them.
  sub->parse_complete_callback([&app] {
    for (const CLI::Option* option : app.get_options()) {
      if (option->count() > 0 && option != app.get_help_ptr() && option != app.get_help_all_ptr()) {
        throw CLI::ValidationError(option->get_name(),
                                   "belongs to the main command, not to compare; the options of "
                                   "compare go after 'compare'");
      }
    }
  });
  return sub;
}

int run_compare(const compare_command& command) {
  comparison_config config;
  config.tests = parse_comparison_tests(command.tests);
  config.axis = parse_axis(command.axis);
  config.alpha = command.alpha;
  config.method = correction_names.at(command.correction_name);
  config.warn_below = command.warn_below;
  config.threads = command.threads;
  if (command.a == "-" && command.b == "-")
    throw usage_error("compare: only one of A and B can be standard input (-)");

  const bool raw =
      command.input_format == "raw" || (command.input_format == "auto" && !command.dtype.empty());
  const bool any_file = !is_gen_spec(command.a) || !is_gen_spec(command.b);
  if (!any_file) {
    const char* file_option = command.input_format != "auto" ? "--input-format"
                              : !command.tensor.empty()      ? "--tensor"
                              : !command.dtype.empty()       ? "--dtype"
                              : command.dim                  ? "--dim"
                                                             : nullptr;
    if (file_option != nullptr) {
      throw usage_error(
          fmt::format("{} applies to file inputs, and A and B are both gen: specs", file_option));
    }
  }
  if (command.dim && !raw)
    throw usage_error("--dim applies to raw file input (--dtype) only; gen: specs take dim=D");
  if (raw && command.dtype.empty())
    throw usage_error("--input-format raw needs --dtype f32, f64, f16 or bf16");
  if (raw && !command.dim) throw usage_error("--dim is required with raw input (--dtype)");

  comparison_input* inputs[2] = {&config.a, &config.b};
  const std::string* texts[2] = {&command.a, &command.b};
  for (std::size_t k = 0; k < 2; ++k) {
    inputs[k]->spec = *texts[k];
    if (is_gen_spec(*texts[k])) {
      inputs[k]->generated = parse_gen_spec(*texts[k]);
    } else {
      inputs[k]->path = *texts[k];
      inputs[k]->tensor = command.tensor;
    }
  }
  table tables[2];
  double values = 0.0;
  for (std::size_t k = 0; k < 2; ++k) {
    if (!inputs[k]->path) continue;
    input_options in;
    in.format = command.input_format;
    in.tensor = command.tensor;
    in.dtype = command.dtype;
    in.dim = command.dim.value_or(0);
    loaded_input loaded = load_input_with_words(*inputs[k]->path, in);
    tables[k] = std::move(loaded.values);
    inputs[k]->format = loaded.format;
    values += static_cast<double>(tables[k].size());
  }
  for (std::size_t k = 0; k < 2; ++k) {
    if (inputs[k]->generated) {
      values +=
          static_cast<double>(inputs[k]->generated->rows) * static_cast<double>(inputs[k]->generated->dim);
    }
  }
  check_memory(values * bytes_per_value, fmt::format("the two tables hold {:.0f} values and", values));
  for (std::size_t k = 0; k < 2; ++k)
    if (inputs[k]->generated) tables[k] = generate_table(*inputs[k]->generated, command.threads);

  comparison_options options;
  options.tests = config.tests;
  options.axis = config.axis;
  options.threads = command.threads;
  const table_comparison comparison = compare_tables(tables[0], tables[1], options);
  const table_judgement judgement =
      judge_comparison(comparison, verdict_policy{command.alpha, config.method, command.warn_below});
  const comparison_result result{config, tables[0], tables[1], comparison, judgement};
  std::string report;
  if (command.format == "json") {
    report = to_comparison_json(result).dump(2) + "\n";
  } else if (command.format == "ndjson") {
    report = format_comparison_ndjson(result);
  } else {
    report = format_comparison_text(result);
  }
  if (command.output.empty()) {
    write_stdout(report);
  } else {
    write_file_atomically(command.output, std::as_bytes(std::span(report)));
  }
  return judgement.pass ? 0 : 1;
}

}  // namespace embcheck::cli
