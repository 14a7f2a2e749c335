// Least-significant-digit radix sort of IEEE-754 numbers.
// Knuth, TAOCP vol. 3, section 5.2.5 (radix sorting); the order-preserving key transform
// (flip every bit of a negative number, only the sign bit of a positive one) is from
// M. Herf, "Radix Tricks" (2001). Digits of 11 bits: 3 passes for float32 keys, 6 for float64,
// with all histograms counted in one pass and passes whose digit is constant skipped; float32
// samples of 257 to 4095 values use 8-bit digits (4 passes) with their keys on the stack.
// float32 samples of 32 to 256 values go through Batcher's bitonic sorting network instead
// (K. E. Batcher, "Sorting networks and their applications", AFIPS 1968), eight keys to a
// vector, as in the in-register sorts of H. Inoue et al., "AA-sort" (PACT 2007).
// float32 samples of 2^19 values and more are sorted most-significant digit first, once: the
// top 12 bits (16 from 2^25 values) split the keys into buckets small enough for the cache,
// and each bucket is then sorted by its remaining bits least-significant digit first, as in
// the hybrid radix sorts of P. M. McIlroy, K. Bostic, M. D. McIlroy, "Engineering Radix Sort",
// Computing Systems 6(1), 1993 (the MSD split) and Knuth (above, the LSD passes).
#include "embcheck/statistics/sort.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "embcheck/parallel.hpp"
#include "embcheck/statistics/vector_math.hpp"

