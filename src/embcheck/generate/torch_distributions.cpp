// PyTorch's CPU uniform_ and normal_ kernels for contiguous float32 tensors.
//
// Source: PyTorch 1.13, aten/src/ATen/native/cpu/DistributionTemplates.h (`uniform_kernel`,
// `normal_kernel`, `normal_fill`, `normal_fill_AVX2`), aten/src/ATen/core/DistributionsHelper.h
// (`uniform_real_distribution`, `normal_distribution<double>` and its cached sample) and
// aten/src/ATen/core/TransformationHelper.h (`uniform_real`). Box & Muller, Ann. Math.
// Statist. 29(2), 1958.
//
// numel >= 16: all elements are filled with float32 uniforms, then every full block of 16 is
// transformed in place, then, if numel % 16 != 0, the last 16 elements are redrawn and
// transformed again (numel + 16 draws). numel < 16: element by element from the double
// Box-Muller path whose second sample is cached in the generator.
//
// Speed: the AVX2 build's arithmetic needs exact fused multiply-adds. std::fma is exact on
// any CPU but a libm call unless the compiler may emit the instruction, so the hot loops are
// compiled twice with GCC function multiversioning (target_clones "arch=x86-64-v3", i.e.
// AVX2 + FMA, and "default"), chosen once at load time from the CPU. Both clones compute the
// same bits; the x86-64-v3 one also lets GCC vectorise the eight lanes of a block. Measured
// on 4M values: about 30 ms with the clones, about 270 ms with libm fmaf calls.
// Contraction: the torch_scalar paths use unfused_mul_add, see torch_math.cpp.

#include "embcheck/generate/torch_distributions.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <type_traits>

#include "embcheck/generate/torch_math.hpp"

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define EMBCHECK_FMA_CLONES [[gnu::target_clones("arch=x86-64-v3", "default")]]
#else
#define EMBCHECK_FMA_CLONES
#endif

namespace embcheck::detail {

namespace {

/// `uniform_real_distribution<float>(0, 1)` of a draw: its low 24 bits times 2^-24.
inline float uniform_float_of(std::uint32_t draw) noexcept {
  return static_cast<float>(draw & 0xffffffU) * 0x1p-24F;
}

/// `uniform_real_distribution<double>(0, 1)`: the low 53 bits of random64() times 2^-53.
inline double uniform_double(mt19937& engine) noexcept {
  return static_cast<double>(engine.random64() & ((std::uint64_t{1} << 53) - 1)) * 0x1p-53;
}

/// `count` values of uniform_(from, from + range) as the AVX2 build computes them.
EMBCHECK_FMA_CLONES void uniform_chunk_fused(mt19937& engine, float* out, std::size_t count, float from,
                                             float range) noexcept {
  engine.generate(out, count,
                  [&](std::uint32_t draw) { return std::fma(uniform_float_of(draw), range, from); });
}

/// `count` values of uniform_(from, from + range) as builds without AVX2 compute them.
void uniform_chunk_unfused(mt19937& engine, float* out, std::size_t count, float from, float range) noexcept {
  engine.generate(out, count,
                  [&](std::uint32_t draw) { return unfused_mul_add(uniform_float_of(draw), range, from); });
}

/// Draws `count` (a multiple of 16) uniforms and turns each block of 16 into normals (AVX2 build).
EMBCHECK_FMA_CLONES void normal_chunk_avx2(mt19937& engine, float* data, std::size_t count, float mean,
                                           float std) noexcept {
  engine.generate(data, count, uniform_float_of);
  for (std::size_t i = 0; i < count; i += 16) {
    avx2_normal_fill_16(data + i, mean, std);
  }
}

/// Draws `count` (a multiple of 16) uniforms and turns each block of 16 into normals (no AVX2).
void normal_chunk_libm(mt19937& engine, float* data, std::size_t count, float mean, float std) noexcept {
  engine.generate(data, count, uniform_float_of);
  for (std::size_t i = 0; i < count; i += 16) {
    libm_normal_fill_16(data + i, mean, std);
  }
}

void normal_chunk(mt19937& engine, float* data, std::size_t count, float mean, float std,
                  rng_mode mode) noexcept {
  if (mode == rng_mode::torch) {
    normal_chunk_avx2(engine, data, count, mean, std);
  } else {
    normal_chunk_libm(engine, data, count, mean, std);
  }
}

/// One value of `at::normal_distribution<double>(mean, std)`, using and refilling the cache.
double double_normal(torch_generator& generator, double mean, double std, rng_mode mode) noexcept {
  double unscaled = 0.0;
  if (generator.next_double_normal) {
    unscaled = *generator.next_double_normal;
    generator.next_double_normal.reset();
  } else {
    const double u1 = uniform_double(generator.engine);
    const double u2 = uniform_double(generator.engine);
    const normal_pair pair = libm_box_muller(u1, u2);
    generator.next_double_normal = pair.second;
    unscaled = pair.first;
  }
  return mode == rng_mode::torch ? std::fma(unscaled, std, mean) : unfused_mul_add(unscaled, std, mean);
}

template <typename T>
void copy_out(const float* from, std::size_t count, T* to) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    to[i] = static_cast<T>(from[i]);
  }
}

}  // namespace

