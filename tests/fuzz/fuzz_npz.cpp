// libFuzzer target for the .npz reader (src/embcheck/read/npz.hpp): npz_array_names and
// parse_npz, by default and by each member's name, with the contract of named_container.hpp.
// Anything else (another exception, a sanitizer report, an allocation beyond libFuzzer's
// -malloc_limit_mb) is a finding.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "embcheck/read/npz.hpp"
#include "named_container.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  fuzz_named_container(
      bytes, [](std::span<const std::byte> b) { return embcheck::npz_array_names(b); },
      [](std::span<const std::byte> b, const std::string& name) { return embcheck::parse_npz(b, name); });
  return 0;
}
