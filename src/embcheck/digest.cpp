// SHA-256 (FIPS 180-4) through OpenSSL's low-level SHA256_Init/Update/Final.
//
// Decision: OpenSSL 3 deprecates these in favour of EVP, but EVP's first use sets up the
// library context, reads openssl.cnf and fetches the algorithm from its provider: 0.87 ms of
// every run, and loading the shared libcrypto another 0.6 ms (throwaway programs, perf stat of
// 100 runs: 2.55 ms for EVP's first digest in a program that does nothing else, 1.22 ms for
// these functions with libcrypto linked statically, against 1.13 ms for an empty C++ program).
// That was half of embcheck's start-up, more than testing a small table. The low-level functions
// run the same assembly (SHA-NI where the CPU has it: 400 MB in 202 ms either way) and need no
// initialisation; CMakeLists.txt links libcrypto.a, of which they add 26 KB to the program.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "embcheck/digest.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "embcheck/error.hpp"

namespace embcheck {
namespace {

void start(SHA256_CTX* context) {
  if (SHA256_Init(context) != 1) throw error("cannot initialise SHA-256 (OpenSSL)");
}

/// A context for one digest at a time on this thread, started.
SHA256_CTX* started_thread_context() {
  thread_local SHA256_CTX context;
  start(&context);
  return &context;
}

void update(SHA256_CTX* context, const void* data, std::size_t size) {
  if (SHA256_Update(context, data, size) != 1) throw error("SHA-256 update failed (OpenSSL)");
}

std::string finish(SHA256_CTX* context) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  if (SHA256_Final(digest.data(), context) != 1) throw error("SHA-256 final failed (OpenSSL)");
  constexpr std::string_view hex_digits = "0123456789abcdef";
  std::string hex(2 * digest.size(), '0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = hex_digits[digest[i] >> 4];
    hex[2 * i + 1] = hex_digits[digest[i] & 0xf];
  }
  return hex;
}

}  // namespace

std::string sha256_hex(std::span<const std::byte> bytes) {
  SHA256_CTX* context = started_thread_context();
  update(context, bytes.data(), bytes.size());
  return finish(context);
}

namespace {

/// Adds the bytes of `values` as float32 (or float64 when `float64`) to each of `contexts`, a
/// chunk at a time: every value is read and converted once however many digests take it, and
/// values already of the digest's type are hashed where they lie.
template <std::size_t Contexts, class T>
void update_all(const std::array<SHA256_CTX*, Contexts>& contexts, std::span<const T> values, bool float64) {
  static_assert(std::endian::native == std::endian::little, "embcheck assumes a little-endian host");
  constexpr std::size_t chunk = 4096;
  const auto hash_as = [&]<class U>(std::size_t start, std::size_t count, U*) {
    if constexpr (std::is_same_v<T, U>) {
      for (SHA256_CTX* context : contexts) update(context, values.data() + start, count * sizeof(U));
    } else {
      std::array<U, chunk> buffer;  // written before it is read
      for (std::size_t i = 0; i < count; ++i) buffer[i] = static_cast<U>(values[start + i]);
      for (SHA256_CTX* context : contexts) update(context, buffer.data(), count * sizeof(U));
    }
  };
  for (std::size_t start = 0; start < values.size(); start += chunk) {
    const std::size_t count = std::min(chunk, values.size() - start);
    if (float64) {
      hash_as(start, count, static_cast<double*>(nullptr));
    } else {
      hash_as(start, count, static_cast<float*>(nullptr));
    }
  }
}

template <class T>
std::string float32_hex(std::span<const T> values) {
  SHA256_CTX* context = started_thread_context();
  update_all(std::array{context}, values, false);
  return finish(context);
}

}  // namespace

std::string sha256_float32_hex(std::span<const double> values) { return float32_hex(values); }

std::string sha256_float32_hex(std::span<const float> values) { return float32_hex(values); }

struct sha256_stream::state {
  SHA256_CTX context;
  state() { start(&context); }
};

sha256_stream::sha256_stream(bool float64) : state_(std::make_unique<state>()), float64_(float64) {}

sha256_stream::~sha256_stream() = default;

void sha256_stream::update(std::span<const double> values) {
  update_all(std::array{&state_->context}, values, float64_);
}

void sha256_stream::update(std::span<const float> values) {
  update_all(std::array{&state_->context}, values, float64_);
}

std::string sha256_stream::update_and_digest(std::span<const double> values) {
  SHA256_CTX* const own = started_thread_context();
  update_all(std::array{&state_->context, own}, values, float64_);
  return embcheck::finish(own);
}

std::string sha256_stream::update_and_digest(std::span<const float> values) {
  SHA256_CTX* const own = started_thread_context();
  update_all(std::array{&state_->context, own}, values, float64_);
  return embcheck::finish(own);
}

std::string sha256_stream::finish() { return embcheck::finish(&state_->context); }

}  // namespace embcheck
