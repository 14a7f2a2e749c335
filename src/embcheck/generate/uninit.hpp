#pragma once
/// \file uninit.hpp
/// A deterministic, seeded imitation of what torch.empty hands back; never reads real memory.

#include "embcheck/generate/generate.hpp"

namespace embcheck {

/// A float32 table imitating uninitialized memory for `spec.rows`, `spec.dim`, `spec.seed`
/// (the other fields are ignored): a documented mixture of zero runs, stale floats,
/// integers reinterpreted as floats and raw bit patterns (NaN, +-Inf, huge magnitudes).
[[nodiscard]] table generate_uninit(const generate_spec& spec);

}  // namespace embcheck
