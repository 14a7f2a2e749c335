#pragma once
/// \file safetensors.hpp
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header,
/// then the tensors' raw little-endian bytes; from bytes.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embcheck/table.hpp"

namespace embcheck {

/// The tensor names of a safetensors image, sorted (without "__metadata__").
[[nodiscard]] std::vector<std::string> safetensors_names(std::span<const std::byte> bytes);

/// The tensor `name` (dtype F16, BF16, F32 or F64; 2-D as a table, 1-D as one row) of a
/// safetensors image. An empty `name` selects the only tensor; a missing name, or an empty one
/// with several tensors, is an error listing the tensors.
[[nodiscard]] table parse_safetensors(std::span<const std::byte> bytes, std::string_view name);

}  // namespace embcheck
