#pragma once
/// \file npy.hpp
/// NumPy .npy format version 1.0-3.0, from and to bytes (the CLI does the file I/O).
///
/// Accepted by parse_npy: versions 1.0, 2.0 and 3.0; descr '<f2', '<f4' or '<f8' (also spelled
/// with '=' or '|' or no byte-order mark, or as 'e', 'f', 'd', 'float16', 'float32', 'float64',
/// which NumPy reads as native order and so as little-endian on a little-endian host);
/// fortran_order False or True (column-major data is transposed to rows); shape (n,)
/// (one row of n) or (rows, dim), all dimensions positive. The image must end exactly where the
/// data ends: trailing bytes after the data are an error (numpy.load would silently ignore them;
/// here they mean the file is not what its header says). Python 2 'L' suffixes on the shape's
/// integers are accepted in versions 1.0 and 2.0, as numpy does.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "embcheck/read/decode.hpp"
#include "embcheck/table.hpp"

namespace embcheck {

/// The offset where the data of a .npy file of `file_size` bytes starts, from a prefix of it that
/// holds at least the magic, version and header length (12 bytes, or the whole file if shorter).
/// Throws embcheck::error for a bad magic or version or a header longer than the file.
[[nodiscard]] std::size_t npy_header_end(std::span<const std::byte> prefix, std::uint64_t file_size);

/// The layout of a .npy file of `file_size` bytes from a prefix that holds its whole header (up
/// to npy_header_end); checks everything parse_npy checks except the data itself.
[[nodiscard]] stored_layout parse_npy_header(std::span<const std::byte> prefix, std::uint64_t file_size);

/// Parses a .npy image: little-endian float16, float32 or float64, C or Fortran order, 1-D (one
/// row) or 2-D. float16 sources are recorded as element_type::float32 (which holds them exactly).
/// Throws embcheck::error naming the problem and, where it helps, the byte offset.
[[nodiscard]] table parse_npy(std::span<const std::byte> bytes);

/// The .npy image (format 1.0, '<f4', C order, shape (rows, dim)) of a table, values rounded to float32.
/// The header is laid out byte for byte as numpy.save (NumPy 1.24) lays it out.
[[nodiscard]] std::vector<std::byte> to_npy_float32(const table& values);

}  // namespace embcheck
