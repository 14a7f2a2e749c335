// The CLI's table input: file access and format detection in front of the library's parsers.
//
// The file is read whole with read(2) into one buffer (one extra copy of the table beside the
// parsed values) rather than mapped: a mapped file that another process truncates raises SIGBUS,
// while reads see the size change, which is reported as an error. The size is taken by fstat
// before reading and the read must end exactly there.

#include "cli/input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "embcheck/error.hpp"
#include "embcheck/read/decode.hpp"
#include "embcheck/read/npy.hpp"
#include "embcheck/read/npz.hpp"
#include "embcheck/read/safetensors.hpp"
#include "embcheck/read/word_vectors.hpp"

namespace embcheck::cli {

namespace {

class file_descriptor {
 public:
  explicit file_descriptor(int fd) : fd_(fd) {}
  file_descriptor(const file_descriptor&) = delete;
  file_descriptor& operator=(const file_descriptor&) = delete;
  ~file_descriptor() {
    if (fd_ > 2) ::close(fd_);
  }
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_;
};

std::string system_reason() { return std::strerror(errno); }

/// Reads everything from `fd`; `expected` (a regular file's size) must be met exactly.
std::vector<std::byte> read_all(int fd, std::optional<std::size_t> expected) {
  std::vector<std::byte> bytes(expected.value_or(std::size_t{1} << 16));
  std::size_t done = 0;
  while (true) {
    if (done == bytes.size()) {
      if (expected) {
        std::byte probe{};
        const ssize_t extra = ::read(fd, &probe, 1);
        if (extra > 0) throw error(fmt::format("the file grew while being read, beyond offset {}", done));
        break;
      }
      bytes.resize(bytes.size() * 2);
    }
    const std::size_t want = std::min<std::size_t>(bytes.size() - done, std::size_t{1} << 30);
    const ssize_t got = ::read(fd, bytes.data() + done, want);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw error(fmt::format("read error at offset {}: {}", done, system_reason()));
    }
    if (got == 0) {
      if (expected && done != *expected) {
        throw error(
            fmt::format("the file shrank while being read: it ended at offset {} of {}", done, *expected));
      }
      break;
    }
    done += static_cast<std::size_t>(got);
  }
  bytes.resize(done);
  return bytes;
}

std::vector<std::byte> read_input(const std::string& path) {
  if (path == "-") return read_all(STDIN_FILENO, std::nullopt);
  const file_descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw error(fmt::format("cannot open: {}", system_reason()));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throw error(fmt::format("cannot stat: {}", system_reason()));
  if (S_ISDIR(info.st_mode)) throw error("is a directory, not a table file");
  // Regular files of size 0 may still have content (/proc); they are read as streams.
  if (S_ISREG(info.st_mode) && info.st_size > 0)
    return read_all(fd.get(), static_cast<std::size_t>(info.st_size));
  return read_all(fd.get(), std::nullopt);
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool starts_with_bytes(std::span<const std::byte> bytes, std::string_view prefix) {
  if (bytes.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::to_integer<char>(bytes[i]) != prefix[i]) return false;
  }
  return true;
}

/// A first line "count dim" followed by bytes that are not text: word2vec's binary format.
bool looks_like_word2vec_binary(std::span<const std::byte> bytes) {
  std::size_t i = 0;
  int fields = 0;
  while (i < bytes.size() && i < 64) {
    const auto c = std::to_integer<char>(bytes[i]);
    if (c == '\n') break;
    if (c >= '0' && c <= '9') {
      if (i == 0 || std::to_integer<char>(bytes[i - 1]) == ' ') ++fields;
    } else if (c != ' ' && c != '\r') {
      return false;
    }
    ++i;
  }
  if (fields != 2 || i >= bytes.size() || i >= 64) return false;
  const std::size_t end = std::min(bytes.size(), i + 4096);
  return std::any_of(bytes.begin() + static_cast<std::ptrdiff_t>(i),
                     bytes.begin() + static_cast<std::ptrdiff_t>(end), [](std::byte b) {
                       const auto u = std::to_integer<unsigned char>(b);
                       return u == 0 || (u < 0x20 && u != '\n' && u != '\r' && u != '\t') || u >= 0x80;
                     });
}

/// The format of `bytes`: magic bytes first, then the extension, then text if it looks like text.
std::string detect_format(const std::string& path, std::span<const std::byte> bytes,
                          const input_options& options) {
  if (options.format != "auto") return options.format;
  if (!options.dtype.empty()) return "raw";
  if (starts_with_bytes(bytes, "\x93NUMPY")) return "npy";
  if (starts_with_bytes(bytes, "PK\x03\x04") || starts_with_bytes(bytes, std::string_view("PK\x05\x06", 4))) {
    return "npz";
  }
  if (bytes.size() >= 9 && std::to_integer<char>(bytes[8]) == '{') {
    std::uint64_t length = 0;
    for (std::size_t i = 8; i-- > 0;) length = (length << 8) | std::to_integer<std::uint64_t>(bytes[i]);
    if (length <= bytes.size() - 8) return "safetensors";
  }
  if (looks_like_word2vec_binary(bytes)) return "word2vec";
  if (ends_with(path, ".npy")) return "npy";
  if (ends_with(path, ".npz")) return "npz";
  if (ends_with(path, ".safetensors")) return "safetensors";
  if (ends_with(path, ".vec") || ends_with(path, ".txt")) return "text";
  if (bytes.empty()) throw error("empty input: the file has no bytes");
  const std::size_t probe = std::min<std::size_t>(bytes.size(), 4096);
  const bool text =
      std::none_of(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(probe), [](std::byte b) {
        const auto c = std::to_integer<unsigned char>(b);
        return c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t');
      });
  if (text) return "text";
  throw error(
      "unknown format: not .npy, .npz, safetensors, word2vec or text; name one with --input-format (raw "
      "needs "
      "--dtype and --dim)");
}

loaded_input parse_as(const std::string& format, const std::string& path, std::span<const std::byte> bytes,
                      const input_options& options) {
  if (format != "npz" && format != "safetensors" && !options.tensor.empty()) {
    throw error(fmt::format("--tensor applies to .npz and safetensors files, this is read as {}", format));
  }
  loaded_input out;
  out.format = format;
  if (format == "npy") {
    out.values = parse_npy(bytes);
  } else if (format == "npz") {
    out.values = parse_npz(bytes, options.tensor);
  } else if (format == "safetensors") {
    out.values = parse_safetensors(bytes, options.tensor);
  } else if (format == "text") {
    word_table words = parse_word_vectors(bytes);
    out.values = std::move(words.values);
    out.words = std::move(words.words);
  } else if (format == "word2vec") {
    word_table words = parse_word2vec_binary(bytes);
    out.values = std::move(words.values);
    out.words = std::move(words.words);
  } else if (format == "raw") {
    const std::optional<stored_type> type = stored_type_from_name(options.dtype);
    if (!type) {
      throw error(fmt::format("raw input needs --dtype f32, f64, f16 or bf16{}",
                              options.dtype.empty() ? "" : fmt::format(", not '{}'", options.dtype)));
    }
    if (options.dim == 0) throw error("raw input needs --dim N (values per row)");
    out.values = parse_raw(bytes, *type, options.dim);
  } else {
    throw error(fmt::format(
        "unknown --input-format '{}' for {}: expected auto, npy, npz, safetensors, text, word2vec or raw",
        format, path));
  }
  return out;
}

}  // namespace

loaded_input load_input_with_words(const std::string& path, const input_options& options) {
  try {
    const std::vector<std::byte> bytes = read_input(path);
    if (bytes.empty()) throw error("empty input: no bytes at offset 0");
    return parse_as(detect_format(path, bytes, options), path, bytes, options);
  } catch (const error& e) {
    throw error(fmt::format("'{}': {}", path == "-" ? "<stdin>" : path, e.what()));
  } catch (const std::bad_alloc&) {
    throw error(fmt::format("'{}': not enough memory to read the table", path));
  }
}

table load_input(const std::string& path, const input_options& options) {
  return load_input_with_words(path, options).values;
}

}  // namespace embcheck::cli
