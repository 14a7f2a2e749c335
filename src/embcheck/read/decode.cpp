// Conversion of stored little-endian floating-point elements to double.
//
// Source: IEEE 754-2008 binary16 (1 sign, 5 exponent, 10 fraction bits, bias 15) and the bfloat16
// format of Google Brain (the upper 16 bits of a binary32), as NumPy's npy_half_to_double and
// PyTorch's c10::BFloat16 convert them. Every value of these formats is a double exactly, so the
// conversion is exact; binary16 goes through a 65536-entry table built once.

#include "embcheck/read/decode.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>

#include <fmt/format.h>

#include "embcheck/error.hpp"

namespace embcheck {

namespace {

std::uint64_t load_le(const std::byte* p, std::size_t n) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  return v;
}

double half_value(std::uint16_t bits) noexcept {
  const bool negative = (bits & 0x8000U) != 0;
  const unsigned exponent = (bits >> 10) & 0x1fU;
  const unsigned fraction = bits & 0x3ffU;
  double magnitude = 0.0;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<double>(fraction), -24);
  } else if (exponent == 31) {
    magnitude =
        fraction == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  } else {
    magnitude = std::ldexp(static_cast<double>(fraction + 1024U), static_cast<int>(exponent) - 25);
  }
  return negative ? -magnitude : magnitude;
}

const std::array<double, 65536>& half_table() {
  static const std::unique_ptr<std::array<double, 65536>> values = [] {
    auto out = std::make_unique<std::array<double, 65536>>();
    for (std::size_t i = 0; i < out->size(); ++i) (*out)[i] = half_value(static_cast<std::uint16_t>(i));
    return out;
  }();
  return *values;
}

}  // namespace

std::size_t size_of(stored_type type) noexcept {
  switch (type) {
    case stored_type::float16:
    case stored_type::bfloat16: return 2;
    case stored_type::float32: return 4;
    case stored_type::float64: return 8;
  }
  return 8;
}

std::string_view to_string(stored_type type) noexcept {
  switch (type) {
    case stored_type::float16: return "float16";
    case stored_type::bfloat16: return "bfloat16";
    case stored_type::float32: return "float32";
    case stored_type::float64: return "float64";
  }
  return "float64";
}

std::optional<stored_type> stored_type_from_name(std::string_view name) noexcept {
  if (name == "f16" || name == "float16") return stored_type::float16;
  if (name == "bf16" || name == "bfloat16") return stored_type::bfloat16;
  if (name == "f32" || name == "float32") return stored_type::float32;
  if (name == "f64" || name == "float64") return stored_type::float64;
  return std::nullopt;
}

element_type table_type(stored_type type) noexcept {
  return type == stored_type::float64 ? element_type::float64 : element_type::float32;
}

double half_to_double(std::uint16_t bits) noexcept { return half_value(bits); }

double bfloat16_to_double(std::uint16_t bits) noexcept {
  return static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16));
}

