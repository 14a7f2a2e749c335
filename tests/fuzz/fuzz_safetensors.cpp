// libFuzzer target for the safetensors reader (src/embcheck/read/safetensors.hpp):
// safetensors_names and parse_safetensors, by default and by each tensor's name.
// Contract checked: on any byte string each call either throws embcheck::error or returns; a
// parsed table has rows, dim > 0 and rows * dim values; the default tensor exists exactly when
// the header names one tensor. Anything else (nlohmann::json's exceptions escaping, a sanitizer
// report, an allocation beyond libFuzzer's -malloc_limit_mb) is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/read/safetensors.hpp"

namespace {

void check(const embcheck::table& parsed) {
  if (parsed.rows == 0 || parsed.dim == 0 || parsed.values.size() != parsed.rows * parsed.dim) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  std::vector<std::string> names;
  try {
    names = embcheck::safetensors_names(bytes);
  } catch (const embcheck::error&) {
    try {
      static_cast<void>(embcheck::parse_safetensors(bytes, ""));
    } catch (const embcheck::error&) {
      return 0;
    }
    std::abort();
  }
  try {
    check(embcheck::parse_safetensors(bytes, ""));
    if (names.size() != 1) std::abort();
  } catch (const embcheck::error&) {
  }
  for (std::size_t i = 0; i < names.size() && i < 4; ++i) {
    try {
      check(embcheck::parse_safetensors(bytes, names[i]));
    } catch (const embcheck::error&) {
    }
  }
  return 0;
}
