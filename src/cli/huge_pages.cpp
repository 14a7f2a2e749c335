// Transparent huge pages for the program's large blocks: the global operator new is replaced
// ([new.delete.single], a replaceable function) by one that allocates with std::malloc, as the
// default does, and asks the kernel (madvise MADV_HUGEPAGE, Linux) to back the 2 MiB-aligned
// interior of every block of 4 MiB or more with huge pages.
//
// Why: the tables, sorted copies and per-n constants are tens to hundreds of MB, written once
// each soon after they are allocated. With 4 KiB pages every one of their pages is a fault
// (and the faults of two threads queue on the process's memory-map lock); Debian's default
// THP mode, "madvise", gives huge pages only to memory that asks. Measured by alternating the
// two binaries (docs/performance.md): `--dim 800000` 0.18 -> 0.16 s with system time 52 -> 20 ms,
// `--rows 100000 --dim 128` 0.88 -> 0.75 s. It is glibc's own malloc tunable
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), which can only be set in the environment before start.
//
// The advice changes which pages back the memory, never its contents or the program's results;
// where THP is off ("never") or the kernel has no huge page free, madvise changes nothing (or
// fails, which is ignored) and the block stays on 4 KiB pages. A block is touched only by its
// owner, so the at most 2 MiB a huge page adds to a partly used block is bounded by the block.
// Not built with AddressSanitizer, whose own operator new must stay in place to check deletes.
#include "cli/huge_pages.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>

namespace embcheck::cli::detail {

address_range huge_page_interior(std::uintptr_t begin, std::size_t size) noexcept {
  const std::uintptr_t first = (begin + (huge_page_bytes - 1)) & ~std::uintptr_t{huge_page_bytes - 1};
  const std::uintptr_t last = (begin + size) & ~std::uintptr_t{huge_page_bytes - 1};
  return last > first ? address_range{first, last - first} : address_range{first, 0};
}

}  // namespace embcheck::cli::detail

#if EMBCHECK_REPLACES_OPERATOR_NEW

void* operator new(std::size_t size) {
  using embcheck::cli::detail::huge_page_interior;
  if (size == 0) size = 1;
  for (;;) {
    if (void* block = std::malloc(size)) {
      if (size >= embcheck::cli::detail::huge_pages_from) {
        const auto range = huge_page_interior(reinterpret_cast<std::uintptr_t>(block), size);
        if (range.size > 0) (void)::madvise(reinterpret_cast<void*>(range.begin), range.size, MADV_HUGEPAGE);
      }
      return block;
    }
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

#endif
