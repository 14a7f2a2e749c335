// The libm-based arithmetic of PyTorch's CPU normal_ kernels in builds without AVX2.
//
// Source: PyTorch 1.13, aten/src/ATen/native/cpu/DistributionTemplates.h (`normal_fill_16`,
// the scalar_t = float instantiation) and aten/src/ATen/core/DistributionsHelper.h
// (`normal_distribution<double>::operator()`); Box & Muller, "A Note on the Generation of
// Random Normal Deviates", Ann. Math. Statist. 29(2), 1958. The AVX2 counterparts are the
// inline lane functions of torch_math.hpp.
//
// Floating-point contraction: these functions must not fuse any multiply with an add. The
// project builds with -std=c++20, for which GCC defaults to -ffp-contract=off; in addition
// every product that is followed by an addition goes through unfused_mul_add / opaque, which
// stays unfused under -ffp-contract=fast too (generate_test checks this on inputs where a
// fused multiply-add rounds differently).

#include "embcheck/generate/torch_math.hpp"

#include <cmath>

namespace embcheck::detail {

void libm_normal_fill_16(float* data, float mean, float std) noexcept {
  constexpr double two_pi = 2.0 * 3.14159265358979323846;
  for (int j = 0; j < 8; ++j) {
    const float u1 = 1.0F - data[j];  // [0, 1) -> (0, 1] for log
    const float u2 = data[j + 8];
    const float radius = std::sqrt(-2.0F * std::log(u1));
    const auto theta = static_cast<float>(two_pi * static_cast<double>(u2));
    data[j] = unfused_mul_add(opaque(radius * std::cos(theta)), std, mean);
    data[j + 8] = unfused_mul_add(opaque(radius * std::sin(theta)), std, mean);
  }
}

normal_pair libm_box_muller(double u1, double u2) noexcept {
  constexpr double two_pi = 2.0 * 3.14159265358979323846;
  const double r = std::sqrt(-2.0 * std::log(1.0 - u2));
  const double theta = two_pi * u1;
  return {r * std::cos(theta), r * std::sin(theta)};
}

}  // namespace embcheck::detail
