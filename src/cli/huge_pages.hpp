#pragma once
/// \file huge_pages.hpp
/// Transparent huge pages for large allocations: huge_pages.cpp replaces the global operator
/// new so that blocks of huge_pages_from bytes or more are advised (madvise MADV_HUGEPAGE).

#include <cstddef>
#include <cstdint>

#if defined(__SANITIZE_ADDRESS__)
#define EMBCHECK_REPLACES_OPERATOR_NEW 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EMBCHECK_REPLACES_OPERATOR_NEW 0
#endif
#endif
#ifndef EMBCHECK_REPLACES_OPERATOR_NEW
/// 1 where huge_pages.cpp replaces operator new: everywhere but under AddressSanitizer.
#define EMBCHECK_REPLACES_OPERATOR_NEW 1
#endif

namespace embcheck::cli::detail {

/// The size of a transparent huge page on x86-64 and on arm64 with 4 KiB base pages.
inline constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;
/// Blocks of at least this many bytes are advised.
inline constexpr std::size_t huge_pages_from = std::size_t{4} << 20;

/// A range of addresses.
struct address_range {
  std::uintptr_t begin = 0;  ///< first address
  std::size_t size = 0;      ///< bytes
};

/// The whole huge pages inside [begin, begin + size): from begin rounded up to huge_page_bytes
/// to the end rounded down (size 0 when there is none).
[[nodiscard]] address_range huge_page_interior(std::uintptr_t begin, std::size_t size) noexcept;

}  // namespace embcheck::cli::detail
