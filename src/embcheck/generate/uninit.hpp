#pragma once
/// \file uninit.hpp
/// A deterministic, seeded imitation of what torch.empty hands back; never reads real memory.

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>

#include "embcheck/generate/generate.hpp"

namespace embcheck {

/// A float32 table imitating uninitialized memory for `spec.rows`, `spec.dim`, `spec.seed`
/// (the other fields are ignored): a documented mixture of zero runs, stale floats,
/// integers reinterpreted as floats and raw bit patterns (NaN, +-Inf, huge magnitudes).
[[nodiscard]] table generate_uninit(const generate_spec& spec);

namespace detail {

/// The `count` values of generate_uninit for `seed`, produced in order a piece at a time.
class uninit_stream {
 public:
  /// A stream of the `count` slots of a table with seed `seed`.
  uninit_stream(std::size_t count, std::uint64_t seed);

  /// The next `out.size()` values (at most remaining()); T is float or double.
  template <typename T>
  void fill(std::span<T> out) noexcept;

  /// Values not yet taken.
  [[nodiscard]] std::size_t remaining() const noexcept { return count_ - position_; }

 private:
  /// Draws the category and length of the run that starts at position_.
  void start_run() noexcept;

  /// The next `out.size()` values of the current run (at most run_left_).
  template <typename T>
  void fill_run(T* out, std::size_t length) noexcept;

  std::mt19937_64 engine_;
  std::size_t count_;
  std::size_t position_ = 0;
  std::uint64_t category_ = 0;  ///< engine() % 115 of the current run
  std::uint32_t hi_ = 0;        ///< high word of the run's parameter draw
  std::size_t run_left_ = 0;    ///< slots of the current run not yet filled
  std::size_t run_index_ = 0;   ///< index j within the current run of the next slot
};

extern template void uninit_stream::fill<float>(std::span<float>) noexcept;
extern template void uninit_stream::fill<double>(std::span<double>) noexcept;

}  // namespace detail

}  // namespace embcheck
