#pragma once
/// \file npz.hpp
/// NumPy .npz archives (numpy.savez and numpy.savez_compressed): a zip of .npy members, from bytes.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "embcheck/table.hpp"

namespace embcheck {

/// The array names of an .npz image (member names without ".npy"), in archive order.
[[nodiscard]] std::vector<std::string> npz_array_names(std::span<const std::byte> bytes);

/// The array `name` of an .npz image, parsed as by parse_npy. An empty `name` selects the only
/// array; a missing name, or an empty one with several arrays, is an error listing the arrays.
[[nodiscard]] table parse_npz(std::span<const std::byte> bytes, std::string_view name);

}  // namespace embcheck
