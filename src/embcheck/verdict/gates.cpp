// Digest and table gates. SHA-256 (FIPS 180-4) comes from OpenSSL through embcheck/digest.hpp;
// the digests match Python's hashlib over numpy's little-endian bytes of the same dtype.
#include "embcheck/verdict/gates.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <span>

#include <fmt/format.h>

#include "embcheck/digest.hpp"

namespace embcheck {
namespace {

/// A value as its source type prints it shortest (float32 values as float32).
std::string shown(double value, element_type dtype) {
  return dtype == element_type::float32 ? fmt::format("{}", static_cast<float>(value))
                                        : fmt::format("{}", value);
}

}  // namespace

table_digest digest_of(const table& values, bool with_rows) {
  table_digest digest;
  digest.dtype = values.source_type;
  sha256_stream whole(values.source_type == element_type::float64);
  if (with_rows) {
    digest.rows.reserve(values.rows);
    for (std::size_t i = 0; i < values.rows; ++i)
      digest.rows.push_back(values.visit_row(i, [&](auto row) { return whole.update_and_digest(row); }));
  } else {
    values.visit([&](auto all) { whole.update(all); });
  }
  digest.table = whole.finish();
  return digest;
}

std::optional<std::string> normalise_sha256_hex(std::string_view text) {
  if (text.size() != 64) return std::nullopt;
  std::string hex(text);
  for (char& c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return hex;
}

gate_result check_digest(const table_digest& digest, const std::string& expected) {
  gate_result gate{"digest", digest.table == expected, "", {}};
  gate.message = gate.pass
                     ? fmt::format("table sha256 {} as expected", digest.table)
                     : fmt::format("table sha256 {} differs from the expected {}", digest.table, expected);
  return gate;
}

gate_result check_against(const table& values, const table& expected, std::string_view name) {
  gate_result gate{"against", true, "", {}};
  if (values.rows != expected.rows || values.dim != expected.dim) {
    gate.pass = false;
    gate.message = fmt::format("table has {} x {} values, {} has {} x {}", values.rows, values.dim, name,
                               expected.rows, expected.dim);
    return gate;
  }
  const element_type dtype = values.source_type;
  const auto same = [dtype](double a, double b) {
    if (dtype == element_type::float32) {
      const auto fa = static_cast<float>(a);
      const auto fb = static_cast<float>(b);
      return std::memcmp(&fa, &fb, sizeof fa) == 0;
    }
    return std::memcmp(&a, &b, sizeof a) == 0;
  };
  std::size_t differing = 0;
  std::size_t first = 0;
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (!same(values.value(k), expected.value(k))) {
      if (differing == 0) first = k;
      ++differing;
    }
  }
  if (differing == 0) {
    gate.message = fmt::format("table equals {} bit for bit", name);
    return gate;
  }
  gate.pass = false;
  const std::size_t dim = std::max<std::size_t>(values.dim, 1);
  gate.message = fmt::format("{} of {} values differ from {}; first at row {}, index {}: {} (expected {})",
                             differing, values.size(), name, first / dim, first % dim,
                             shown(values.value(first), dtype), shown(expected.value(first), dtype));
  return gate;
}

}  // namespace embcheck
