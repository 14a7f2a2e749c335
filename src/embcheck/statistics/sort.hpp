#pragma once
/// \file sort.hpp
/// Sorting samples for order statistics: radix sorts (least-significant digit first; long float32
/// samples split by their top digit first), several times faster than std::sort.

#include <span>

#include "embcheck/table.hpp"

namespace embcheck {

/// Sorts finite `values` ascending (-0 and +0 compare equal). With `source` float32 every value must be
/// exactly a float (as tables read or generated as float32 are) and 32-bit keys are sorted.
void sort_values(std::span<double> values, element_type source);

}  // namespace embcheck
