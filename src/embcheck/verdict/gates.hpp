#pragma once
/// \file gates.hpp
/// Regression gates beside the statistical verdict: the table's bytes against an expected
/// SHA-256 digest or an expected table.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "embcheck/table.hpp"

namespace embcheck {

/// One gate's outcome, as the report lists it.
struct gate_result {
  std::string name;                  ///< e.g. "digest", "against", "baseline-statistics"
  bool pass = true;                  ///< the gate passed
  std::string message;               ///< one line: what was compared and the outcome
  std::vector<std::string> details;  ///< each difference found, one line each
};

/// SHA-256 digests of a table in its source type's little-endian bytes.
struct table_digest {
  element_type dtype = element_type::float32;  ///< the bytes hashed: float32 or float64 values
  std::string table;                           ///< hex digest of all values, row after row
  std::vector<std::string> rows;               ///< hex digest of each row (empty when not asked for)
};

/// The digests of `values`: float32 tables as numpy's `hashlib.sha256(a.astype('<f4').tobytes())`,
/// float64 tables of their float64 bytes; each row's too when `with_rows` (the JSON report
/// lists them; without them every value is hashed once instead of twice).
[[nodiscard]] table_digest digest_of(const table& values, bool with_rows = true);

/// `text` in lower case when it is 64 hexadecimal digits, else nullopt.
[[nodiscard]] std::optional<std::string> normalise_sha256_hex(std::string_view text);

/// The "digest" gate: the table's digest equals `expected` (lower-case hex).
[[nodiscard]] gate_result check_digest(const table_digest& digest, const std::string& expected);

/// The "against" gate: `values` equal `expected` value for value in the table's source type;
/// names the first differing row and index with both values.
[[nodiscard]] gate_result check_against(const table& values, const table& expected, std::string_view name);

}  // namespace embcheck