uniform_stream::uniform_stream(double from, double to, rng_mode mode) noexcept
    : from_(static_cast<float>(from)),
      range_(static_cast<float>(to) - static_cast<float>(from)),
      mode_(mode) {}

void uniform_stream::chunk(torch_generator& generator, float* out, std::size_t count) const noexcept {
  if (mode_ == rng_mode::torch) {
    uniform_chunk_fused(generator.engine, out, count, from_, range_);
  } else {
    uniform_chunk_unfused(generator.engine, out, count, from_, range_);
  }
}

template <typename T>
void uniform_stream::fill(torch_generator& generator, std::span<T> out) noexcept {
  if constexpr (std::is_same_v<T, float>) {
    chunk(generator, out.data(), out.size());
  } else {
    std::array<float, stream_chunk_size> buffer;  // written before it is read
    for (std::size_t start = 0; start < out.size(); start += stream_chunk_size) {
      const std::size_t count = std::min(stream_chunk_size, out.size() - start);
      chunk(generator, buffer.data(), count);
      copy_out(buffer.data(), count, out.data() + start);
    }
  }
}

// Filling all numel uniforms first and then transforming the blocks in order is the same as
// drawing and transforming block after block, so the values are made a chunk at a time. The
// blocks of 16 are aligned to the flat index. With a tail (numel % 16 != 0) the values from
// main_end = numel - 16 on come from the tail block, which is drawn only after the whole
// full-block pass and numel % 16 skipped draws (the uniforms after the last full block, drawn
// but overwritten); the full-block values at and after main_end are made but never handed out.
normal_stream::normal_stream(std::size_t count, double mean, double std, rng_mode mode) noexcept
    : count_(count),
      mean_(mean),
      std_(std),
      mean_f_(static_cast<float>(mean)),
      std_f_(static_cast<float>(std)),
      mode_(mode),
      full_(count - count % 16),
      main_end_(count % 16 == 0 ? count : count - 16) {}

void normal_stream::next_chunk(torch_generator& generator) noexcept {
  if (drawn_ < full_) {
    const std::size_t length = std::min(stream_chunk_size, full_ - drawn_);
    normal_chunk(generator.engine, chunk_.data(), length, mean_f_, std_f_, mode_);
    chunk_begin_ = drawn_;
    drawn_ += length;
    chunk_end_ = std::min(drawn_, main_end_);
  } else {
    for (std::size_t i = full_; i < count_; ++i) {
      static_cast<void>(generator.engine.random());
    }
    normal_chunk(generator.engine, chunk_.data(), 16, mean_f_, std_f_, mode_);
    chunk_begin_ = count_ - 16;
    chunk_end_ = count_;
  }
}

void normal_stream::seek(torch_generator& generator, std::size_t position) noexcept {
  generator.engine.discard(position);
  position_ = position;
  drawn_ = position;
  chunk_begin_ = position;
  chunk_end_ = position;
}

template <typename T>
void normal_stream::fill(torch_generator& generator, std::span<T> out) noexcept {
  if (count_ < 16) {
    for (T& value : out) {
      value = static_cast<T>(static_cast<float>(double_normal(generator, mean_, std_, mode_)));
    }
    position_ += out.size();
    return;
  }
  std::size_t done = 0;
  while (done < out.size()) {
    if (position_ == chunk_end_) {
      next_chunk(generator);
    }
    const std::size_t length = std::min(chunk_end_ - position_, out.size() - done);
    copy_out(chunk_.data() + (position_ - chunk_begin_), length, out.data() + done);
    position_ += length;
    done += length;
  }
}

template <typename T>
void uniform_fill(torch_generator& generator, std::span<T> out, double from, double to, rng_mode mode) {
  uniform_stream(from, to, mode).fill(generator, out);
}

template <typename T>
void normal_fill(torch_generator& generator, std::span<T> out, double mean, double std, rng_mode mode) {
  normal_stream stream(out.size(), mean, std, mode);
  stream.fill(generator, out);
}

template void uniform_stream::fill<float>(torch_generator&, std::span<float>) noexcept;
template void uniform_stream::fill<double>(torch_generator&, std::span<double>) noexcept;
template void normal_stream::fill<float>(torch_generator&, std::span<float>) noexcept;
template void normal_stream::fill<double>(torch_generator&, std::span<double>) noexcept;
template void uniform_fill<float>(torch_generator&, std::span<float>, double, double, rng_mode);
template void uniform_fill<double>(torch_generator&, std::span<double>, double, double, rng_mode);
template void normal_fill<float>(torch_generator&, std::span<float>, double, double, rng_mode);
template void normal_fill<double>(torch_generator&, std::span<double>, double, double, rng_mode);

std::size_t normal_fill_draws(std::size_t count) noexcept {
  if (count < 16) {
    return 4 * ((count + 1) / 2);
  }
  return count % 16 == 0 ? count : count + 16;
}

}  // namespace embcheck::detail