namespace {

// T is double, or float for every stored type but float64 (whose values a float may not hold).
template <class T>
void decode_into(const std::byte* in, std::size_t count, stored_type type, T* out) {
  switch (type) {
    case stored_type::float16: {
      const auto& lookup = half_table();
      for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<T>(lookup[load_le(in + 2 * i, 2)]);
      return;
    }
    case stored_type::bfloat16:
      for (std::size_t i = 0; i < count; ++i) {
        out[i] = static_cast<T>(bfloat16_to_double(static_cast<std::uint16_t>(load_le(in + 2 * i, 2))));
      }
      return;
    case stored_type::float32: {
      if constexpr (std::is_same_v<T, float> && std::endian::native == std::endian::little) {
        std::memcpy(out, in, count * 4);
        return;
      }
      // Blocks through an aligned buffer so that the conversion loop vectorises.
      constexpr std::size_t block = 2048;
      std::array<std::uint32_t, block> buffer;
      for (std::size_t done = 0; done < count; done += block) {
        const std::size_t n = std::min(block, count - done);
        if constexpr (std::endian::native == std::endian::little) {
          std::memcpy(buffer.data(), in + done * 4, n * 4);
        } else {
          for (std::size_t i = 0; i < n; ++i)
            buffer[i] = static_cast<std::uint32_t>(load_le(in + (done + i) * 4, 4));
        }
        for (std::size_t i = 0; i < n; ++i) out[done + i] = static_cast<T>(std::bit_cast<float>(buffer[i]));
      }
      return;
    }
    case stored_type::float64:
      if constexpr (std::is_same_v<T, double> && std::endian::native == std::endian::little) {
        std::memcpy(out, in, count * 8);
      } else {
        for (std::size_t i = 0; i < count; ++i)
          out[i] = static_cast<T>(std::bit_cast<double>(load_le(in + 8 * i, 8)));
      }
      return;
  }
}

template <class T>
void decode_stored_into(const stored_layout& layout, std::size_t first, std::size_t count,
                        const std::byte* in, std::span<T> values) {
  if (!layout.column_major) {
    decode_into(in, count, layout.type, values.data() + first);
    return;
  }
  // Column-major: flat index f is row f % rows of column f / rows; convert through a buffer and
  // scatter into the row-major table.
  constexpr std::size_t block = 4096;
  std::array<T, block> buffer;
  const std::size_t item = size_of(layout.type);
  for (std::size_t done = 0; done < count; done += block) {
    const std::size_t n = std::min(block, count - done);
    decode_into(in + done * item, n, layout.type, buffer.data());
    std::size_t column = (first + done) / layout.rows;
    std::size_t row = (first + done) % layout.rows;
    for (std::size_t k = 0; k < n; ++k) {
      values[row * layout.dim + column] = buffer[k];
      if (++row == layout.rows) {
        row = 0;
        ++column;
      }
    }
  }
}

}  // namespace

void decode_little_endian(const std::byte* in, std::size_t count, stored_type type, double* out) {
  decode_into(in, count, type, out);
}

void decode_little_endian(const std::byte* in, std::size_t count, stored_type type, float* out) {
  decode_into(in, count, type, out);
}

stored_layout raw_layout(std::uint64_t size, stored_type type, std::size_t dim) {
  if (dim == 0) throw error("raw input needs a dimension of at least 1");
  if (size == 0) throw error("empty input: no raw values at offset 0");
  const std::uint64_t item = size_of(type);
  if (size % item != 0) {
    throw error(
        fmt::format("truncated: {} bytes is not a whole number of {} values ({} bytes each), "
                    "partial value at offset {}",
                    size, to_string(type), item, size - size % item));
  }
  const std::uint64_t count = size / item;
  if (count % dim != 0) {
    throw error(fmt::format("truncated: {} {} values are not whole rows of {}, partial row at offset {}",
                            count, to_string(type), dim, (count - count % dim) * item));
  }
  if (count > std::numeric_limits<std::size_t>::max() / sizeof(double)) {
    throw error(fmt::format("{} values are too many to address", count));
  }
  stored_layout layout;
  layout.rows = static_cast<std::size_t>(count / dim);
  layout.dim = dim;
  layout.type = type;
  return layout;
}

void decode_stored(const stored_layout& layout, std::size_t first, std::size_t count, const std::byte* in,
                   std::span<double> values) {
  decode_stored_into(layout, first, count, in, values);
}

void decode_stored(const stored_layout& layout, std::size_t first, std::size_t count, const std::byte* in,
                   std::span<float> values) {
  decode_stored_into(layout, first, count, in, values);
}

table decode_table(const stored_layout& layout, std::span<const std::byte> file) {
  table result;
  result.rows = layout.rows;
  result.dim = layout.dim;
  result.source_type = table_type(layout.type);
  result.allocate();
  result.visit([&](auto values) {
    decode_stored(layout, 0, values.size(), file.data() + layout.data_offset, values);
  });
  return result;
}

table parse_raw(std::span<const std::byte> bytes, stored_type type, std::size_t dim) {
  return decode_table(raw_layout(bytes.size(), type, dim), bytes);
}

std::string printable_name(std::string_view text, std::size_t limit) {
  std::string out;
  for (const char c : text) {
    if (out.size() > limit) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out.push_back(c);
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  return out;
}

}  // namespace embcheck
