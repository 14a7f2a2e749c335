#pragma once
/// \file digest.hpp
/// SHA-256 digests of tables' bytes, for bit-level regression checks (OpenSSL's libcrypto).

#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace embcheck {

/// Lower-case hex SHA-256 of `bytes` (what `sha256sum` prints for the same bytes).
[[nodiscard]] std::string sha256_hex(std::span<const std::byte> bytes);

/// SHA-256 of values rounded to float32 and laid out little-endian, as numpy's
/// `hashlib.sha256(a.astype('<f4').tobytes())`.
[[nodiscard]] std::string sha256_float32_hex(std::span<const double> values);
/// SHA-256 of float values' own little-endian bytes.
[[nodiscard]] std::string sha256_float32_hex(std::span<const float> values);

/// SHA-256 of values fed in pieces, as sha256_float32_hex (or the float64 bytes) of them all.
class sha256_stream {
 public:
  /// Starts an empty digest of float32 (`float64` false) or float64 bytes.
  explicit sha256_stream(bool float64 = false);
  ~sha256_stream();
  sha256_stream(const sha256_stream&) = delete;
  sha256_stream& operator=(const sha256_stream&) = delete;
  /// Adds `values`, rounded to float32 unless the digest is of float64 bytes.
  void update(std::span<const double> values);
  /// Adds float `values` (their own bytes, or as double for a float64 digest).
  void update(std::span<const float> values);
  /// Adds `values` as update() does and returns their own hex digest, each value read once.
  [[nodiscard]] std::string update_and_digest(std::span<const double> values);
  /// update_and_digest of float values.
  [[nodiscard]] std::string update_and_digest(std::span<const float> values);
  /// The lower-case hex digest of everything added; the stream is finished.
  [[nodiscard]] std::string finish();

 private:
  struct state;
  std::unique_ptr<state> state_;
  bool float64_;
};

}  // namespace embcheck
