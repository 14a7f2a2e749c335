// libFuzzer target for raw little-endian tables: embcheck::parse_raw and the element decoders
// (src/embcheck/read/decode.hpp). The first byte chooses the element type (f16, bf16, f32, f64),
// the second the row length (1-256), the rest are the table's bytes.
// Contract checked: parse_raw either throws embcheck::error (an empty input, a partial value or
// row) or returns rows x dim values, each equal bit for bit to an independent decoding: memcpy
// for float32 and float64, the upper half of a float32 for bfloat16, and the binary16 formula
// (sign, 5-bit exponent with bias 15, 10-bit fraction) for float16.

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <span>

#include "embcheck/error.hpp"
#include "embcheck/read/decode.hpp"

namespace {

using embcheck::stored_type;

double reference(const std::uint8_t* p, stored_type type) {
  switch (type) {
    case stored_type::float16: {
      const unsigned bits = p[0] | (static_cast<unsigned>(p[1]) << 8U);
      const unsigned exponent = (bits >> 10U) & 31U;
      const unsigned fraction = bits & 1023U;
      double magnitude = 0.0;
      if (exponent == 31)
        magnitude = fraction == 0 ? std::numeric_limits<double>::infinity() : std::nan("");
      else if (exponent == 0)
        magnitude = fraction * 0x1p-24;
      else
        magnitude = (1.0 + fraction * 0x1p-10) * std::ldexp(1.0, static_cast<int>(exponent) - 15);
      return (bits & 0x8000U) != 0 ? -magnitude : magnitude;
    }
    case stored_type::bfloat16: {
      const std::uint32_t bits =
          (static_cast<std::uint32_t>(p[0]) << 16U) | (static_cast<std::uint32_t>(p[1]) << 24U);
      return static_cast<double>(std::bit_cast<float>(bits));
    }
    case stored_type::float32: {
      float f = 0.0F;
      std::memcpy(&f, p, 4);
      return static_cast<double>(f);
    }
    case stored_type::float64: {
      double d = 0.0;
      std::memcpy(&d, p, 8);
      return d;
    }
  }
  std::abort();
}

bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  constexpr stored_type types[] = {stored_type::float16, stored_type::bfloat16, stored_type::float32,
                                   stored_type::float64};
  const stored_type type = types[data[0] % 4U];
  const std::size_t dim = std::size_t{data[1]} + 1;
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data + 2), size - 2);
  embcheck::table parsed;
  try {
    parsed = embcheck::parse_raw(bytes, type, dim);
  } catch (const embcheck::error&) {
    const std::size_t item = embcheck::size_of(type);
    if (!bytes.empty() && bytes.size() % (item * dim) == 0) std::abort();  // a whole table refused
    return 0;
  }
  const std::size_t item = embcheck::size_of(type);
  if (parsed.dim != dim || parsed.rows * dim * item != bytes.size() || parsed.held() != parsed.rows * dim)
    std::abort();
  if (parsed.source_type != embcheck::table_type(type)) std::abort();
  for (std::size_t i = 0; i < parsed.held(); ++i)
    if (!same(parsed.value(i), reference(data + 2 + i * item, type))) std::abort();
  return 0;
}
