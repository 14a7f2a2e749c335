// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface.
#include "embcheck/digest.hpp"

#include <openssl/evp.h>

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

struct md_context_deleter {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using md_context = std::unique_ptr<EVP_MD_CTX, md_context_deleter>;

struct md_deleter {
  void operator()(EVP_MD* method) const noexcept { EVP_MD_free(method); }
};

/// OpenSSL 3's SHA-256, fetched from its provider once: EVP_sha256() would look it up again on
/// every EVP_DigestInit_ex, which costs more than hashing one short row.
const EVP_MD* sha256_method() {
  static const std::unique_ptr<EVP_MD, md_deleter> method(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  if (!method) throw error("cannot fetch SHA-256 (OpenSSL)");
  return method.get();
}

void start(EVP_MD_CTX* context) {
  if (EVP_DigestInit_ex(context, sha256_method(), nullptr) != 1) {
    throw error("cannot initialise SHA-256 (OpenSSL)");
  }
}

md_context new_context() {
  md_context context(EVP_MD_CTX_new());
  if (!context) throw error("cannot allocate a SHA-256 context (OpenSSL)");
  return context;
}

md_context start_sha256() {
  md_context context = new_context();
  start(context.get());
  return context;
}

/// A context for one digest at a time on this thread, started: reused from digest to digest
/// (a table of 100000 short rows takes 100000 digests).
EVP_MD_CTX* started_thread_context() {
  thread_local const md_context context = new_context();
  start(context.get());
  return context.get();
}

void update(EVP_MD_CTX* context, const void* data, std::size_t size) {
  if (EVP_DigestUpdate(context, data, size) != 1) throw error("SHA-256 update failed (OpenSSL)");
}

std::string finish(EVP_MD_CTX* context) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context, digest.data(), &length) != 1) throw error("SHA-256 final failed (OpenSSL)");
  constexpr std::string_view hex_digits = "0123456789abcdef";
  std::string hex(2 * std::size_t{length}, '0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = hex_digits[digest[i] >> 4];
    hex[2 * i + 1] = hex_digits[digest[i] & 0xf];
  }
  return hex;
}

}  // namespace

std::string sha256_hex(std::span<const std::byte> bytes) {
  EVP_MD_CTX* context = started_thread_context();
  update(context, bytes.data(), bytes.size());
  return finish(context);
}

namespace {

/// Adds the bytes of `values` as float32 (or float64 when `float64`) to each of `contexts`, a
/// chunk at a time: every value is read and converted once however many digests take it, and
/// values already of the digest's type are hashed where they lie.
template <std::size_t Contexts, class T>
void update_all(const std::array<EVP_MD_CTX*, Contexts>& contexts, std::span<const T> values, bool float64) {
  static_assert(std::endian::native == std::endian::little, "embcheck assumes a little-endian host");
  constexpr std::size_t chunk = 4096;
  const auto hash_as = [&]<class U>(std::size_t start, std::size_t count, U*) {
    if constexpr (std::is_same_v<T, U>) {
      for (EVP_MD_CTX* context : contexts) update(context, values.data() + start, count * sizeof(U));
    } else {
      std::array<U, chunk> buffer;  // written before it is read
      for (std::size_t i = 0; i < count; ++i) buffer[i] = static_cast<U>(values[start + i]);
      for (EVP_MD_CTX* context : contexts) update(context, buffer.data(), count * sizeof(U));
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
  EVP_MD_CTX* context = started_thread_context();
  update_all(std::array{context}, values, false);
  return finish(context);
}

}  // namespace

std::string sha256_float32_hex(std::span<const double> values) { return float32_hex(values); }

std::string sha256_float32_hex(std::span<const float> values) { return float32_hex(values); }

struct sha256_stream::state {
  md_context context = start_sha256();
};

sha256_stream::sha256_stream(bool float64) : state_(std::make_unique<state>()), float64_(float64) {}

sha256_stream::~sha256_stream() = default;

void sha256_stream::update(std::span<const double> values) {
  update_all(std::array{state_->context.get()}, values, float64_);
}

void sha256_stream::update(std::span<const float> values) {
  update_all(std::array{state_->context.get()}, values, float64_);
}

std::string sha256_stream::update_and_digest(std::span<const double> values) {
  EVP_MD_CTX* const own = started_thread_context();
  update_all(std::array{state_->context.get(), own}, values, float64_);
  return embcheck::finish(own);
}

std::string sha256_stream::update_and_digest(std::span<const float> values) {
  EVP_MD_CTX* const own = started_thread_context();
  update_all(std::array{state_->context.get(), own}, values, float64_);
  return embcheck::finish(own);
}

std::string sha256_stream::finish() { return embcheck::finish(state_->context.get()); }

}  // namespace embcheck
