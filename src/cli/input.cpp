// The CLI's table input: file access and format detection in front of the library's parsers.
//
// Files of fixed-size elements (.npy, raw numbers) are read with pread(2) a block at a time and
// converted straight into the table or the streamed block, so no copy of the file's bytes is
// held; other formats are read whole with read(2) into one buffer (one extra copy of the table
// beside the parsed values). Neither maps the file: a mapped file that another process truncates
// raises SIGBUS, while reads see the size change, which is reported as an error. The size is
// taken by fstat before reading and the reads must end exactly there. While a block is converted
// and tested, posix_fadvise(WILLNEED) asks the kernel to read the next one, so a cold file is
// read while the previous block is being worked on.

#include "cli/input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
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
  file_descriptor(file_descriptor&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  file_descriptor(const file_descriptor&) = delete;
  file_descriptor& operator=(const file_descriptor&) = delete;
  file_descriptor& operator=(file_descriptor&&) = delete;
  ~file_descriptor() {
    if (fd_ > 2) ::close(fd_);
  }
  [[nodiscard]] int get() const noexcept { return fd_; }
  /// Gives up ownership: the descriptor is no longer closed here.
  void release() noexcept { fd_ = -1; }

 private:
  int fd_;
};

std::string system_reason() { return std::strerror(errno); }

/// The error for a file that ended at `offset`, before the `size` fstat gave.
error file_shrank(std::uint64_t offset, std::uint64_t size) {
  return error(fmt::format("the file shrank while being read: it ended at offset {} of {}", offset, size));
}

/// The error for a file that has bytes beyond the `size` fstat gave.
error file_grew(std::uint64_t size) {
  return error(fmt::format("the file grew while being read, beyond offset {}", size));
}