namespace embcheck {
namespace {

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

/// Key number i of an array of keys laid out from `base` (any object's bytes: memcpy is the
/// access that may alias them).
template <class Key>
Key load(const std::byte* base, std::size_t i) noexcept {
  Key key;
  std::memcpy(&key, base + i * sizeof(Key), sizeof(Key));
  return key;
}

template <class Key>
void store(std::byte* base, std::size_t i, Key key) noexcept {
  std::memcpy(base + i * sizeof(Key), &key, sizeof(Key));
}

/// The float32 value of 32-bit radix key number i at `keys`, as a double.
double double_of_key(const std::byte* keys, std::size_t i) noexcept {
  return static_cast<double>(std::bit_cast<float>(from_key(load<std::uint32_t>(keys, i))));
}

/// The lowest `Count` digits of `Bits` bits of a `Key` (all of them by default), and their histograms.
template <class Key, unsigned Bits, unsigned Count = (8 * sizeof(Key) + Bits - 1) / Bits>
struct digits {
  static constexpr unsigned count = Count;                        ///< digits sorted by
  static constexpr std::size_t buckets = std::size_t{1} << Bits;  ///< values per digit
  /// Digit d of `key`.
  static std::size_t of(Key key, unsigned d) noexcept { return (key >> (d * Bits)) & (buckets - 1); }
  /// One histogram per digit.
  using histograms = std::array<std::array<std::size_t, buckets>, count>;
};

/// Sorts the n keys at `keys` by their lowest `Count` digits of `Bits` bits (all by default; the
/// higher bits must then be equal), skipping digits that are constant, moving them between
/// `keys` and `other` (n keys each), with `counts` (zeroed) as the histograms; returns where
/// they end.
template <class Key, unsigned Bits, unsigned Count = digits<Key, Bits>::count>
std::byte* radix_sort(std::byte* keys, std::byte* other, std::size_t n,
                      typename digits<Key, Bits, Count>::histograms& counts) {
  using digit = digits<Key, Bits, Count>;
  for (std::size_t i = 0; i < n; ++i) {
    const Key key = load<Key>(keys, i);
    for (unsigned d = 0; d < digit::count; ++d) ++counts[d][digit::of(key, d)];
  }
  for (unsigned d = 0; d < digit::count; ++d) {
    auto& count = counts[d];
    if (std::any_of(count.begin(), count.end(), [&](std::size_t c) { return c == n; })) continue;
    std::size_t offset = 0;
    for (auto& c : count) offset += std::exchange(c, offset);
    for (std::size_t i = 0; i < n; ++i) {
      const Key key = load<Key>(keys, i);
      store(other, count[digit::of(key, d)]++, key);
    }
    std::swap(keys, other);
  }
  return keys;
}

/// radix_sort with 11-bit digits (3 passes for float32 keys, 6 for float64), histograms on the heap.
template <class Key>
std::byte* radix_sort_11(std::byte* keys, std::byte* other, std::size_t n) {
  auto counts = std::make_unique<typename digits<Key, 11>::histograms>();
  return radix_sort<Key, 11>(keys, other, n, *counts);
}

// Rows of 32 to 256 float32 values (embedding tables of dim 64 to 256): a bitonic network over
// signed 32-bit keys, padded with INT32_MAX (a NaN's key, never a finite value's; a padding key
// equal to a real one would be the same bits anyway) to 32, 64, 128 or 256 keys. A network
// compares every pair it will ever compare whatever the data, with no branches and no
// histograms to clear, so it beats the 8-bit passes where they cost more to set up than to run.
// Kernel benchmark radix_sort (rows of a normal table taken in turn, copied and sorted; AVX2):
// 0.09 us against std::sort's 0.65 at n = 32, 0.14 against the passes' 1.0 at n = 64, 0.34
// against 1.32 at n = 128; a throwaway harness (/tmp/hw/b.cpp) gave 1.4 against 2.3 us at 256,
// and the passes win again from about 320.
constexpr std::size_t network_min = 32;
constexpr std::size_t network_max = 256;

using key_vector = std::int32_t __attribute__((vector_size(32)));

// Signed key of a float's bits: negative numbers' magnitude bits flipped, so that signed order
// is the floats' order with -0 before +0 (the radix keys' order).
std::int32_t signed_key(float value) noexcept {
  const auto bits = std::bit_cast<std::int32_t>(value);
  return bits ^ ((bits >> 31) & 0x7fffffff);
}

float from_signed_key(std::int32_t key) noexcept {
  return std::bit_cast<float>(key ^ ((key >> 31) & 0x7fffffff));
}

// Lane i of `out` becomes lane i ^ distance of `a` (distance 1, 2 or 4). By reference: a vector
// passed by value would depend on the target's ABI.
[[gnu::always_inline]] inline void lanes_apart(const key_vector& a, std::int32_t distance,
                                               key_vector& out) noexcept {
  if (distance == 1) {
    out = __builtin_shufflevector(a, a, 1, 0, 3, 2, 5, 4, 7, 6);
  } else if (distance == 2) {
    out = __builtin_shufflevector(a, a, 2, 3, 0, 1, 6, 7, 4, 5);
  } else {
    out = __builtin_shufflevector(a, a, 4, 5, 6, 7, 0, 1, 2, 3);
  }
}

// The network on 8 * Vectors keys: merges of runs of `size` (2, 4, ..., all the keys), each
// comparing keys `distance` apart for distance = size / 2, ..., 1; a key whose run is ascending
// (index & size == 0) keeps the smaller of its pair at the lower index, otherwise the larger.
// Distances of 8 and more pair whole vectors; shorter ones pair lanes of one vector.
template <std::size_t Vectors>
[[gnu::always_inline]] inline void bitonic_network(key_vector* v) noexcept {
  const key_vector lane = {0, 1, 2, 3, 4, 5, 6, 7};
  for (std::int32_t size = 2; size <= static_cast<std::int32_t>(8 * Vectors); size *= 2) {
    for (std::int32_t distance = size / 2; distance > 0; distance /= 2) {
      if (distance >= 8) {
        const auto apart = static_cast<std::size_t>(distance / 8);
        for (std::size_t j = 0; j < Vectors; ++j) {
          if ((j & apart) != 0) continue;
          const key_vector a = v[j];
          const key_vector b = v[j + apart];
          const key_vector low = a < b ? a : b;
          const key_vector high = a < b ? b : a;
          const bool ascending = ((8 * j) & static_cast<std::size_t>(size)) == 0;
          v[j] = ascending ? low : high;
          v[j + apart] = ascending ? high : low;
        }
      } else {
        for (std::size_t j = 0; j < Vectors; ++j) {
          const key_vector a = v[j];
          key_vector b;
          lanes_apart(a, distance, b);
          const key_vector low = a < b ? a : b;
          const key_vector high = a < b ? b : a;
          const key_vector index = lane + static_cast<std::int32_t>(8 * j);
          const key_vector takes_low = ((index & distance) == 0) == ((index & size) == 0);
          v[j] = takes_low ? low : high;
        }
      }
    }
  }
}

template <std::size_t Vectors>
void bitonic_network_baseline(key_vector* v) noexcept {
  bitonic_network<Vectors>(v);
}

#if defined(__x86_64__) && defined(__GNUC__)
template <std::size_t Vectors>
[[gnu::target("avx2")]] void bitonic_network_avx2(key_vector* v) noexcept {
  bitonic_network<Vectors>(v);
}
#endif

template <std::size_t Vectors>
void run_network(key_vector* v, bool allow_avx2) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  if (allow_avx2 && detail::cpu_has_avx2()) {
    bitonic_network_avx2<Vectors>(v);
    return;
  }
#endif
  static_cast<void>(allow_avx2);
  bitonic_network_baseline<Vectors>(v);
}

// Short float32 rows above the network's 256 values: 8-bit digits, 4 passes over keys on the
// stack, histograms of 256 counts. Measured on rows of a normal table taken in turn
// (tests/benchmark/kernels.cpp, radix_sort): 6.8 us at n = 1000 against std::sort's 45, and
// 15-20% faster than the 11-bit passes at n = 2000-4000.
constexpr std::size_t small_radix_max = 4096;

// The float32 sorts below read `in` (doubles holding floats, or floats) and write `out` (the
// same size; it may be `in` itself when both are double: every key is taken before any is written).
template <class T>
void small_float32_sort(std::span<const T> in, std::span<double> out) noexcept {
  const std::size_t n = in.size();
  std::array<std::uint32_t, small_radix_max> keys;   // written before read
  std::array<std::uint32_t, small_radix_max> other;  // written before read
  digits<std::uint32_t, 8>::histograms counts{};
  for (std::size_t i = 0; i < n; ++i)
    keys[i] = to_key(std::bit_cast<std::uint32_t>(static_cast<float>(in[i])));
  const std::byte* const sorted = radix_sort<std::uint32_t, 8>(
      reinterpret_cast<std::byte*>(keys.data()), reinterpret_cast<std::byte*>(other.data()), n, counts);
  for (std::size_t i = 0; i < n; ++i) out[i] = double_of_key(sorted, i);
}

// The 32-bit keys of n values (n >= 1), made by make_key(i) and stored at `keys`, moved to
// `other` (n keys) sorted: one pass makes and counts the keys by their top `TopBits` bits, one
// scatters them by those bits (a stable counting sort), then every bucket is sorted by its low
// 32 - TopBits bits, radix_sort's two lowest digits, through the same offsets of `keys` (free
// once scattered), buckets of fewer than 64 keys by comparison. Kernel benchmark
// (tests/benchmark/kernels.cpp, radix_sort: rows of a normal float32 table, copied and sorted),
// against three 11-bit passes over the whole sample, whose scatters leave the cache from about
// 10^6 values on: 4.83 -> 4.51 ms at 8e5 values, 44.7 -> 32.1 ms at 4e6, 153 -> 104 ms at 1.28e7.
// With `parts` > 1 (at most `threads`) the first two passes are split into that many runs of
// the input, each counted on its own and scattered after the same bucket's keys of the runs
// before it: the order of the scatter, and so the result, is the one of a single pass.
template <unsigned TopBits, class MakeKey>
void top_digit_then_buckets(const MakeKey& make_key, std::byte* keys, std::byte* other, std::size_t n,
                            std::size_t parts, unsigned threads) {
  constexpr std::size_t buckets = std::size_t{1} << TopBits;
  constexpr unsigned low_bits = 32 - TopBits;
  constexpr unsigned bucket_digit_bits = low_bits / 2;  // a bucket's keys differ in two such digits
  constexpr std::size_t smallest_counted = 64;
  const std::size_t run = (n + parts - 1) / parts;
  const auto run_begin = [&](std::size_t p) { return std::min(n, p * run); };
  // counts[p * buckets + b]: keys of run p in bucket b, then where run p's next key of bucket b goes.
  auto counts = std::make_unique<std::size_t[]>(parts * buckets);
  detail::parallel_for(parts, threads, [&](std::size_t p, unsigned) {
    std::size_t* const count = counts.get() + p * buckets;
    std::fill_n(count, buckets, std::size_t{0});
    for (std::size_t i = run_begin(p); i < run_begin(p + 1); ++i) {
      const std::uint32_t key = make_key(i);
      store(keys, i, key);
      ++count[key >> low_bits];
    }
  });
  auto starts = std::make_unique<std::size_t[]>(buckets + 1);
  std::size_t offset = 0;
  for (std::size_t b = 0; b < buckets; ++b) {
    starts[b] = offset;
    for (std::size_t p = 0; p < parts; ++p) offset += std::exchange(counts[p * buckets + b], offset);
  }
  starts[buckets] = n;
  detail::parallel_for(parts, threads, [&](std::size_t p, unsigned) {
    std::size_t* const next = counts.get() + p * buckets;
    for (std::size_t i = run_begin(p); i < run_begin(p + 1); ++i) {
      const auto key = load<std::uint32_t>(keys, i);
      store(other, next[key >> low_bits]++, key);
    }
  });
  // The buckets are independent (each sorts through its own offsets of `keys`): with several
  // threads each takes a run of buckets holding about n / threads keys.
  const auto sort_buckets = [&](std::size_t first_bucket, std::size_t last_bucket) {
    typename digits<std::uint32_t, bucket_digit_bits, 2>::histograms digit_counts;
    for (std::size_t b = first_bucket; b < last_bucket; ++b) {
      const std::size_t begin = starts[b];
      const std::size_t m = starts[b + 1] - begin;
      std::byte* const bucket = other + begin * sizeof(std::uint32_t);
      std::byte* const scratch = keys + begin * sizeof(std::uint32_t);
      if (m < smallest_counted) {
        if (m > 1) {
          std::array<std::uint32_t, smallest_counted> few;
          std::memcpy(few.data(), bucket, m * sizeof(std::uint32_t));
          std::sort(few.begin(), few.begin() + static_cast<std::ptrdiff_t>(m));
          std::memcpy(bucket, few.data(), m * sizeof(std::uint32_t));
        }
        continue;
      }
      for (auto& count : digit_counts) count.fill(0);
      const std::byte* const sorted =
          radix_sort<std::uint32_t, bucket_digit_bits, 2>(bucket, scratch, m, digit_counts);
      if (sorted != bucket) std::memcpy(bucket, sorted, m * sizeof(std::uint32_t));
    }
  };
  const std::size_t bucket_parts = std::max(1u, threads);
  std::vector<std::size_t> part_start(bucket_parts + 1, buckets);
  part_start[0] = 0;
  for (std::size_t k = 1, b = 0; k < bucket_parts; ++k) {
    while (b < buckets && starts[b] < n / bucket_parts * k) ++b;
    part_start[k] = b;
  }
  detail::parallel_for(bucket_parts, threads,
                       [&](std::size_t k, unsigned) { sort_buckets(part_start[k], part_start[k + 1]); });
}

// The sorted keys in the upper half of n doubles' bytes (key k at bytes 4n + 4k) become the
// doubles, double j over bytes 8j .. 8j + 7, which covers keys 2j - n and 2j - n + 1. Doubles
// [lo, hi) with hi <= (lo + n) / 2 cover only keys before lo, so once keys [0, lo) are read
// they can be written in any order: stages [0, n/2), [n/2, 3n/4), ... on all threads, each
// stage's keys read before the next stage writes over them, then the last few in order (double
// j covers keys at most j, read already).
void expand_upper_keys(std::byte* bytes, std::size_t n, unsigned threads) {
  const std::byte* const keys = bytes + n * sizeof(std::uint32_t);
  const auto expand = [&](std::size_t begin, std::size_t end) {
    for (std::size_t j = begin; j < end; ++j) store(bytes, j, double_of_key(keys, j));
  };
  constexpr std::size_t smallest_stage = std::size_t{1} << 16;
  std::size_t lo = 0;
  if (threads > 1) {
    // Each stage in `threads` parts; part k of the list belongs to stage k / threads. A thread
    // takes the next part in list order and starts it once every part of the stage before has
    // been done: the parts it waits for were taken before it by threads that are running them,
    // so this finishes however many of the threads have started (a barrier would wait for all).
    std::vector<std::pair<std::size_t, std::size_t>> parts;
    for (std::size_t hi = (lo + n) / 2; hi - lo >= smallest_stage; lo = hi, hi = (lo + n) / 2) {
      const std::size_t share = (hi - lo + threads - 1) / threads;
      for (unsigned k = 0; k < threads; ++k)
        parts.emplace_back(std::min(hi, lo + k * share), std::min(hi, lo + (k + 1) * share));
    }
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};  // parts done, all of them before any of a later stage
    detail::parallel_for(threads, threads, [&](std::size_t, unsigned) {
      for (std::size_t part = next++; part < parts.size(); part = next++) {
        const std::size_t stage_start = part / threads * threads;
        for (std::size_t seen = done.load(); seen < stage_start; seen = done.load()) done.wait(seen);
        expand(parts[part].first, parts[part].second);
        ++done;
        done.notify_all();
      }
    });
  }
  expand(lo, n);
}

