#include "embcheck/table.hpp"

#include <algorithm>

namespace embcheck {

std::string_view to_string(element_type type) noexcept {
  return type == element_type::float32 ? "float32" : "float64";
}

table make_table(std::size_t rows, std::size_t dim, std::span<const double> values, element_type type) {
  table out;
  out.rows = rows;
  out.dim = dim;
  out.source_type = type;
  if (type == element_type::float32) {
    out.floats.resize(values.size());
    std::transform(values.begin(), values.end(), out.floats.begin(),
                   [](double x) { return static_cast<float>(x); });
  } else {
    out.doubles.assign(values.begin(), values.end());
  }
  return out;
}

}  // namespace embcheck
