#include "embcheck/table.hpp"

namespace embcheck {

std::string_view to_string(element_type type) noexcept {
  return type == element_type::float32 ? "float32" : "float64";
}

}  // namespace embcheck
