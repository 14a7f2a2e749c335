#pragma once
/// \file generate.hpp
/// Tables made the way PyTorch's CPU generator makes them, and an imitation of uninitialized memory.

#include <cstdint>
#include <optional>

#include "embcheck/table.hpp"

namespace embcheck {

/// How values are initialised.
enum class init_kind { normal, uniform, uninit };

/// Which build of PyTorch's CPU kernels to reproduce.
enum class rng_mode {
  torch,         ///< x86-64 build with AVX2 (vectorised Cephes math, fused multiply-adds)
  torch_scalar,  ///< build without AVX2 (ATEN_CPU_CAPABILITY=default: libm float math, no fma)
};

/// Everything that decides the generated table.
struct generate_spec {
  std::size_t rows = 5;                    ///< rows of the table
  std::size_t dim = 1;                     ///< values per row
  std::uint64_t seed = 0;                  ///< torch.manual_seed value (as uint64)
  init_kind init = init_kind::normal;      ///< distribution of the values
  rng_mode rng = rng_mode::torch;          ///< which PyTorch build to reproduce
  double mean = 0.0;                       ///< normal: mean
  double std = 1.0;                        ///< normal: standard deviation (>= 0)
  double low = 0.0;                        ///< uniform: lower bound
  double high = 1.0;                       ///< uniform: upper bound (> low)
  std::optional<std::size_t> padding_row;  ///< row set to zero after drawing (already resolved, < rows)
};

/// The float32 table of `torch.manual_seed(seed)` then the init of `spec`, bit for bit.
/// normal: `torch.empty(rows, dim).normal_(mean, std)` (= nn.Embedding for mean 0, std 1);
/// uniform: `.uniform_(low, high)`; uninit: see uninit.hpp. Made on up to `threads` threads
/// (the same bits on any number).
[[nodiscard]] table generate_table(const generate_spec& spec, unsigned threads = 1);

}  // namespace embcheck
