#pragma once
/// \file out_of_memory.hpp
/// A memory reserve that lets the program unwind and report "out of memory" when an allocation fails.

#include <cstddef>

namespace embcheck::cli {

/// Sets aside `bytes` of address space, released by the first failed allocation (which then
/// throws std::bad_alloc), so that code run while unwinding can still allocate. Call once, early in main.
void install_out_of_memory_reserve(std::size_t bytes = std::size_t{32} << 20);

}  // namespace embcheck::cli
