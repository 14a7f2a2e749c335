// LD_PRELOAD shim for tests/cli/resize.sh: on the N-th pread(2) call of the process it resizes a
// file with truncate(2) just before the call, as another process shrinking or appending to the
// table would, so that "the file changes size while read" happens at a known point.
// EMBCHECK_RESIZE=PATH:N:SIZE names the file, the call (counted from 1) and the new size.
#include <dlfcn.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace {

long calls = 0;

void resize_if_due() {
  const char* setting = std::getenv("EMBCHECK_RESIZE");
  if (setting == nullptr) return;
  const std::string text(setting);
  const auto second = text.rfind(':');
  const auto first = text.rfind(':', second - 1);
  if (first == std::string::npos || second == std::string::npos) return;
  if (++calls != std::stol(text.substr(first + 1, second - first - 1))) return;
  (void)::truncate(text.substr(0, first).c_str(), std::stoll(text.substr(second + 1)));
}

using pread_function = ssize_t (*)(int, void*, size_t, off_t);

}  // namespace

extern "C" ssize_t pread(int fd, void* buffer, size_t count, off_t offset) {
  static const auto next = reinterpret_cast<pread_function>(::dlsym(RTLD_NEXT, "pread"));
  resize_if_due();
  return next(fd, buffer, count, offset);
}

extern "C" ssize_t pread64(int fd, void* buffer, size_t count, off_t offset) {
  static const auto next = reinterpret_cast<pread_function>(::dlsym(RTLD_NEXT, "pread64"));
  resize_if_due();
  return next(fd, buffer, count, offset);
}
