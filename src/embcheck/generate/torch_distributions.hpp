#pragma once
/// \file torch_distributions.hpp
/// PyTorch's CPU `uniform_` and `normal_` kernels for contiguous float32 tensors, draw for draw.

#include <array>
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

/// Floats made per kernel call (a multiple of 16).
inline constexpr std::size_t stream_chunk_size = 2048;

/// The values of `t.uniform_(from, to)` on a contiguous float32 tensor, produced in order a
/// piece at a time; every piece is drawn from the generator passed to fill.
class uniform_stream {
 public:
  /// A stream of uniform_(from, to) values as the build `mode` computes them.
  uniform_stream(double from, double to, rng_mode mode) noexcept;

  /// The next `out.size()` values; T is float or double (the float32 values converted exactly).
  template <typename T>
  void fill(torch_generator& generator, std::span<T> out) noexcept;

 private:
  /// `count` values straight into `out`.
  void chunk(torch_generator& generator, float* out, std::size_t count) const noexcept;

  float from_;
  float range_;
  rng_mode mode_;
};

/// The values of `t.normal_(mean, std)` on a contiguous float32 tensor of `count` elements,
/// produced in order a piece at a time with O(chunk) memory; pass the same generator to every
/// fill. The pieces together are exactly what one normal_ call writes, including the 16-block
/// tail, and consume exactly its draws once all `count` values are taken.
class normal_stream {
 public:
  /// A stream of `count` values of normal_(mean, std) as the build `mode` computes them.
  normal_stream(std::size_t count, double mean, double std, rng_mode mode) noexcept;

  /// The next `out.size()` values (at most remaining()); T is float or double.
  template <typename T>
  void fill(torch_generator& generator, std::span<T> out) noexcept;

  /// Values not yet taken.
  [[nodiscard]] std::size_t remaining() const noexcept { return count_ - position_; }
  /// Before the first fill: skips the values before flat index `position` (a multiple of 16
  /// and at most count - count % 16 - (count % 16 ? 16 : 0)) and their draws, so that pieces of
  /// one tensor can be made from copies of the generator (values i < the full blocks' end are
  /// made from draw i alone).
  void seek(torch_generator& generator, std::size_t position) noexcept;

 private:
  /// Makes the chunk that holds the value at position_.
  void next_chunk(torch_generator& generator) noexcept;

  std::size_t count_;
  double mean_;
  double std_;
  float mean_f_;
  float std_f_;
  rng_mode mode_;
  std::size_t full_;             ///< elements covered by full blocks of 16: count - count % 16
  std::size_t main_end_;         ///< values from the full-block pass end here; the tail block covers the rest
  std::size_t position_ = 0;     ///< flat index of the next value to hand out
  std::size_t drawn_ = 0;        ///< elements of the full-block pass drawn so far
  std::size_t chunk_begin_ = 0;  ///< flat index of chunk_[0]
  std::size_t chunk_end_ = 0;    ///< values of chunk_ may be handed out up to this flat index
  std::array<float, stream_chunk_size> chunk_{};
};

/// `t.uniform_(from, to)` for a contiguous float32 tensor `t` of `out.size()` elements; T is
/// float or double (the float32 values converted exactly).
template <typename T>
void uniform_fill(torch_generator& generator, std::span<T> out, double from, double to, rng_mode mode);

/// `t.normal_(mean, std)` for a contiguous float32 tensor `t` of `out.size()` elements; T is
/// float or double (the float32 values converted exactly).
template <typename T>
void normal_fill(torch_generator& generator, std::span<T> out, double mean, double std, rng_mode mode);

extern template void uniform_stream::fill<float>(torch_generator&, std::span<float>) noexcept;
extern template void uniform_stream::fill<double>(torch_generator&, std::span<double>) noexcept;
extern template void normal_stream::fill<float>(torch_generator&, std::span<float>) noexcept;
extern template void normal_stream::fill<double>(torch_generator&, std::span<double>) noexcept;
extern template void uniform_fill<float>(torch_generator&, std::span<float>, double, double, rng_mode);
extern template void uniform_fill<double>(torch_generator&, std::span<double>, double, double, rng_mode);
extern template void normal_fill<float>(torch_generator&, std::span<float>, double, double, rng_mode);
extern template void normal_fill<double>(torch_generator&, std::span<double>, double, double, rng_mode);

/// Engine draws consumed by normal_fill of `count` elements from a generator with no cached sample.
[[nodiscard]] std::size_t normal_fill_draws(std::size_t count) noexcept;

}  // namespace embcheck::detail
