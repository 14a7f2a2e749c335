#pragma once
/// \file error.hpp
/// The one exception type of embcheck, in the style of fmt::format_error.

#include <stdexcept>

namespace embcheck {

/// Thrown for input that cannot be used (a malformed file, an impossible request).
/// The message is one line that names what is wrong; the CLI prefixes the file or option.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace embcheck
