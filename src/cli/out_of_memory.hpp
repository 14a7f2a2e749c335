#pragma once
/// \file out_of_memory.hpp
/// Memory limits: refusing what cannot fit before allocating it, and a reserve that lets the
/// program unwind and report "out of memory" when an allocation fails anyway.

#include <cstddef>
#include <string_view>

namespace embcheck::cli {

/// Sets aside `bytes` of address space, released by the first failed allocation (which then
/// throws std::bad_alloc), so that code run while unwinding can still allocate. Call once, early in main.
void install_out_of_memory_reserve(std::size_t bytes = std::size_t{32} << 20);

/// Throws error("not enough memory: `subject` need about X GiB, LIMIT is Y GiB") when `bytes`
/// exceed physical memory or the address-space or data limit (ulimit -v, ulimit -d).
void check_memory(double bytes, std::string_view subject);

/// Whether `bytes` fit in half of physical memory and within the address-space and data limits:
/// the most a table's held analysis may take when it could be streamed instead (the rest is left
/// to the system and other processes, and to the estimate's error).
[[nodiscard]] bool fits_in_half_of_memory(double bytes);

}  // namespace embcheck::cli