constexpr std::size_t top_digit_min = std::size_t{1} << 19;
constexpr std::size_t wide_top_digit_min = std::size_t{1} << 25;
constexpr std::size_t smallest_key_run = std::size_t{1} << 17;  // keys made and counted by one thread

template <class T>
void network_sort(std::span<const T> in, std::span<double> out, bool allow_avx2) noexcept {
  const std::size_t n = in.size();
  std::size_t padded = network_min;
  while (padded < n) padded *= 2;
  alignas(32) std::array<std::int32_t, network_max> keys;  // the first `padded` written before read
  for (std::size_t i = 0; i < n; ++i) keys[i] = signed_key(static_cast<float>(in[i]));
  std::fill(keys.begin() + static_cast<std::ptrdiff_t>(n), keys.begin() + static_cast<std::ptrdiff_t>(padded),
            std::numeric_limits<std::int32_t>::max());
  auto* const v = reinterpret_cast<key_vector*>(keys.data());
  switch (padded) {
    case 32: run_network<4>(v, allow_avx2); break;
    case 64: run_network<8>(v, allow_avx2); break;
    case 128: run_network<16>(v, allow_avx2); break;
    default: run_network<32>(v, allow_avx2); break;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<double>(from_signed_key(keys[i]));
}

// float32 keys need no memory of their own: the 8n bytes of the n output doubles hold the keys
// (the first 4n bytes) and the scatter buffer (the last 4n). When the input is those doubles,
// key i is written over bytes 4i..4i+3, which belong to doubles before i (already read) or, for
// i = 0, to the double just read. At the end each key becomes a double again in place: from the
// last to the first when the keys are in the first half (double j covers keys 2j and 2j + 1,
// placed already), from the first to the last when they are in the second (double j covers keys
// at most j, placed already).
template <class T>
void float32_sort(std::span<const T> in, std::span<double> out, unsigned threads) {
  const std::size_t n = in.size();
  if (n >= network_min && n <= network_max) {
    network_sort(in, out, true);
    return;
  }
  if (n > network_max && n < small_radix_max) {
    small_float32_sort(in, out);
    return;
  }
  if (n < network_min) {  // a comparison sort (the order of -0 and +0 is then not kept)
    if (static_cast<const void*>(in.data()) != static_cast<const void*>(out.data()))
      std::copy(in.begin(), in.end(), out.begin());
    std::sort(out.begin(), out.end());
    return;
  }
  const auto* const source = reinterpret_cast<const std::byte*>(in.data());
  auto* const bytes = reinterpret_cast<std::byte*>(out.data());
  std::byte* const upper = bytes + n * sizeof(std::uint32_t);
  const auto make_key = [source](std::size_t i) {
    return to_key(std::bit_cast<std::uint32_t>(static_cast<float>(load<T>(source, i))));
  };
  if (n >= top_digit_min) {
    // Key i is written over bytes 4i .. 4i + 3; when the input is those doubles, that is safe in
    // order only (they belong to doubles before i, already read), so the keys are made in one run.
    const bool in_place = static_cast<const void*>(in.data()) == static_cast<const void*>(out.data());
    const std::size_t parts =
        in_place ? 1 : std::clamp<std::size_t>(n / smallest_key_run, 1, std::max(1u, threads));
    if (n >= wide_top_digit_min) {
      top_digit_then_buckets<16>(make_key, bytes, upper, n, parts, threads);
    } else {
      top_digit_then_buckets<12>(make_key, bytes, upper, n, parts, threads);
    }
    expand_upper_keys(bytes, n, threads);
    return;
  }
  for (std::size_t i = 0; i < n; ++i) store(bytes, i, make_key(i));
  if (radix_sort_11<std::uint32_t>(bytes, upper, n) == upper) {
    expand_upper_keys(bytes, n, 1);
  } else {  // keys in the first half: double j covers keys 2j and 2j + 1, so from the last down
    for (std::size_t j = n; j-- > 0;) store(bytes, j, double_of_key(bytes, j));
  }
}

}  // namespace

void sort_values(std::span<double> values, element_type source, unsigned threads) {
  const std::size_t n = values.size();
  if (source == element_type::float32) {
    float32_sort(std::span<const double>(values), values, threads);
    return;
  }
  if (n < 1024) {  // below this a comparison sort beats the passes over 2048 buckets
    std::sort(values.begin(), values.end());
    return;
  }
  auto* const bytes = reinterpret_cast<std::byte*>(values.data());
  for (std::size_t i = 0; i < n; ++i) store(bytes, i, to_key(load<std::uint64_t>(bytes, i)));
  std::vector<std::uint64_t> scratch(n);
  const std::byte* const sorted =
      radix_sort_11<std::uint64_t>(bytes, reinterpret_cast<std::byte*>(scratch.data()), n);
  for (std::size_t i = 0; i < n; ++i) store(bytes, i, from_key(load<std::uint64_t>(sorted, i)));
}

void sort_values(std::span<const float> values, std::span<double> out, unsigned threads) {
  float32_sort(values, out, threads);
}

namespace detail {

void network_sort_float32(std::span<double> values, bool allow_avx2) noexcept {
  network_sort(std::span<const double>(values), values, allow_avx2);
}

}  // namespace detail

}  // namespace embcheck
