// libFuzzer target for embcheck::parse_npy (src/embcheck/read/npy.hpp).
// Contract checked: on any byte string, parse_npy either throws embcheck::error or returns a
// table whose value count is rows * dim; a float32 table survives to_npy_float32 and a second
// parse bit for bit. Anything else (another exception, a sanitizer report, an allocation beyond
// libFuzzer's -malloc_limit_mb) is a finding.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "embcheck/error.hpp"
#include "embcheck/read/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  embcheck::table parsed;
  try {
    parsed = embcheck::parse_npy(bytes);
  } catch (const embcheck::error&) {
    return 0;
  }
  if (parsed.rows == 0 || parsed.dim == 0 || parsed.held() != parsed.rows * parsed.dim) std::abort();
  if (parsed.source_type == embcheck::element_type::float32) {
    const embcheck::table again = embcheck::parse_npy(embcheck::to_npy_float32(parsed));
    if (again.rows != parsed.rows || again.dim != parsed.dim ||
        std::memcmp(again.floats.data(), parsed.floats.data(), parsed.floats.size() * sizeof(float)) != 0)
      std::abort();
  }
  return 0;
}
