#pragma once
/// \file digest.hpp
/// SHA-256 digests of tables' bytes, for bit-level regression checks (OpenSSL's libcrypto).

#include <cstddef>
#include <span>
#include <string>

namespace embcheck {

/// Lower-case hex SHA-256 of `bytes` (what `sha256sum` prints for the same bytes).
[[nodiscard]] std::string sha256_hex(std::span<const std::byte> bytes);

/// SHA-256 of values rounded to float32 and laid out little-endian, as numpy's
/// `hashlib.sha256(a.astype('<f4').tobytes())`.
[[nodiscard]] std::string sha256_float32_hex(std::span<const double> values);

}  // namespace embcheck
