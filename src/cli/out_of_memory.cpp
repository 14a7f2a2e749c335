// Memory limits. check_memory compares an estimate with physical memory (sysconf) and the
// process limits (getrlimit RLIMIT_AS, RLIMIT_DATA) before anything is allocated;
// fits_in_half_of_memory decides whether a table that could be streamed is held.
//
// The out-of-memory reserve. Why: when an allocation fails while a large nlohmann::json document is being
// built (a report of hundreds of thousands of rows or columns), std::bad_alloc unwinds through the partly
// built document, whose destructor (nlohmann/json 3.11 basic_json::json_value::destroy) allocates a vector as
// large as the biggest array or object, to avoid recursion. If that allocation fails too, the exception
// leaves a noexcept destructor and the program aborts (status 134) instead of reporting "out of memory" (exit
// 3). The new-handler ([new.handler], C++20 17.6.3.5) frees the reserve and throws std::bad_alloc on the
// first failure, so the unwinding has that much memory to work with; later failures throw directly, as
// without a handler.

#include "cli/out_of_memory.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "embcheck/error.hpp"

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

namespace {

struct memory_limit {
  double bytes = 0.0;
  std::string what;
};

/// The bytes of address space (statm's size) and of data (its data: heap, data and stacks) the
/// process maps already; zero where /proc is not there.
std::pair<double, double> mapped_now() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return {0.0, 0.0};
  unsigned long size = 0, resident = 0, shared = 0, text = 0, library = 0, data = 0;
  const int read =
      std::fscanf(statm, "%lu %lu %lu %lu %lu %lu", &size, &resident, &shared, &text, &library, &data);
  std::fclose(statm);
  if (read != 6) return {0.0, 0.0};
  const auto page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  return {static_cast<double>(size) * page, static_cast<double>(data) * page};
}

// The smallest of `share_of_physical` of physical memory and the address-space and data limits.
// Of an address-space or data limit, what the process has mapped already (libraries, the
// out-of-memory reserve, thread stacks) is not available to the table: until 2026-11-28 the whole
// limit was counted, and a table that fitted it by 40% was held, not streamed, and ran out.
memory_limit limit_of(double share_of_physical) {
  memory_limit limit{share_of_physical * static_cast<double>(::sysconf(_SC_PHYS_PAGES)) *
                         static_cast<double>(::sysconf(_SC_PAGESIZE)),
                     "physical memory"};
  const auto [address_space, data] = mapped_now();
  for (const int resource : {RLIMIT_AS, RLIMIT_DATA}) {
    rlimit lim{};
    if (::getrlimit(resource, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) continue;
    const double available =
        std::max(0.0, static_cast<double>(lim.rlim_cur) - (resource == RLIMIT_AS ? address_space : data));
    if (available < limit.bytes) {
      limit.bytes = available;
      limit.what =
          resource == RLIMIT_AS ? "the address-space limit (ulimit -v)" : "the data limit (ulimit -d)";
    }
  }
  return limit;
}

}  // namespace

bool fits_in_half_of_memory(double bytes) { return bytes <= limit_of(0.5).bytes; }

void check_memory(double bytes, std::string_view subject) {
  const memory_limit found = limit_of(1.0);
  const double limit = found.bytes;
  const std::string& what = found.what;
  if (bytes > limit) {
    throw error(fmt::format("not enough memory: {} need about {:.1f} GiB, {} is {:.1f} GiB", subject,
                            bytes / (1 << 30), what, limit / (1 << 30)));
  }
}

}  // namespace embcheck::cli
