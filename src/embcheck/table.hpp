#pragma once
/// \file table.hpp
/// A dense row-major table of values, the unit every stage of the pipeline passes on.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace embcheck {

/// The element type a table came from, and holds its values in.
enum class element_type { float32, float64 };

/// Name of an element type as NumPy spells it ("float32", "float64").
std::string_view to_string(element_type type) noexcept;

namespace detail {

/// std::allocator, except that value-initialising a trivial element (vector::resize) leaves its
/// memory as it is: a large table is not zeroed by one thread before it is filled, and its
/// pages are first touched by the threads that fill them. Whoever resizes must fill.
template <class T>
struct default_init_allocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = default_init_allocator<U>;  ///< the same allocator for U
  };
  using std::allocator<T>::allocator;
  /// Default-initialises (for double: leaves the memory as it is).
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  /// Constructs from `args`.
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

}  // namespace detail

/// Values held by a table: resize() leaves new values unset (see default_init_allocator).
template <class T>
using value_vector = std::vector<T, detail::default_init_allocator<T>>;

/// float64 values, row after row.
using table_values = value_vector<double>;

/// float32 values, row after row.
using table_floats = value_vector<float>;

/// A rows x dim table in row-major order, held in its source type: float32 tables in `floats`
/// (4 bytes a value, as PyTorch holds them), float64 tables in `doubles`. Computations read
/// either through visit() and take each value to double as they read it.
struct table {
  std::size_t rows = 0;                              ///< number of rows
  std::size_t dim = 0;                               ///< values per row
  element_type source_type = element_type::float32;  ///< which of the two vectors holds the values
  table_floats floats;                               ///< rows * dim values when source_type is float32
  table_values doubles;                              ///< rows * dim values when source_type is float64

  /// rows * dim.
  [[nodiscard]] std::size_t size() const noexcept { return rows * dim; }

  /// Values the vector of source_type holds (size() once the table is filled).
  [[nodiscard]] std::size_t held() const noexcept {
    return source_type == element_type::float32 ? floats.size() : doubles.size();
  }

  /// Sizes the vector of source_type to size() values, left unset for the caller to fill.
  void allocate() {
    if (source_type == element_type::float32) {
      floats.resize(size());
    } else {
      doubles.resize(size());
    }
  }

  /// Value `index` (row-major, index < size()) as double.
  [[nodiscard]] double value(std::size_t index) const noexcept {
    return source_type == element_type::float32 ? static_cast<double>(floats[index]) : doubles[index];
  }

  /// f(std::span<const float>) or f(std::span<const double>): all the values.
  template <class F>
  decltype(auto) visit(F&& f) const {
    if (source_type == element_type::float32) return f(std::span<const float>(floats.data(), size()));
    return f(std::span<const double>(doubles.data(), size()));
  }

  /// f(std::span<float>) or f(std::span<double>): all the values, to fill them.
  template <class F>
  decltype(auto) visit(F&& f) {
    if (source_type == element_type::float32) return f(std::span<float>(floats.data(), size()));
    return f(std::span<double>(doubles.data(), size()));
  }

  /// f(std::span<const float>) or f(std::span<const double>): the values of row `index` (< rows).
  template <class F>
  decltype(auto) visit_row(std::size_t index, F&& f) const {
    if (source_type == element_type::float32)
      return f(std::span<const float>(floats.data() + index * dim, dim));
    return f(std::span<const double>(doubles.data() + index * dim, dim));
  }

  /// The values of row `index` (< rows) as doubles, a copy (for the few rows a report shows).
  [[nodiscard]] std::vector<double> row_copy(std::size_t index) const {
    return visit_row(index, [](auto row) { return std::vector<double>(row.begin(), row.end()); });
  }
};

/// A table of `type` holding `values` (rows * dim of them; for float32 each is rounded to float).
[[nodiscard]] table make_table(std::size_t rows, std::size_t dim, std::span<const double> values,
                               element_type type = element_type::float32);

/// Row `index` of a table of `rows` rows, a negative index counting from the end as
/// nn.Embedding's padding_idx does (-rows <= index < rows).
[[nodiscard]] inline std::size_t row_at_index(std::int64_t index, std::size_t rows) noexcept {
  return static_cast<std::size_t>(index < 0 ? index + static_cast<std::int64_t>(rows) : index);
}

/// The values of every row of `values` but `left_out` (a padding row), row after row: the table's
/// own storage when no row is left out, else a copy made in `storage`.
template <class T>
[[nodiscard]] std::span<const T> pooled_values(std::span<const T> values, std::size_t dim,
                                               std::optional<std::size_t> left_out, std::vector<T>& storage) {
  const std::size_t rows = dim == 0 ? 0 : values.size() / dim;
  if (!left_out || *left_out >= rows) return values;
  storage.clear();
  storage.reserve((rows - 1) * dim);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i == *left_out) continue;
    const auto row = values.subspan(i * dim, dim);
    storage.insert(storage.end(), row.begin(), row.end());
  }
  return storage;
}

}  // namespace embcheck
