// libFuzzer target for the safetensors reader (src/embcheck/read/safetensors.hpp):
// safetensors_names and parse_safetensors, by default and by each tensor's name, with the
// contract of named_container.hpp. Anything else (nlohmann::json's exceptions escaping, a
// sanitizer report, an allocation beyond libFuzzer's -malloc_limit_mb) is a finding.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "embcheck/read/safetensors.hpp"
#include "named_container.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  fuzz_named_container(
      bytes, [](std::span<const std::byte> b) { return embcheck::safetensors_names(b); },
      [](std::span<const std::byte> b, const std::string& name) {
        return embcheck::parse_safetensors(b, name);
      });
  return 0;
}
