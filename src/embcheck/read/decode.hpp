#pragma once
/// \file decode.hpp
/// Little-endian floating-point element types as files store them, and their conversion to double.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "embcheck/table.hpp"

namespace embcheck {

/// An element type as a file stores it (all are converted to double exactly).
enum class stored_type { float16, bfloat16, float32, float64 };

/// Bytes per element of `type`.
[[nodiscard]] std::size_t size_of(stored_type type) noexcept;

/// NumPy-style name of `type` ("float16", "bfloat16", "float32", "float64").
[[nodiscard]] std::string_view to_string(stored_type type) noexcept;

/// The stored type named `name` ("f16", "bf16", "f32", "f64", or the NumPy-style names), if any.
[[nodiscard]] std::optional<stored_type> stored_type_from_name(std::string_view name) noexcept;

/// The table element_type recorded for `type`: float16 and bfloat16 are subsets of float32.
[[nodiscard]] element_type table_type(stored_type type) noexcept;

/// The value of IEEE 754 binary16 bits.
[[nodiscard]] double half_to_double(std::uint16_t bits) noexcept;

/// The value of bfloat16 bits (the high half of a float32).
[[nodiscard]] double bfloat16_to_double(std::uint16_t bits) noexcept;

/// Converts `count` little-endian elements of `type` at `in` to doubles at `out`.
void decode_little_endian(const std::byte* in, std::size_t count, stored_type type, double* out);
/// The same to floats, for every type but float64 (float16, bfloat16 and float32 values are floats).
void decode_little_endian(const std::byte* in, std::size_t count, stored_type type, float* out);

/// Where the values of a table lie in a file of fixed-size little-endian elements.
struct stored_layout {
  std::size_t data_offset = 0;              ///< byte offset of the first value
  std::size_t rows = 0;                     ///< rows of the table
  std::size_t dim = 0;                      ///< values per row
  stored_type type = stored_type::float32;  ///< element type
  bool column_major = false;                ///< stored column after column (Fortran order)

  /// Bytes of the data: rows * dim elements.
  [[nodiscard]] std::size_t data_size() const noexcept { return rows * dim * size_of(type); }
};

/// The layout of raw elements of `type`, `dim` per row, filling a file of `size` bytes; throws
/// embcheck::error for an empty file or a partial value or row, naming its offset.
[[nodiscard]] stored_layout raw_layout(std::uint64_t size, stored_type type, std::size_t dim);

/// Converts the stored values with flat indices [first, first + count) of `layout` (in storage
/// order, so column after column when column_major) from `in` into `values`, the row-major table.
void decode_stored(const stored_layout& layout, std::size_t first, std::size_t count, const std::byte* in,
                   std::span<double> values);
/// decode_stored into a float32 table (every layout type but float64).
void decode_stored(const stored_layout& layout, std::size_t first, std::size_t count, const std::byte* in,
                   std::span<float> values);

/// The table `layout` describes, decoded from `file` (the whole file, header included).
[[nodiscard]] table decode_table(const stored_layout& layout, std::span<const std::byte> file);

/// A table of raw little-endian elements of `type`, `dim` per row, filling all of `bytes`.
[[nodiscard]] table parse_raw(std::span<const std::byte> bytes, stored_type type, std::size_t dim);

/// `text` for an error message: printable ASCII kept, other bytes as \\xNN, cut after `limit` characters.
[[nodiscard]] std::string printable_name(std::string_view text, std::size_t limit = 64);

}  // namespace embcheck
