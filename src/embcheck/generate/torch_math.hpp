#pragma once
/// \file torch_math.hpp
/// The float arithmetic of PyTorch's CPU normal_ kernels, reproduced to the last bit.
///
/// The AVX2 build evaluates log, sin and cos with the Cephes-derived `log256_ps` and
/// `sincos256_ps` of ATen/native/cpu/avx_mathfun.h (Julien Pommier's sse_mathfun, ported to
/// AVX by Giovanni Garberoglio; coefficients from Moshier's Cephes `logf`, `sinf`, `cosf`).
/// GCC compiles that file with -mfma and default contraction, which fuses some of its
/// multiply-adds; the lane functions below repeat each vector operation on one lane, with
/// `std::fma` exactly where the compiled kernel has a fused multiply-add. `std::fma` is exact
/// whether or not the caller is compiled for hardware FMA, so these are bit-identical either
/// way; they are always inlined so that a caller built for FMA (torch_distributions.cpp's
/// multiversioned loops) gets the instruction, and they are branch-free so that such a caller
/// can be vectorised over the eight lanes of a block.
/// Every remaining product here is either a multiplicand of a later operation or of an
/// explicit std::fma, never the summand of a plain addition, so no compiler contraction
/// setting can fuse it; the scalar (no-AVX2) paths instead depend on unfused_mul_add.

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#if defined(__GNUC__)
#define EMBCHECK_ALWAYS_INLINE [[gnu::always_inline]] inline
#else
#define EMBCHECK_ALWAYS_INLINE inline
#endif

