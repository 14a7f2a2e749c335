// libFuzzer target for the .npz reader (src/embcheck/read/npz.hpp): npz_array_names and
// parse_npz, by default and by each member's name.
// Contract checked: on any byte string each call either throws embcheck::error or returns; a
// parsed table has rows, dim > 0 and rows * dim values; the default array exists exactly when
// the archive names one array. Anything else (another exception, a sanitizer report, an
// allocation beyond libFuzzer's -malloc_limit_mb) is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/read/npz.hpp"

namespace {

void check(const embcheck::table& parsed) {
  if (parsed.rows == 0 || parsed.dim == 0 || parsed.values.size() != parsed.rows * parsed.dim) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  std::vector<std::string> names;
  try {
    names = embcheck::npz_array_names(bytes);
  } catch (const embcheck::error&) {
    // The archive's directory is broken: parsing must fail the same way.
    try {
      static_cast<void>(embcheck::parse_npz(bytes, ""));
    } catch (const embcheck::error&) {
      return 0;
    }
    std::abort();
  }
  try {
    check(embcheck::parse_npz(bytes, ""));
    if (names.size() != 1) std::abort();
  } catch (const embcheck::error&) {
  }
  // Each named member (a few: a fuzzed directory may list thousands).
  for (std::size_t i = 0; i < names.size() && i < 4; ++i) {
    if (names[i].empty()) continue;
    try {
      check(embcheck::parse_npz(bytes, names[i]));
    } catch (const embcheck::error&) {
    }
  }
  return 0;
}
