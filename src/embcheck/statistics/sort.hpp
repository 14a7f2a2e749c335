#pragma once
/// \file sort.hpp
/// Sorting samples for order statistics: radix sorts (least-significant digit first; long float32
/// samples split by their top digit first) and, for rows of 32 to 256 float32 values, a sorting
/// network; several times faster than std::sort.

#include <span>
#include <type_traits>

#include "embcheck/table.hpp"

namespace embcheck {

/// Sorts finite `values` ascending (-0 and +0 compare equal). With `source` float32 every value must be
/// exactly a float (as tables read or generated as float32 are) and 32-bit keys are sorted, long
/// samples on up to `threads` threads (the order does not depend on them).
void sort_values(std::span<double> values, element_type source, unsigned threads = 1);

/// The float `values` sorted, as doubles, in `out` (values.size() of them), as sort_values does
/// for float32 without the copy to double first.
void sort_values(std::span<const float> values, std::span<double> out, unsigned threads = 1);

/// `values` (float or double, from a `source` table) sorted into `out`, a vector of double resized
/// to them: float values are keyed straight from the floats, doubles are copied and sorted.
template <class T, class Vector>
void sort_copy(std::span<const T> values, element_type source, Vector& out, unsigned threads = 1) {
  if constexpr (std::is_same_v<T, float>) {
    out.resize(values.size());
    sort_values(values, std::span<double>(out), threads);
  } else {
    out.assign(values.begin(), values.end());
    sort_values(std::span<double>(out), source, threads);
  }
}

namespace detail {

/// sort_values for 32 to 256 float32 values (a bitonic network), with AVX2 where `allow_avx2`
/// and the CPU has it, else baseline vector code; both give the same order.
void network_sort_float32(std::span<double> values, bool allow_avx2) noexcept;

}  // namespace detail

}  // namespace embcheck
