#include "embcheck/table.hpp"

namespace embcheck {

std::string_view to_string(element_type type) noexcept {
  return type == element_type::float32 ? "float32" : "float64";
}

std::span<const double> pooled_values(const table& values, std::optional<std::size_t> left_out,
                                      std::vector<double>& storage) {
  if (!left_out || *left_out >= values.rows) return values.values;
  storage.clear();
  storage.reserve((values.rows - 1) * values.dim);
  for (std::size_t i = 0; i < values.rows; ++i) {
    if (i == *left_out) continue;
    const std::span<const double> row = values.row(i);
    storage.insert(storage.end(), row.begin(), row.end());
  }
  return storage;
}

}  // namespace embcheck
