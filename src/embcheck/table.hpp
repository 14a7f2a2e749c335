#pragma once
/// \file table.hpp
/// A dense row-major table of values, the unit every stage of the pipeline passes on.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace embcheck {

/// The element type a table came from (values are held as double either way).
enum class element_type { float32, float64 };

/// Name of an element type as NumPy spells it ("float32", "float64").
std::string_view to_string(element_type type) noexcept;

/// A rows x dim table in row-major order; float32 sources convert to double exactly.
struct table {
  std::size_t rows = 0;                              ///< number of rows
  std::size_t dim = 0;                               ///< values per row
  element_type source_type = element_type::float32;  ///< type the values were produced in
  std::vector<double> values;                        ///< rows * dim values, row after row

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
