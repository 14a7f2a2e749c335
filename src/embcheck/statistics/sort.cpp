// Least-significant-digit radix sort of IEEE-754 numbers.
// Knuth, TAOCP vol. 3, section 5.2.5 (radix sorting); the order-preserving key transform
// (flip every bit of a negative number, only the sign bit of a positive one) is from
// M. Herf, "Radix Tricks" (2001). Digits of 11 bits: 3 passes for float32 keys, 6 for float64,
// with all histograms counted in one pass and passes whose digit is constant skipped.
#include "embcheck/statistics/sort.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

namespace embcheck {
namespace {

constexpr unsigned digit_bits = 11;
constexpr std::size_t buckets = std::size_t{1} << digit_bits;

template <class Key>
Key to_key(Key bits) noexcept {
  constexpr Key sign = Key{1} << (8 * sizeof(Key) - 1);
  return (bits & sign) ? ~bits : (bits | sign);
}

template <class Key>
Key from_key(Key key) noexcept {
  constexpr Key sign = Key{1} << (8 * sizeof(Key) - 1);
  return (key & sign) ? (key & ~sign) : ~key;
}

template <class Key>
void radix_sort(std::vector<Key>& keys) {
  constexpr unsigned passes = (8 * sizeof(Key) + digit_bits - 1) / digit_bits;
  std::vector<std::array<std::size_t, buckets>> counts(passes);
  for (auto& c : counts) c.fill(0);
  for (const Key key : keys) {
    for (unsigned p = 0; p < passes; ++p) ++counts[p][(key >> (p * digit_bits)) & (buckets - 1)];
  }
  std::vector<Key> scratch(keys.size());
  for (unsigned p = 0; p < passes; ++p) {
    auto& count = counts[p];
    if (std::any_of(count.begin(), count.end(), [&](std::size_t c) { return c == keys.size(); })) continue;
    std::size_t offset = 0;
    for (auto& c : count) {
      const std::size_t n = c;
      c = offset;
      offset += n;
    }
    for (const Key key : keys) scratch[count[(key >> (p * digit_bits)) & (buckets - 1)]++] = key;
    keys.swap(scratch);
  }
}

}  // namespace

void sort_values(std::span<double> values, element_type source) {
  if (values.size() < 1024) {  // below this a comparison sort beats three passes over 2048 buckets
    std::sort(values.begin(), values.end());
    return;
  }
  if (source == element_type::float32) {
    std::vector<std::uint32_t> keys(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      keys[i] = to_key(std::bit_cast<std::uint32_t>(static_cast<float>(values[i])));
    }
    radix_sort(keys);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::bit_cast<float>(from_key(keys[i]));
  } else {
    std::vector<std::uint64_t> keys(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) keys[i] = to_key(std::bit_cast<std::uint64_t>(values[i]));
    radix_sort(keys);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = std::bit_cast<double>(from_key(keys[i]));
  }
}

}  // namespace embcheck
