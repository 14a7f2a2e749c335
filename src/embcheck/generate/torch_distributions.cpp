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

#include "embcheck/generate/torch_math.hpp"

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define EMBCHECK_FMA_CLONES [[gnu::target_clones("arch=x86-64-v3", "default")]]
#else
#define EMBCHECK_FMA_CLONES
#endif

namespace embcheck::detail {

namespace {

/// Values are produced in chunks of this many floats (a multiple of 16) and then converted.
constexpr std::size_t chunk_size = 2048;

/// `uniform_real_distribution<float>(0, 1)`: the low 24 bits of one draw times 2^-24.
inline float uniform_float(mt19937& engine) noexcept {
  return static_cast<float>(engine.random() & 0xffffffU) * 0x1p-24F;
}

/// `uniform_real_distribution<double>(0, 1)`: the low 53 bits of random64() times 2^-53.
inline double uniform_double(mt19937& engine) noexcept {
  return static_cast<double>(engine.random64() & ((std::uint64_t{1} << 53) - 1)) * 0x1p-53;
}

/// `count` values of uniform_(from, from + range) as the AVX2 build computes them.
EMBCHECK_FMA_CLONES void uniform_chunk_fused(mt19937& engine, float* out, std::size_t count, float from,
                                             float range) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = std::fma(uniform_float(engine), range, from);
  }
}

/// `count` values of uniform_(from, from + range) as builds without AVX2 compute them.
void uniform_chunk_unfused(mt19937& engine, float* out, std::size_t count, float from, float range) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = unfused_mul_add(uniform_float(engine), range, from);
  }
}

/// Draws `count` (a multiple of 16) uniforms and turns each block of 16 into normals (AVX2 build).
EMBCHECK_FMA_CLONES void normal_chunk_avx2(mt19937& engine, float* data, std::size_t count, float mean,
                                           float std) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    data[i] = uniform_float(engine);
  }
  for (std::size_t i = 0; i < count; i += 16) {
    avx2_normal_fill_16(data + i, mean, std);
  }
}

/// Draws `count` (a multiple of 16) uniforms and turns each block of 16 into normals (no AVX2).
void normal_chunk_libm(mt19937& engine, float* data, std::size_t count, float mean, float std) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    data[i] = uniform_float(engine);
  }
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

template <typename T>
void uniform_fill(torch_generator& generator, std::span<T> out, double from, double to, rng_mode mode) {
  const auto from_f = static_cast<float>(from);
  const auto range = static_cast<float>(to) - from_f;
  std::array<float, chunk_size> buffer{};
  for (std::size_t start = 0; start < out.size(); start += chunk_size) {
    const std::size_t count = std::min(chunk_size, out.size() - start);
    if (mode == rng_mode::torch) {
      uniform_chunk_fused(generator.engine, buffer.data(), count, from_f, range);
    } else {
      uniform_chunk_unfused(generator.engine, buffer.data(), count, from_f, range);
    }
    copy_out(buffer.data(), count, out.data() + start);
  }
}

// Filling all numel uniforms first and then transforming the blocks in order is the same as
// drawing and transforming block after block, so the table is made in chunks. The numel % 16
// uniforms after the last full block are drawn but never survive: the tail block overwrites
// them with 16 new draws.
template <typename T>
void normal_fill(torch_generator& generator, std::span<T> out, double mean, double std, rng_mode mode) {
  const std::size_t count = out.size();
  if (count < 16) {
    for (T& value : out) {
      value = static_cast<T>(static_cast<float>(double_normal(generator, mean, std, mode)));
    }
    return;
  }
  const auto mean_f = static_cast<float>(mean);
  const auto std_f = static_cast<float>(std);
  const std::size_t full = count - count % 16;
  std::array<float, chunk_size> buffer{};
  for (std::size_t start = 0; start < full; start += chunk_size) {
    const std::size_t length = std::min(chunk_size, full - start);
    normal_chunk(generator.engine, buffer.data(), length, mean_f, std_f, mode);
    copy_out(buffer.data(), length, out.data() + start);
  }
  if (full != count) {
    for (std::size_t i = full; i < count; ++i) {
      static_cast<void>(generator.engine.random());
    }
    normal_chunk(generator.engine, buffer.data(), 16, mean_f, std_f, mode);
    copy_out(buffer.data(), 16, out.data() + count - 16);
  }
}

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
