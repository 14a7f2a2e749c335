#pragma once
/// \file option_parsing.hpp
/// Parsers for the option values CLI11 cannot validate alone; each throws usage_error with a
/// one-line message naming the option.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/generate/generate.hpp"
#include "embcheck/statistics/analysis.hpp"

namespace embcheck::cli {

/// A bad option value or combination; exit code 2.
class usage_error : public error {
 public:
  using error::error;
};

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
