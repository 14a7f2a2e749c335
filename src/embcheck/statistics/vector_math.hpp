#pragma once
/// \file vector_math.hpp
/// erfc, log, log1p and exp over arrays, four values at a time where the CPU has AVX2: through
/// glibc's vector math library, and an accurate log of our own (internal to statistics/).

#include <cstddef>

namespace embcheck::detail {

/// out[i] = erfc(in[i]) for i < n (in and out may be the same array).
void erfc_values(const double* in, double* out, std::size_t n) noexcept;

/// out[i] = log(in[i]) for i < n (in and out may be the same array).
void log_values(const double* in, double* out, std::size_t n) noexcept;

/// out[i] = log(in[i]) within about 0.52 ulp plus 2^-61 absolute and without bias (as glibc's
/// scalar log), four at a time on AVX2 CPUs (in and out may be the same array).
void log_values_accurate(const double* in, double* out, std::size_t n) noexcept;

/// out[i] = log1p(in[i]) for i < n (in and out may be the same array).
void log1p_values(const double* in, double* out, std::size_t n) noexcept;

/// out[i] = exp(in[i]) for i < n (in and out may be the same array).
void exp_values(const double* in, double* out, std::size_t n) noexcept;

/// Whether erfc_values, log_values, log1p_values and exp_values use glibc's vector library
/// (AVX2 CPU and libmvec found at build time).
[[nodiscard]] bool vector_math_in_use() noexcept;

/// Whether the CPU runs the four-lane kernels (AVX2 and FMA); false off x86-64 or GCC/Clang.
[[nodiscard]] bool cpu_has_avx2() noexcept;

}  // namespace embcheck::detail
