#pragma once
/// \file torch_distributions.hpp
/// PyTorch's CPU `uniform_` and `normal_` kernels for contiguous float32 tensors, draw for draw.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "embcheck/generate/generate.hpp"
#include "embcheck/generate/mt19937.hpp"

namespace embcheck::detail {

/// The state of PyTorch's CPU generator right after `torch.manual_seed(seed)`.
struct torch_generator {
  /// Seeds the engine; the cached normal sample starts empty, as after manual_seed.
  explicit torch_generator(std::uint64_t seed) : engine(seed) {}

  mt19937 engine;                            ///< the MT19937 stream
  std::optional<double> next_double_normal;  ///< cached second Box-Muller sample of the double path
};

/// `t.uniform_(from, to)` for a contiguous float32 tensor `t` of `out.size()` elements; T is
/// float or double (the float32 values converted exactly).
template <typename T>
void uniform_fill(torch_generator& generator, std::span<T> out, double from, double to, rng_mode mode);

/// `t.normal_(mean, std)` for a contiguous float32 tensor `t` of `out.size()` elements; T is
/// float or double (the float32 values converted exactly).
template <typename T>
void normal_fill(torch_generator& generator, std::span<T> out, double mean, double std, rng_mode mode);

extern template void uniform_fill<float>(torch_generator&, std::span<float>, double, double, rng_mode);
extern template void uniform_fill<double>(torch_generator&, std::span<double>, double, double, rng_mode);
extern template void normal_fill<float>(torch_generator&, std::span<float>, double, double, rng_mode);
extern template void normal_fill<double>(torch_generator&, std::span<double>, double, double, rng_mode);

/// Engine draws consumed by normal_fill of `count` elements from a generator with no cached sample.
[[nodiscard]] std::size_t normal_fill_draws(std::size_t count) noexcept;

}  // namespace embcheck::detail
