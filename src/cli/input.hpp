#pragma once
/// \file input.hpp
/// The CLI's table input: reads a file (or stdin for "-") and parses it in the format its magic
/// bytes, its extension or --input-format name.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "embcheck/read/decode.hpp"
#include "embcheck/statistics/streaming.hpp"
#include "embcheck/table.hpp"

namespace embcheck::cli {

/// What --input-format, --tensor, --dtype and --dim asked for.
struct input_options {
  std::string format = "auto";  ///< auto, npy, npz, safetensors, text (GloVe/.vec), word2vec (binary) or raw
  std::string tensor;           ///< array of an .npz or tensor of a safetensors file ("" = the only one)
  std::string dtype;            ///< raw only: f32, f64, f16 or bf16
  std::size_t dim = 0;          ///< raw only: values per row
};

/// A table read from a file, with the words of word-vector text.
struct loaded_input {
  table values;                    ///< the table
  std::vector<std::string> words;  ///< one word per row for word-vector text, else empty
  std::string format;              ///< the format it was read as ("npy", "npz", ...)
};

/// A table file of fixed-size elements (.npy, raw numbers) read a block at a time with pread(2),
/// never whole: rows stream through a buffer of one block, or fill a held table directly.
class stored_rows final : public row_source {
 public:
  /// Takes `fd` (open on the regular file `path` of `file_size` bytes, read as `format`) holding `layout`.
  stored_rows(int fd, std::string path, std::string format, std::uint64_t file_size,
              const stored_layout& layout) noexcept;
  ~stored_rows() override;
  stored_rows(const stored_rows&) = delete;
  stored_rows& operator=(const stored_rows&) = delete;

  [[nodiscard]] std::size_t rows() const noexcept override { return layout_.rows; }
  [[nodiscard]] std::size_t dim() const noexcept override { return layout_.dim; }
  [[nodiscard]] element_type type() const noexcept override { return table_type(layout_.type); }
  /// Reads and converts the next `count` rows (row-major files only, see row_major()).
  [[nodiscard]] std::span<const double> next_rows(std::size_t count) override;
  /// The rows can be streamed: the file is not stored column after column.
  [[nodiscard]] bool row_major() const noexcept { return !layout_.column_major; }
  /// The whole table, converted straight into it (no copy of the file's bytes is held).
  [[nodiscard]] table read_table();
  /// The format the file is read as ("npy" or "raw").
  [[nodiscard]] const std::string& format() const noexcept { return format_; }

 private:
  /// Reads and converts the stored values [first, first + count) into `out`, whose element 0 is
  /// stored value `out_first` (column-major files: `out` is the whole row-major table, out_first 0).
  /// T is double, or float for every stored type but float64.
  template <class T>
  void read_values(std::size_t first, std::size_t count, std::span<T> out, std::size_t out_first);

  int fd_;
  std::string path_;
  std::string format_;
  std::uint64_t file_size_;
  stored_layout layout_;
  std::size_t next_value_ = 0;
  std::vector<std::byte> bytes_;
  std::vector<double> values_;
};

/// Opens `path` as stored_rows when it is a regular file read as .npy or raw numbers; nullptr for
/// standard input, other kinds of file and other formats (which load_input_with_words reads
/// whole). Throws embcheck::error "'PATH': problem" for a file that cannot be opened or whose
/// header is wrong.
[[nodiscard]] std::unique_ptr<stored_rows> open_stored_rows(const std::string& path,
                                                            const input_options& options);

/// open_stored_rows for --stream: also throws "'PATH': problem" when the rows cannot be streamed
/// (standard input, a format read whole, a Fortran-order .npy).
[[nodiscard]] std::unique_ptr<stored_rows> open_streamed_rows(const std::string& path,
                                                              const input_options& options);

/// Reads and parses `path` ("-" = stdin); throws embcheck::error "'PATH': problem" on any failure.
[[nodiscard]] loaded_input load_input_with_words(const std::string& path, const input_options& options);

/// Reads and parses `path` ("-" = stdin), as load_input_with_words without the words.
[[nodiscard]] table load_input(const std::string& path, const input_options& options);

}  // namespace embcheck::cli
