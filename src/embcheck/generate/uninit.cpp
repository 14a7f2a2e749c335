// An imitation of the float32 values torch.empty(rows, dim) can return; docs/uninit.md has the
// same description and the observable shares it implies.
//
// Sources for the mixture: how allocators hand out memory. Large blocks come from mmap and are
// fresh zero pages (Linux mmap(2): anonymous mappings are zero-filled; 4 KiB pages = 1024 floats);
// reused heap memory (glibc malloc, PyTorch's CPU caching of freed blocks) holds what the previous
// owner left: floats of an earlier tensor, integer arrays (indices, token ids, lengths) and
// pointers, and arbitrary bytes. Memory is reused in contiguous chunks, so values come in runs.
//
// Engine: std::mt19937_64 seeded with spec.seed. Its output sequence is fixed by the C++ standard
// ([rand.predef]: the 10000th output of a default-constructed engine is 9981545732273789042), and every
// value below is derived from its raw 64-bit outputs with integer operations and one or two IEEE
// roundings, never with std:: distributions (whose output is implementation-defined) or libm, so a
// seed gives the same table on every platform.
//
// The n = rows * dim slots are filled in row-major order, run after run, until n are filled (the
// last run is cut short). Each run draws c = engine() % 115 and p = engine(); lo = p mod 2^32 sets
// its length, hi = p >> 32 its parameters:
//   c in [0, 10)   zero pages   length 1024 * (1 + lo % 3)       value +0
//   c in [10, 19)  stale floats length 64 + lo % 3969           sigma = 0.02 if hi is even, else 1
//   c in [19, 51)  integers     length 16 + lo % 481            kind = hi % 3: int32, int64, pointer
//   c in [51, 115) raw bits     length 1 + lo % 127
// Mean lengths are 2048, 2048, 256 and 64, so in expectation the categories hold 40 %, 36 %, 16 %
// and 8 % of the values. Within a run, element j (from 0) is:
//   stale:   w = engine(); S = sum of the four 16-bit fields of w (Irwin-Hall, mean 131070,
//            standard deviation ~ 65536 / sqrt(3)); value float32((S - 131070) * k), with
//            k = sigma * 1.7320508075688772 / 65536 in double: an approximately normal N(0, sigma^2)
//            value, |value| <= 3.47 sigma (earlier N(0, 0.02) weights or unit-scale activations)
//   int32:   bits = engine() & 0xffff (small integers, mostly subnormal floats)
//   int64:   j even: bits = engine() & 0xffff; j odd: bits = 0 (the zero high word)
//   pointer: j even: bits = (engine() >> 32) & 0xfffffff0 (a 16-byte-aligned low word);
//            j odd: bits = 0x00007f00 | ((hi >> 8) & 0xff) (the high word of a user-space address)
//   raw:     w = engine(); if w % 16 == 0, bits = {0x7fc00000, 0xffc00000, 0x7f800000, 0xff800000}
//            [(w >> 4) % 4] (+-NaN, +-Inf), else bits = w >> 32 (any pattern, huge magnitudes too)
// Signalling NaN patterns get their quiet bit (0x00400000) set, so that float -> double conversion
// is exact and the same everywhere. With FTZ/DAZ modes (-ffast-math) subnormals would flush to zero.

#include "embcheck/generate/uninit.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <random>

#include <fmt/format.h>

#include "embcheck/error.hpp"

