// Out of memory: a reserve released by the first failed allocation.
//
// Why: when an allocation fails while a large nlohmann::json document is being built (a report of
// hundreds of thousands of rows or columns), std::bad_alloc unwinds through the partly built
// document, whose destructor (nlohmann/json 3.11 basic_json::json_value::destroy) allocates a
// vector as large as the biggest array or object, to avoid recursion. If that allocation fails
// too, the exception leaves a noexcept destructor and the program aborts (status 134) instead of
// reporting "out of memory" (exit 3). The new-handler ([new.handler], C++20 17.6.3.5) frees the
// reserve and throws std::bad_alloc on the first failure, so the unwinding has that much memory
// to work with; later failures throw directly, as without a handler.

#include "cli/out_of_memory.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace embcheck::cli {
namespace {

std::atomic<void*> reserve{nullptr};

void release_reserve_and_throw() {
  std::free(reserve.exchange(nullptr));
  throw std::bad_alloc();
}

}  // namespace

void install_out_of_memory_reserve(std::size_t bytes) {
  void* block = std::malloc(bytes);
  if (block == nullptr) return;
  std::free(reserve.exchange(block));
  std::set_new_handler(release_reserve_and_throw);
}

}  // namespace embcheck::cli
