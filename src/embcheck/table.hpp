#pragma once
/// \file table.hpp
/// A dense row-major table of values, the unit every stage of the pipeline passes on.

#include <cstddef>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace embcheck {

/// The element type a table came from (values are held as double either way).
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

/// The values of a table: resize() leaves new values unset (see default_init_allocator).
using table_values = std::vector<double, detail::default_init_allocator<double>>;

/// A rows x dim table in row-major order; float32 sources convert to double exactly.
struct table {
  std::size_t rows = 0;                              ///< number of rows
  std::size_t dim = 0;                               ///< values per row
  element_type source_type = element_type::float32;  ///< type the values were produced in
  table_values values;                               ///< rows * dim values, row after row

  /// The values of row `index` (index < rows).
  [[nodiscard]] std::span<const double> row(std::size_t index) const noexcept {
    return {values.data() + index * dim, dim};
  }
};

/// The values of every row of `values` but `left_out` (a padding row), row after row: the table's
/// own storage when no row is left out, else a copy made in `storage`.
[[nodiscard]] std::span<const double> pooled_values(const table& values, std::optional<std::size_t> left_out,
                                                    std::vector<double>& storage);

}  // namespace embcheck