namespace embcheck {

namespace {

constexpr std::uint64_t run_weight_total = 115;
constexpr std::uint64_t zero_below = 10;
constexpr std::uint64_t stale_below = 19;
constexpr std::uint64_t integer_below = 51;
constexpr double sqrt3 = 1.7320508075688772;
constexpr std::uint32_t quiet_bit = 0x00400000;
constexpr std::uint32_t exponent_mask = 0x7f800000;
constexpr std::uint32_t mantissa_mask = 0x007fffff;

float to_value(std::uint32_t bits) noexcept {
  if ((bits & exponent_mask) == exponent_mask && (bits & mantissa_mask) != 0) bits |= quiet_bit;
  return std::bit_cast<float>(bits);
}

}  // namespace

table generate_uninit(const generate_spec& spec) {
  if (spec.dim != 0 && spec.rows > std::numeric_limits<std::size_t>::max() / sizeof(float) / spec.dim) {
    throw error(fmt::format("a table of {} x {} values is too large", spec.rows, spec.dim));
  }
  table result;
  result.rows = spec.rows;
  result.dim = spec.dim;
  result.source_type = element_type::float32;
  result.floats.resize(spec.rows * spec.dim);
  detail::uninit_stream(result.floats.size(), spec.seed).fill(std::span<float>(result.floats));
  return result;
}

namespace detail {

uninit_stream::uninit_stream(std::size_t count, std::uint64_t seed) : engine_(seed), count_(count) {}

void uninit_stream::start_run() noexcept {
  category_ = engine_() % run_weight_total;
  const std::uint64_t p = engine_();
  const auto lo = static_cast<std::uint32_t>(p);
  hi_ = static_cast<std::uint32_t>(p >> 32);
  std::size_t length = 0;
  if (category_ < zero_below) {
    length = 1024 * (1 + lo % 3);
  } else if (category_ < stale_below) {
    length = 64 + lo % 3969;
  } else if (category_ < integer_below) {
    length = 16 + lo % 481;
  } else {
    length = 1 + lo % 127;
  }
  run_left_ = std::min(length, count_ - position_);
  run_index_ = 0;
}

template <typename T>
void uninit_stream::fill_run(T* out, std::size_t length) noexcept {
  const std::size_t first = run_index_;
  if (category_ < zero_below) {
    std::fill(out, out + length, T{0});
  } else if (category_ < stale_below) {
    const double k = (hi_ % 2 == 0 ? 0.02 : 1.0) * sqrt3 / 65536.0;
    for (std::size_t i = 0; i < length; ++i) {
      const std::uint64_t w = engine_();
      const auto s =
          static_cast<std::int64_t>((w & 0xffff) + ((w >> 16) & 0xffff) + ((w >> 32) & 0xffff) + (w >> 48));
      out[i] = static_cast<T>(static_cast<float>(static_cast<double>(s - 131070) * k));
    }
  } else if (category_ < integer_below) {
    const std::uint32_t kind = hi_ % 3;
    const std::uint32_t high_word = 0x00007f00 | ((hi_ >> 8) & 0xff);
    for (std::size_t i = 0; i < length; ++i) {
      const std::size_t j = first + i;
      float value = 0.0F;
      if (kind == 0) {
        value = to_value(static_cast<std::uint32_t>(engine_() & 0xffff));
      } else if (j % 2 == 1) {
        value = kind == 1 ? 0.0F : to_value(high_word);
      } else if (kind == 1) {
        value = to_value(static_cast<std::uint32_t>(engine_() & 0xffff));
      } else {
        value = to_value(static_cast<std::uint32_t>(engine_() >> 32) & 0xfffffff0u);
      }
      out[i] = static_cast<T>(value);
    }
  } else {
    constexpr std::uint32_t specials[4] = {0x7fc00000, 0xffc00000, 0x7f800000, 0xff800000};
    for (std::size_t i = 0; i < length; ++i) {
      const std::uint64_t w = engine_();
      out[i] = static_cast<T>(
          to_value(w % 16 == 0 ? specials[(w >> 4) % 4] : static_cast<std::uint32_t>(w >> 32)));
    }
  }
  run_index_ += length;
  run_left_ -= length;
  position_ += length;
}

// A run's draws are made in slot order, and the run's length only cuts it short at the end of
// the table, so the runs can be made piece by piece with the run's state kept between pieces.
template <typename T>
void uninit_stream::fill(std::span<T> out) noexcept {
  std::size_t done = 0;
  while (done < out.size()) {
    if (run_left_ == 0) {
      start_run();
    }
    const std::size_t length = std::min(run_left_, out.size() - done);
    fill_run(out.data() + done, length);
    done += length;
  }
}

template void uninit_stream::fill<float>(std::span<float>) noexcept;
template void uninit_stream::fill<double>(std::span<double>) noexcept;

}  // namespace detail

}  // namespace embcheck
