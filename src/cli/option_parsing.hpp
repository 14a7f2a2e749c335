#pragma once
/// \file option_parsing.hpp
/// Parsers for the option values CLI11 cannot validate alone; each throws usage_error with a
/// one-line message naming the option.

#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "embcheck/error.hpp"
#include "embcheck/generate/generate.hpp"
#include "embcheck/statistics/analysis.hpp"
#include "embcheck/verdict/verdict.hpp"

namespace embcheck::cli {

/// A bad option value or combination; exit code 2.
class usage_error : public error {
 public:
  using error::error;
};

/// --init names.
extern const std::map<std::string, init_kind> init_names;

/// --rng names.
extern const std::map<std::string, rng_mode> rng_names;

/// --correction names.
extern const std::map<std::string, correction> correction_names;

/// A number in the open interval (0, 1) (--alpha).
extern const CLI::Validator open_unit_interval;

/// A number in [0, 1) (--warn-below).
extern const CLI::Validator unit_interval_from_zero;

/// A finite number above zero (--baseline-sigmas): CLI11's PositiveNumber lets NaN and infinity
/// through.
extern const CLI::Validator positive_finite;

/// A file name or digest must not be empty: an unset shell variable would silently drop the check.
extern const CLI::Validator not_empty;

/// A decimal integer that fits T exactly. CLI11 2.1 converts integers with strtoull/strtoll in
/// base 0 (so 010 is 8 and 0x10 is 16), clamps values beyond the type to its limits and wraps
/// "-1" to the largest unsigned value; this check refuses all of that and rewrites the text
/// without leading zeros so that CLI11's conversion reads the decimal number checked here
/// (added with transform(): CLI11 runs it first, and check() would discard the rewrite).
template <typename T>
inline const CLI::Validator decimal_integer(
    [](std::string& text) -> std::string {
      T value{};
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
        return fmt::format("'{}' is not a decimal integer from {} to {}", text, std::numeric_limits<T>::min(),
                           std::numeric_limits<T>::max());
      }
      text = fmt::format("{}", value);
      return {};
    },
    "");

/// `text` split at each `separator` (empty parts kept).
[[nodiscard]] std::vector<std::string> split(const std::string& text, char separator);

/// What is wrong with a generated table's parameters (low >= high, a float32 overflow of
/// high - low, rows x dim overflowing size_t), naming them as `prefix` + "low" etc., if anything.
[[nodiscard]] std::optional<std::string> generate_spec_problem(const generate_spec& spec,
                                                               std::string_view prefix);

/// --seed: an integer in [-2^63, 2^64 - 1], kept modulo 2^64 as torch.manual_seed does.
[[nodiscard]] std::uint64_t parse_seed(const std::string& text);

/// --expect: normal[:MEAN,STD], uniform[:LOW,HIGH], normal:fit, or init (what `generated` claims).
[[nodiscard]] null_hypothesis parse_expect(const std::string& text,
                                           const std::optional<generate_spec>& generated);

/// --tests: comma-separated test names, "default" or "all"; every test must apply to `null`.
[[nodiscard]] std::vector<test_kind> parse_tests(const std::string& text, const null_hypothesis& null);

/// --axis: comma-separated rows, columns, table, or all.
[[nodiscard]] axes parse_axis(const std::string& text);

}  // namespace embcheck::cli
