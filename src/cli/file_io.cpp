#include "file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "embcheck/error.hpp"

namespace embcheck::cli {
namespace {

[[noreturn]] void fail(std::string_view what, const std::string& path, int error_number) {
  throw error(fmt::format("cannot {} '{}': {}", what, path, std::strerror(error_number)));
}

/// Writes everything or throws; returns normally only when all bytes were accepted.
void write_all(int fd, std::span<const std::byte> bytes, const std::string& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write", path, errno);
    }
    done += static_cast<std::size_t>(n);
  }
}

class file_descriptor {
 public:
  explicit file_descriptor(int fd) noexcept : fd_(fd) {}
  file_descriptor(const file_descriptor&) = delete;
  file_descriptor& operator=(const file_descriptor&) = delete;
  ~file_descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const noexcept { return fd_; }
  /// Closes now and reports the error close() can carry (deferred write errors on NFS, ENOSPC).
  int close() noexcept {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

}  // namespace

std::vector<std::byte> read_file(const std::string& path) {
  file_descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail("open", path, errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) fail("stat", path, errno);
  if (S_ISDIR(info.st_mode)) throw error(fmt::format("cannot read '{}': is a directory", path));
  std::vector<std::byte> bytes;
  if (S_ISREG(info.st_mode)) bytes.reserve(static_cast<std::size_t>(info.st_size));
  std::byte buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("read", path, errno);
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  return bytes;
}

void write_file_atomically(const std::string& path, std::span<const std::byte> bytes) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    if (S_ISDIR(info.st_mode)) throw error(fmt::format("cannot write '{}': is a directory", path));
    file_descriptor fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (fd.get() < 0) fail("open", path, errno);
    write_all(fd.get(), bytes, path);
    if (fd.close() != 0) fail("write", path, errno);
    return;
  }
  std::string temporary = path + ".tmp-XXXXXX";
  file_descriptor fd(::mkstemp(temporary.data()));
  if (fd.get() < 0) fail("create a file beside", path, errno);
  try {
    write_all(fd.get(), bytes, path);
    if (::fsync(fd.get()) != 0) fail("write", path, errno);
    ::fchmod(
        fd.get(), 0644 & ~[] {
          const mode_t mask = ::umask(0);
          ::umask(mask);
          return mask;
        }());
    if (fd.close() != 0) fail("write", path, errno);
    if (::rename(temporary.c_str(), path.c_str()) != 0) fail("rename a file to", path, errno);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
}

}  // namespace embcheck::cli
