// Signals: the temporary file of an atomic write in flight is published, before it exists, in a
// static buffer that the handler of SIGINT, SIGTERM and SIGHUP reads: the handler unlinks it,
// restores the default action and raises the signal again, so the program ends as an
// uninterrupted default would (killed by the signal: status 128 + signo in a shell, and a
// calling shell loop sees the interrupt). The handler only calls unlink, signal and raise, which
// are async-signal-safe (POSIX.1-2017, 2.4.3). The window between mkstemp creating the file and
// its name being published is closed by blocking those signals in the writing thread; the CLI
// starts its writes from its main thread when no other thread of its own runs (the analysis
// threads have been joined, or, for a streamed check or a report formatted in blocks, are
// started by the producer once the name is published), so no other thread is there to take
// the signal in that window.

#include "file_io.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
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

constexpr std::array cleanup_signals{SIGINT, SIGTERM, SIGHUP};

/// The temporary file being written, NUL-terminated, valid while `temporary_in_flight` is set.
/// A lock-free atomic rather than a volatile sig_atomic_t so that it is also ordered with respect
/// to a handler running on another thread.
std::array<char, 4096> temporary_path{};
std::atomic<bool> temporary_in_flight{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" void remove_temporary_and_reraise(int signal_number) {
  if (temporary_in_flight.load()) ::unlink(temporary_path.data());
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

/// Blocks the cleanup signals in the calling thread for its lifetime.
class signals_blocked {
 public:
  signals_blocked() noexcept {
    sigset_t set;
    ::sigemptyset(&set);
    for (const int s : cleanup_signals) ::sigaddset(&set, s);
    ::pthread_sigmask(SIG_BLOCK, &set, &previous_);
  }
  signals_blocked(const signals_blocked&) = delete;
  signals_blocked& operator=(const signals_blocked&) = delete;
  ~signals_blocked() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

 private:
  sigset_t previous_{};
};

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

void write_file_atomically(const std::string& path, const piece_producer& produce) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    if (S_ISDIR(info.st_mode)) throw error(fmt::format("cannot write '{}': is a directory", path));
    file_descriptor fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (fd.get() < 0) fail("open", path, errno);
    produce([&](std::span<const std::byte> bytes) { write_all(fd.get(), bytes, path); });
    if (fd.close() != 0) fail("write", path, errno);
    return;
  }
  std::string temporary = path + ".tmp-XXXXXX";
  if (temporary.size() >= temporary_path.size()) fail("create a file beside", path, ENAMETOOLONG);
  int created = -1;
  int create_error = 0;
  {
    const signals_blocked blocked;
    created = ::mkstemp(temporary.data());
    create_error = errno;
    if (created >= 0) {
      std::memcpy(temporary_path.data(), temporary.c_str(), temporary.size() + 1);
      temporary_in_flight.store(true);
    }
  }
  file_descriptor fd(created);
  if (fd.get() < 0) fail("create a file beside", path, create_error);
  try {
    produce([&](std::span<const std::byte> bytes) { write_all(fd.get(), bytes, path); });
    if (::fsync(fd.get()) != 0) fail("write", path, errno);
    ::fchmod(
        fd.get(), 0644 & ~[] {
          const mode_t mask = ::umask(0);
          ::umask(mask);
          return mask;
        }());
    if (fd.close() != 0) fail("write", path, errno);
    if (::rename(temporary.c_str(), path.c_str()) != 0) fail("rename a file to", path, errno);
    temporary_in_flight.store(false);
  } catch (...) {
    ::unlink(temporary.c_str());
    temporary_in_flight.store(false);
    throw;
  }
}

void write_file_atomically(const std::string& path, std::span<const std::byte> bytes) {
  write_file_atomically(path, [bytes](const piece_writer& write) { write(bytes); });
}

void write_text_output(const std::string& path, const text_producer& produce) {
  if (path.empty()) {
    produce(write_stdout);
    return;
  }
  constexpr std::size_t write_size = std::size_t{1} << 20;
  write_file_atomically(path, [&produce](const piece_writer& write) {
    std::string pending;
    const auto flush = [&] {
      write(std::as_bytes(std::span(pending)));
      pending.clear();
    };
    produce([&](std::string_view text) {
      if (pending.size() + text.size() < write_size) {
        pending += text;
        return;
      }
      flush();
      if (text.size() >= write_size) {
        write(std::as_bytes(std::span(text)));
      } else {
        pending = text;
      }
    });
    flush();
  });
}

void install_signal_cleanup() {
  for (const int s : cleanup_signals) {
    struct sigaction previous {};
    if (::sigaction(s, nullptr, &previous) != 0 || previous.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = remove_temporary_and_reraise;
    ::sigemptyset(&action.sa_mask);
    for (const int blocked : cleanup_signals) ::sigaddset(&action.sa_mask, blocked);
    ::sigaction(s, &action, nullptr);
  }
}

void write_stdout(std::string_view text) {
  const std::size_t written = std::fwrite(text.data(), 1, text.size(), stdout);
  if (written == text.size() && std::fflush(stdout) == 0) return;
  if (errno == EPIPE) {
    std::signal(SIGPIPE, SIG_DFL);
    std::raise(SIGPIPE);
    std::_Exit(128 + SIGPIPE);
  }
  throw error("cannot write the report to standard output");
}

}  // namespace embcheck::cli
