// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface.
#include "embcheck/digest.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <memory>

#include <fmt/format.h>

#include "embcheck/error.hpp"

namespace embcheck {
namespace {

struct md_context_deleter {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using md_context = std::unique_ptr<EVP_MD_CTX, md_context_deleter>;

md_context start_sha256() {
  md_context context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    throw error("cannot initialise SHA-256 (OpenSSL)");
  }
  return context;
}

void update(EVP_MD_CTX* context, const void* data, std::size_t size) {
  if (EVP_DigestUpdate(context, data, size) != 1) throw error("SHA-256 update failed (OpenSSL)");
}

std::string finish(EVP_MD_CTX* context) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context, digest.data(), &length) != 1) throw error("SHA-256 final failed (OpenSSL)");
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace

std::string sha256_hex(std::span<const std::byte> bytes) {
  auto context = start_sha256();
  update(context.get(), bytes.data(), bytes.size());
  return finish(context.get());
}

namespace {

void update_float32(EVP_MD_CTX* context, std::span<const double> values) {
  static_assert(std::endian::native == std::endian::little, "embcheck assumes a little-endian host");
  constexpr std::size_t chunk = 4096;
  std::array<float, chunk> buffer{};
  for (std::size_t start = 0; start < values.size(); start += chunk) {
    const std::size_t count = std::min(chunk, values.size() - start);
    for (std::size_t i = 0; i < count; ++i) buffer[i] = static_cast<float>(values[start + i]);
    update(context, buffer.data(), count * sizeof(float));
  }
}

}  // namespace

std::string sha256_float32_hex(std::span<const double> values) {
  auto context = start_sha256();
  update_float32(context.get(), values);
  return finish(context.get());
}

struct sha256_stream::state {
  md_context context = start_sha256();
};

sha256_stream::sha256_stream(bool float64) : state_(std::make_unique<state>()), float64_(float64) {}

sha256_stream::~sha256_stream() = default;

void sha256_stream::update(std::span<const double> values) {
  if (float64_) {
    embcheck::update(state_->context.get(), values.data(), values.size_bytes());
  } else {
    update_float32(state_->context.get(), values);
  }
}

std::string sha256_stream::finish() { return embcheck::finish(state_->context.get()); }

}  // namespace embcheck
