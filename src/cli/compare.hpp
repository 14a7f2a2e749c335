#pragma once
/// \file compare.hpp
/// The `embcheck compare A B` subcommand: two tables (files or generated configurations),
/// compared sample by sample with two-sample tests (docs/compare.md).

#include <cstddef>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace embcheck::cli {

/// The options of `embcheck compare`, as parsed.
struct compare_command {
  std::string a;                         ///< first input: a path, "-" (stdin) or "gen:KEY=VALUE,..."
  std::string b;                         ///< second input, the same forms
  std::string axis = "rows,table";       ///< samples compared: rows, columns, table, or all
  std::string tests = "ks,anderson";     ///< tests: ks, anderson (comma-separated) or all
  double alpha = 0.01;                   ///< failure threshold for adjusted p-values
  std::string correction_name = "holm";  ///< holm, bonferroni, bh or none
  double warn_below = 0.001;             ///< warning threshold for unadjusted p-values
  std::string format = "text";           ///< text, json or ndjson
  std::string output;                    ///< report file ("" = stdout)
  unsigned threads = 1;                  ///< worker threads
  std::string input_format = "auto";     ///< file inputs: the format
  std::string tensor;                    ///< file inputs: the array or tensor
  std::string dtype;                     ///< file inputs: raw element type
  std::optional<std::size_t> dim;        ///< file inputs: raw row length
};

/// Adds the `compare` subcommand to `app`, parsing into `command`; returns the subcommand.
CLI::App* add_compare_command(CLI::App& app, compare_command& command);

/// Runs a parsed `compare`: exit code 0 (same distribution not rejected) or 1 (rejected);
/// throws usage_error (exit 2) or embcheck::error (exit 3) as the main command does.
int run_compare(const compare_command& command);

}  // namespace embcheck::cli
