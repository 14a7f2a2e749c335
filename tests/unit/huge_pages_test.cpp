// The replaced operator new (src/cli/huge_pages.cpp): the arithmetic of the advised range, and
// its effect as the kernel reports it in /proc/self/smaps.
#include "cli/huge_pages.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

using embcheck::cli::detail::huge_page_bytes;
using embcheck::cli::detail::huge_page_interior;

namespace {

// The THP mode in brackets ("always [madvise] never"), or "" where the kernel has none.
std::string thp_mode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  std::getline(in, line);
  const auto open = line.find('[');
  const auto close = line.find(']');
  return open == std::string::npos || close == std::string::npos ? ""
                                                                 : line.substr(open + 1, close - open - 1);
}

// The THPeligible field of the mapping of /proc/self/smaps that holds `address`, or -1.
int thp_eligible(std::uintptr_t address) {
  std::ifstream in("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    std::uintptr_t begin = 0;
    std::uintptr_t end = 0;
    char dash = 0;
    std::istringstream header(line);
    if (header >> std::hex >> begin >> dash >> end && dash == '-' && line.find(':') > line.find(' ')) {
      inside = begin <= address && address < end;
      continue;
    }
    if (inside && line.rfind("THPeligible:", 0) == 0) return std::stoi(line.substr(12));
  }
  return -1;
}

}  // namespace

TEST_CASE("huge_page_interior: the whole huge pages inside a block") {
  constexpr std::uintptr_t page = huge_page_bytes;
  const auto aligned = huge_page_interior(4 * page, 3 * page);
  CHECK(aligned.begin == 4 * page);
  CHECK(aligned.size == 3 * page);
  const auto inner = huge_page_interior(4 * page + 16, 3 * page);
  CHECK(inner.begin == 5 * page);
  CHECK(inner.size == 2 * page);
  const auto ragged = huge_page_interior(4 * page + 16, 2 * page + 100);
  CHECK(ragged.begin == 5 * page);
  CHECK(ragged.size == page);
  CHECK(huge_page_interior(4 * page + 16, page).size == 0);
  CHECK(huge_page_interior(4 * page + 16, page + page / 2).size == 0);
  CHECK(huge_page_interior(4 * page, 0).size == 0);
}

TEST_CASE("operator new: blocks of 4 MiB and more are advised, smaller ones are not") {
  if (!EMBCHECK_REPLACES_OPERATOR_NEW) {
    MESSAGE("built with AddressSanitizer: its operator new stays in place");
    return;
  }
  const std::string mode = thp_mode();
  if (mode != "madvise" && mode != "always") {
    MESSAGE("transparent huge pages are '" << mode << "' here: nothing to observe");
    return;
  }
  constexpr std::size_t count = (std::size_t{16} << 20) / sizeof(double);
  const auto large = std::make_unique<double[]>(count);  // value-initialised: every page written
  CHECK(large[count - 1] == 0.0);
  const auto range =
      huge_page_interior(reinterpret_cast<std::uintptr_t>(large.get()), count * sizeof(double));
  REQUIRE(range.size > 0);
  CHECK(thp_eligible(range.begin) == 1);
  if (mode == "madvise") {
    // A block below the threshold on a mapping of its own (glibc serves it by mmap at this
    // size when the threshold has not grown) keeps 4 KiB pages.
    const auto small = std::make_unique<char[]>(std::size_t{1} << 20);
    const int eligible = thp_eligible(reinterpret_cast<std::uintptr_t>(small.get()));
    CHECK(eligible != 1);
  }
}