namespace embcheck::detail {

/// `x` unchanged, but opaque to the optimiser: a product passed through it is rounded on its
/// own and cannot be contracted into a following addition, even under -ffp-contract=fast.
[[nodiscard]] inline float opaque(float x) noexcept {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __asm__("" : "+x"(x));
#elif defined(__GNUC__) && defined(__aarch64__)
  __asm__("" : "+w"(x));
#endif
  return x;
}

/// Double-precision counterpart of opaque(float).
[[nodiscard]] inline double opaque(double x) noexcept {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __asm__("" : "+x"(x));
#elif defined(__GNUC__) && defined(__aarch64__)
  __asm__("" : "+w"(x));
#endif
  return x;
}

/// `a * b + c` with the product rounded before the sum (never a fused multiply-add).
[[nodiscard]] inline float unfused_mul_add(float a, float b, float c) noexcept { return opaque(a * b) + c; }

/// `a * b + c` with the product rounded before the sum (never a fused multiply-add).
[[nodiscard]] inline double unfused_mul_add(double a, double b, double c) noexcept {
  return opaque(a * b) + c;
}

namespace avx_mathfun {

inline constexpr std::uint32_t sign_mask = 0x80000000U;
inline constexpr std::uint32_t inv_sign_mask = ~sign_mask;
inline constexpr std::uint32_t inv_mant_mask = ~0x7f800000U;
inline constexpr float min_norm_pos = std::numeric_limits<float>::min();  // bits 0x00800000

inline constexpr float cephes_sqrthf = static_cast<float>(0.707106781186547524);
inline constexpr float log_p0 = 7.0376836292E-2F;
inline constexpr float log_p1 = -1.1514610310E-1F;
inline constexpr float log_p2 = 1.1676998740E-1F;
inline constexpr float log_p3 = -1.2420140846E-1F;
inline constexpr float log_p4 = +1.4249322787E-1F;
inline constexpr float log_p5 = -1.6668057665E-1F;
inline constexpr float log_p6 = +2.0000714765E-1F;
inline constexpr float log_p7 = -2.4999993993E-1F;
inline constexpr float log_p8 = +3.3333331174E-1F;
inline constexpr float log_q1 = -2.12194440e-4F;
inline constexpr float log_q2 = 0.693359375F;

inline constexpr float minus_dp1 = -0.78515625F;
inline constexpr float minus_dp2 = -2.4187564849853515625e-4F;
inline constexpr float minus_dp3 = static_cast<float>(-3.77489497744594108e-8);
inline constexpr float sincof_p0 = -1.9515295891E-4F;
inline constexpr float sincof_p1 = 8.3321608736E-3F;
inline constexpr float sincof_p2 = -1.6666654611E-1F;
inline constexpr float coscof_p0 = static_cast<float>(2.443315711809948E-005);
inline constexpr float coscof_p1 = static_cast<float>(-1.388731625493765E-003);
inline constexpr float coscof_p2 = static_cast<float>(4.166664568298827E-002);
inline constexpr float cephes_fopi = static_cast<float>(1.27323954473516);  // 4 / pi

/// `_mm256_cvttps_epi32` on one lane, for |x| < 2^31 (truncation towards zero).
[[nodiscard]] inline std::int32_t cvtt(float x) noexcept { return static_cast<std::int32_t>(x); }

/// All ones when `condition`, else zero: a comparison result as the vector code holds it.
[[nodiscard]] inline std::uint32_t mask_of(bool condition) noexcept {
  return 0U - static_cast<std::uint32_t>(condition);
}

/// `_mm256_and_ps(mask, value)`: `value` where the mask is set, +0 elsewhere.
[[nodiscard]] inline float select(bool condition, float value) noexcept {
  return std::bit_cast<float>(std::bit_cast<std::uint32_t>(value) & mask_of(condition));
}

/// `_mm256_xor_ps(x, sign)`: flips the sign bit of x where `sign` has it.
[[nodiscard]] inline float xor_sign(float x, std::uint32_t sign) noexcept {
  return std::bit_cast<float>(std::bit_cast<std::uint32_t>(x) ^ sign);
}

}  // namespace avx_mathfun

/// One lane of `log256_ps` (natural logarithm; NaN for x <= 0).
[[nodiscard]] EMBCHECK_ALWAYS_INLINE float avx_log(float x) noexcept {
  namespace m = avx_mathfun;
  const bool invalid = x <= 0.0F;
  // _mm256_max_ps(x, min_norm_pos): x if x > min_norm_pos, else (also for NaN) min_norm_pos
  const std::uint32_t keep = m::mask_of(x > m::min_norm_pos);
  x = std::bit_cast<float>((std::bit_cast<std::uint32_t>(x) & keep) |
                           (std::bit_cast<std::uint32_t>(m::min_norm_pos) & ~keep));
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
  const auto exponent = static_cast<std::int32_t>(bits >> 23) - 0x7f;
  x = std::bit_cast<float>((bits & m::inv_mant_mask) | std::bit_cast<std::uint32_t>(0.5F));
  float e = static_cast<float>(exponent);
  e = e + 1.0F;
  const bool below = x < m::cephes_sqrthf;
  const float tmp = m::select(below, x);
  x = x - 1.0F;
  e = e - m::select(below, 1.0F);
  x = x + tmp;
  const float z = x * x;
  float y = std::fma(m::log_p0, x, m::log_p1);
  y = std::fma(y, x, m::log_p2);
  y = std::fma(y, x, m::log_p3);
  y = std::fma(y, x, m::log_p4);
  y = std::fma(y, x, m::log_p5);
  y = std::fma(y, x, m::log_p6);
  y = std::fma(y, x, m::log_p7);
  y = std::fma(y, x, m::log_p8);
  y = y * x;
  y = std::fma(y, z, e * m::log_q1);
  y = std::fma(-z, 0.5F, y);
  x = x + y;
  x = std::fma(e, m::log_q2, x);
  return std::bit_cast<float>(std::bit_cast<std::uint32_t>(x) | m::mask_of(invalid));
}

/// Sine and cosine of one argument.
struct sin_cos {
  float sin;  ///< sine
  float cos;  ///< cosine
};

/// One lane of `sincos256_ps`, for |x| < 2^31 (the normal kernels pass theta in [0, 2 pi)).
[[nodiscard]] EMBCHECK_ALWAYS_INLINE sin_cos avx_sincos(float x) noexcept {
  namespace m = avx_mathfun;
  const std::uint32_t x_bits = std::bit_cast<std::uint32_t>(x);
  std::uint32_t sign_sin = x_bits & m::sign_mask;
  x = std::bit_cast<float>(x_bits & m::inv_sign_mask);
  float y = x * m::cephes_fopi;
  std::uint32_t j = static_cast<std::uint32_t>(m::cvtt(y));
  j = (j + 1U) & ~1U;
  y = static_cast<float>(static_cast<std::int32_t>(j));
  const std::uint32_t swap_sign_sin = (j & 4U) << 29;
  const bool sin_poly = (j & 2U) == 0U;
  x = std::fma(y, m::minus_dp1, x);
  x = std::fma(y, m::minus_dp2, x);
  x = std::fma(y, m::minus_dp3, x);
  const std::uint32_t sign_cos = (~(j - 2U) & 4U) << 29;
  sign_sin ^= swap_sign_sin;

  const float z = x * x;
  float yc = std::fma(m::coscof_p0, z, m::coscof_p1);
  yc = std::fma(yc, z, m::coscof_p2);
  yc = yc * z;
  yc = std::fma(yc, z, -(z * 0.5F));
  yc = yc + 1.0F;

  float ys = std::fma(m::sincof_p0, z, m::sincof_p1);
  ys = std::fma(ys, z, m::sincof_p2);
  ys = ys * z;
  ys = std::fma(ys, x, x);

  const float ysin2 = m::select(sin_poly, ys);
  const float ysin1 = m::select(!sin_poly, yc);
  ys = ys - ysin2;
  yc = yc - ysin1;
  return {m::xor_sign(ysin1 + ysin2, sign_sin), m::xor_sign(yc + ys, sign_cos)};
}

/// 2*pi computed in double and rounded once to float, as the kernels' `two_pi` vector.
inline constexpr float two_pi_float = static_cast<float>(2.0 * 3.14159265358979323846);

/// `normal_fill_16_AVX2`: turns 16 uniforms in [0, 1) into normals in place; the 8 values
/// `1 - data[j]` and `data[j + 8]` form Box-Muller pairs.
EMBCHECK_ALWAYS_INLINE void avx2_normal_fill_16(float* data, float mean, float std) noexcept {
  // One step of the kernel at a time over the eight lanes. The steps are branch-free, so GCC
  // can vectorise them when the caller is compiled for AVX2 (the results are the same bits
  // either way). The square roots have a loop of their own: with errno-setting math (the
  // default), std::sqrt carries a branch that would stop the vectoriser.
  float radius[8];
  sin_cos sc[8];
  for (int j = 0; j < 8; ++j) {
    radius[j] = -2.0F * avx_log(1.0F - data[j]);
  }
  for (float& r : radius) {
    r = std::sqrt(r);
  }
  for (int j = 0; j < 8; ++j) {
    sc[j] = avx_sincos(two_pi_float * data[j + 8]);
  }
  for (int j = 0; j < 8; ++j) {
    data[j] = std::fma(radius[j] * sc[j].cos, std, mean);
    data[j + 8] = std::fma(radius[j] * sc[j].sin, std, mean);
  }
}

/// The scalar `normal_fill_16<float>` of builds without AVX2: libm `logf`, `cosf`, `sinf`,
/// `sqrtf`, theta in double rounded to float, no fused multiply-add anywhere.
void libm_normal_fill_16(float* data, float mean, float std) noexcept;

/// Unscaled Box-Muller pair of `at::normal_distribution<double>` from two float64 uniforms.
struct normal_pair {
  double first;   ///< `r * cos(theta)`, returned at once
  double second;  ///< `r * sin(theta)`, cached in the generator
};

/// `r = sqrt(-2 log(1 - u2))`, `theta = 2 pi u1` in double with libm (PyTorch 1.13 form).
[[nodiscard]] normal_pair libm_box_muller(double u1, double u2) noexcept;

}  // namespace embcheck::detail
