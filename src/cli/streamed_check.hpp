#pragma once
/// \file streamed_check.hpp
/// The check whose report is written while rows are analysed: NDJSON for any table, and every
/// format of a generated table or .npy/raw file too large to hold (or with --stream).

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "embcheck/report/report.hpp"
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/statistics/streaming.hpp"

namespace embcheck::cli {

/// Values per block of rows: 4 Mi values (32 MiB of double) keeps two cores busy and memory flat.
inline constexpr std::size_t streamed_block_values = std::size_t{1} << 22;

/// Everything a streamed check needs from the command line.
struct streamed_check {
  const run_config& config;                    ///< the configuration (generated spec or input path)
  analysis_options analysis;                   ///< null, tests, axes, padding row, threads
  const table* held = nullptr;                 ///< the table when in memory; else streamed
  bool ndjson = true;                          ///< NDJSON lines (else the streamed text report)
  std::string output;                          ///< report file ("" = standard output)
  std::optional<std::string> expected_digest;  ///< --expect-digest, normalised
  std::vector<gate_result> gates;              ///< gates computed beforehand (--against)
  std::span<const std::string> words;          ///< the word of each row (word-vector inputs), else empty
  row_source* source = nullptr;                ///< rows read from a file when not held; else generated
};

/// Runs the check, writing each row's NDJSON line as soon as it is analysed; returns whether it passed.
[[nodiscard]] bool run_streamed_check(streamed_check& check);

}  // namespace embcheck::cli