/// Reads everything from `fd`; `expected` (a regular file's size) must be met exactly.
std::vector<std::byte> read_all(int fd, std::optional<std::size_t> expected) {
  std::vector<std::byte> bytes(expected.value_or(std::size_t{1} << 16));
  std::size_t done = 0;
  while (true) {
    if (done == bytes.size()) {
      if (expected) {
        std::byte probe{};
        const ssize_t extra = ::read(fd, &probe, 1);
        if (extra > 0) throw file_grew(done);
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
      if (expected && done != *expected) throw file_shrank(done, *expected);
      break;
    }
    done += static_cast<std::size_t>(got);
  }
  bytes.resize(done);
  return bytes;
}

/// An open file and what fstat says of it; directories are refused.
struct opened_file {
  file_descriptor fd;
  bool regular = false;
  std::uint64_t size = 0;
};

opened_file open_file(const std::string& path) {
  opened_file file{file_descriptor(::open(path.c_str(), O_RDONLY | O_CLOEXEC))};
  if (file.fd.get() < 0) throw error(fmt::format("cannot open: {}", system_reason()));
  struct stat info {};
  if (::fstat(file.fd.get(), &info) != 0) throw error(fmt::format("cannot stat: {}", system_reason()));
  if (S_ISDIR(info.st_mode)) throw error("is a directory, not a table file");
  file.regular = S_ISREG(info.st_mode);
  file.size = static_cast<std::uint64_t>(info.st_size);
  return file;
}

std::vector<std::byte> read_input(const std::string& path) {
  if (path == "-") return read_all(STDIN_FILENO, std::nullopt);
  const opened_file file = open_file(path);
  // Regular files of size 0 may still have content (/proc); they are read as streams.
  if (file.regular && file.size > 0) return read_all(file.fd.get(), static_cast<std::size_t>(file.size));
  return read_all(file.fd.get(), std::nullopt);
}

/// Reads exactly `count` bytes at `offset` of a file of `file_size` bytes into `out`.
void read_at(int fd, std::uint64_t offset, std::byte* out, std::size_t count, std::uint64_t file_size) {
  std::size_t done = 0;
  while (done < count) {
    const ssize_t got = ::pread(fd, out + done, count - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw error(fmt::format("read error at offset {}: {}", offset + done, system_reason()));
    }
    if (got == 0) {
      throw file_shrank(offset + done, file_size);
    }
    done += static_cast<std::size_t>(got);
  }
}

/// Bytes read at most per pread and conversion: 4 MiB, a block of a streamed check in float32.
constexpr std::size_t read_block_bytes = std::size_t{1} << 22;

/// "'PATH': what" for errors of the input `path` ("-" = standard input).
template <typename Body>
auto naming_the_file(const std::string& path, Body&& body) {
  try {
    return body();
  } catch (const error& e) {
    throw error(fmt::format("'{}': {}", path == "-" ? "<stdin>" : path, e.what()));
  } catch (const std::bad_alloc&) {
    throw error(fmt::format("'{}': not enough memory to read the table", path));
  }
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

/// Whether `bytes` start as word2vec's binary format: a first line "count dim", then a word, a
/// space and raw float32 bytes. A text .vec file has the same first line, but its first word
/// (any UTF-8, so bytes of 0x80 and above prove nothing) is followed by decimal numbers up to the
/// end of its line; a binary record is followed by four bytes a value, which are all characters
/// of decimal numbers with a probability of (18/256)^4 per value at most.
bool looks_like_word2vec_binary(std::span<const std::byte> bytes) {
  const auto at = [&](std::size_t k) { return std::to_integer<unsigned char>(bytes[k]); };
  std::size_t i = 0;
  int fields = 0;
  while (i < bytes.size() && i < 64) {
    const auto c = at(i);
    if (c == '\n') break;
    if (c >= '0' && c <= '9') {
      if (i == 0 || at(i - 1) == ' ') ++fields;
    } else if (c != ' ' && c != '\r') {
      return false;
    }
    ++i;
  }
  if (fields != 2 || i >= bytes.size() || i >= 64) return false;
  const std::size_t end = std::min(bytes.size(), i + 1 + 8192);
  std::size_t k = i + 1;
  while (k < end && at(k) != ' ' && at(k) != '\n') ++k;  // the first word
  if (k >= end || at(k) != ' ') return false;
  const std::string_view number_characters = "0123456789+-.eE \t\r";
  for (++k; k < end && at(k) != '\n'; ++k) {
    if (number_characters.find(static_cast<char>(at(k))) == std::string_view::npos) return true;
  }
  return false;
}

/// The format of `bytes`: magic bytes first, then the extension, then text if it looks like text.
/// `bytes` is the file's start (at least its first 8 KiB) and `file_size` its whole size.
std::string detect_format(const std::string& path, std::span<const std::byte> bytes, std::uint64_t file_size,
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
    if (length <= file_size - 8) return "safetensors";
  }
  if (looks_like_word2vec_binary(bytes)) return "word2vec";
  if (ends_with(path, ".npy")) return "npy";
  if (ends_with(path, ".npz")) return "npz";
  if (ends_with(path, ".safetensors")) return "safetensors";
  if (ends_with(path, ".vec") || ends_with(path, ".txt")) return "text";
  if (file_size == 0) throw error("empty input: the file has no bytes");
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

/// --tensor names an array of a container: refused for any other format.
void check_tensor_option(const std::string& format, const input_options& options) {
  if (format != "npz" && format != "safetensors" && !options.tensor.empty()) {
    throw error(fmt::format("--tensor applies to .npz and safetensors files, this is read as {}", format));
  }
}

loaded_input parse_as(const std::string& format, const std::string& path, std::span<const std::byte> bytes,
                      const input_options& options) {
  check_tensor_option(format, options);
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

stored_rows::stored_rows(int fd, std::string path, std::string format, std::uint64_t file_size,
                         const stored_layout& layout) noexcept
    : fd_(fd), path_(std::move(path)), format_(std::move(format)), file_size_(file_size), layout_(layout) {}

stored_rows::~stored_rows() { ::close(fd_); }

template <class T>
void stored_rows::read_values(std::size_t first, std::size_t count, std::span<T> out, std::size_t out_first) {
  const std::size_t item = size_of(layout_.type);
  const std::size_t per_read = read_block_bytes / item;
  bytes_.resize(std::min(count, per_read) * item);
  naming_the_file(path_, [&] {
    for (std::size_t done = 0; done < count; done += per_read) {
      const std::size_t n = std::min(per_read, count - done);
      const std::uint64_t offset = layout_.data_offset + std::uint64_t{first + done} * item;
      read_at(fd_, offset, bytes_.data(), n * item, file_size_);
      const std::uint64_t ahead = offset + n * item;
      if (ahead < file_size_) {
        ::posix_fadvise(fd_, static_cast<off_t>(ahead),
                        static_cast<off_t>(std::min<std::uint64_t>(file_size_ - ahead, read_block_bytes)),
                        POSIX_FADV_WILLNEED);
      }
      if (layout_.column_major) {
        decode_stored(layout_, first + done, n, bytes_.data(), out);
      } else {
        decode_little_endian(bytes_.data(), n, layout_.type, out.data() + (first + done - out_first));
      }
    }
    if (first + count == layout_.rows * layout_.dim) {
      std::byte probe{};
      if (::pread(fd_, &probe, 1, static_cast<off_t>(file_size_)) > 0) {
        throw file_grew(file_size_);
      }
    }
    return 0;
  });
}

std::span<const double> stored_rows::next_rows(std::size_t count) {
  const std::size_t values = count * layout_.dim;
  values_.resize(values);
  read_values(next_value_, values, std::span<double>(values_), next_value_);
  next_value_ += values;
  return values_;
}

table stored_rows::read_table() {
  table result;
  result.rows = layout_.rows;
  result.dim = layout_.dim;
  result.source_type = table_type(layout_.type);
  naming_the_file(path_, [&] {
    result.allocate();
    return 0;
  });
  result.visit([&](auto values) { read_values(0, values.size(), values, 0); });
  return result;
}

std::unique_ptr<stored_rows> open_stored_rows(const std::string& path, const input_options& options) {
  if (path == "-") return nullptr;
  return naming_the_file(path, [&]() -> std::unique_ptr<stored_rows> {
    opened_file file = open_file(path);
    file_descriptor& fd = file.fd;
    if (!file.regular || file.size == 0) return nullptr;
    std::array<std::byte, 8192> start{};
    const auto start_size = static_cast<std::size_t>(std::min<std::uint64_t>(start.size(), file.size));
    read_at(fd.get(), 0, start.data(), start_size, file.size);
    const std::span<const std::byte> prefix(start.data(), start_size);
    const std::string format = detect_format(path, prefix, file.size, options);
    stored_layout layout;
    if (format == "npy" || format == "raw") check_tensor_option(format, options);
    if (format == "npy") {
      const std::size_t header_end = npy_header_end(prefix, file.size);
      if (header_end <= prefix.size()) {
        layout = parse_npy_header(prefix, file.size);
      } else {  // a header longer than the prefix (format 2.0 allows 4 GiB)
        std::vector<std::byte> header(header_end);
        read_at(fd.get(), 0, header.data(), header_end, file.size);
        layout = parse_npy_header(header, file.size);
      }
    } else if (format == "raw") {
      const std::optional<stored_type> type = stored_type_from_name(options.dtype);
      if (!type || options.dim == 0) return nullptr;  // load_input_with_words names what is missing
      layout = raw_layout(file.size, *type, options.dim);
    } else {
      return nullptr;
    }
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    auto rows = std::make_unique<stored_rows>(fd.get(), path, format, file.size, layout);
    fd.release();
    return rows;
  });
}

std::unique_ptr<stored_rows> open_streamed_rows(const std::string& path, const input_options& options) {
  std::unique_ptr<stored_rows> rows = open_stored_rows(path, options);
  naming_the_file(path, [&] {
    if (!rows && path == "-")
      throw error("--stream reads files, standard input is read whole (drop --stream)");
    if (!rows) {
      throw error(
          "--stream reads .npy and raw files row block by row block; this format is read whole (drop "
          "--stream)");
    }
    if (!rows->row_major()) {
      throw error(
          "--stream reads rows of C-order .npy files; this one is in Fortran order (column after column)");
    }
    return 0;
  });
  return rows;
}

loaded_input load_input_with_words(const std::string& path, const input_options& options) {
  if (const std::unique_ptr<stored_rows> stored = open_stored_rows(path, options)) {
    loaded_input out;
    out.values = stored->read_table();
    out.format = stored->format();
    return out;
  }
  return naming_the_file(path, [&] {
    const std::vector<std::byte> bytes = read_input(path);
    if (bytes.empty()) throw error("empty input: no bytes at offset 0");
    return parse_as(detect_format(path, bytes, bytes.size(), options), path, bytes, options);
  });
}

table load_input(const std::string& path, const input_options& options) {
  return load_input_with_words(path, options).values;
}

}  // namespace embcheck::cli
