#pragma once
/// \file row_stream.hpp
/// The rows of generate_table, a block at a time, in memory independent of the number of rows.

#include <cstddef>
#include <memory>
#include <span>

#include "embcheck/generate/generate.hpp"

namespace embcheck {

/// Produces the rows of generate_table(spec) in order, a block at a time, without holding the table.
class row_stream {
 public:
  /// Validates `spec` as generate_table does (throws embcheck::error) and starts at row 0.
  explicit row_stream(const generate_spec& spec);
  ~row_stream();
  row_stream(row_stream&& other) noexcept;
  row_stream& operator=(row_stream&& other) noexcept;
  row_stream(const row_stream&) = delete;
  row_stream& operator=(const row_stream&) = delete;

  /// Rows of the whole table.
  [[nodiscard]] std::size_t rows() const noexcept { return rows_; }
  /// Values per row.
  [[nodiscard]] std::size_t dim() const noexcept { return dim_; }
  /// Index of the next row to be produced (rows() once all are produced).
  [[nodiscard]] std::size_t next_row() const noexcept { return next_row_; }

  /// Fills `out` (size k * dim, k <= rows() - next_row()) with the next k rows, as double
  /// (the float32 values converted exactly); throws embcheck::error for any other size.
  void next_rows(std::span<double> out);
  /// Fills `out` (size k * dim, k <= rows() - next_row()) with the next k rows as float32.
  void next_rows(std::span<float> out);

 private:
  struct state;

  template <typename T>
  void fill(std::span<T> out);

  std::size_t rows_ = 0;
  std::size_t dim_ = 0;
  std::size_t next_row_ = 0;
  std::unique_ptr<state> state_;
};

}  // namespace embcheck
