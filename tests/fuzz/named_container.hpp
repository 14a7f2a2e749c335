#pragma once
// The contract of a reader of containers of named tables (.npz archives, safetensors files),
// shared by their libFuzzer targets: on any byte string each call either throws
// embcheck::error or returns; a parsed table has rows, dim > 0 and rows * dim values; parsing
// without a name fails whenever listing the names fails, and succeeds only when exactly one
// name is listed; each listed name parses or throws embcheck::error. A violation aborts.

#include <cstddef>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/table.hpp"

/// Aborts unless `parsed` is a non-empty table of rows * dim values.
inline void check_table(const embcheck::table& parsed) {
  if (parsed.rows == 0 || parsed.dim == 0 || parsed.held() != parsed.rows * parsed.dim) std::abort();
}

/// Checks the contract above for `names_of(bytes)` and `parse(bytes, name)` ("" = the only table).
template <class NamesOf, class Parse>
void fuzz_named_container(std::span<const std::byte> bytes, const NamesOf& names_of, const Parse& parse) {
  std::vector<std::string> names;
  try {
    names = names_of(bytes);
  } catch (const embcheck::error&) {
    // The container's directory is broken: parsing must fail the same way.
    try {
      static_cast<void>(parse(bytes, ""));
    } catch (const embcheck::error&) {
      return;
    }
    std::abort();
  }
  try {
    check_table(parse(bytes, ""));
    if (names.size() != 1) std::abort();
  } catch (const embcheck::error&) {
  }
  // Each named table (a few: a fuzzed directory may list thousands); "" was parsed above.
  for (std::size_t i = 0; i < names.size() && i < 4; ++i) {
    if (names[i].empty()) continue;
    try {
      check_table(parse(bytes, names[i]));
    } catch (const embcheck::error&) {
    }
  }
}
