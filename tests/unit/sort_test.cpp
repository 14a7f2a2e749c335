// sort_values against std::sort (the reference order) on the cases a radix sort can get wrong.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "embcheck/statistics/sort.hpp"

namespace {

/// Same order as std::sort, and -0 before +0 when a radix sort ran (std::sort, used for the
/// shortest samples, leaves equal keys in any order).
void check_sorted_like_std(std::vector<double> values, embcheck::element_type source,
                           bool negative_zero_first = true) {
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  embcheck::sort_values(values, source);
  REQUIRE(values.size() == expected.size());
  // One assertion per sample, not per value (samples of up to 2^25 values).
  const auto first_difference = static_cast<std::size_t>(
      std::mismatch(values.begin(), values.end(), expected.begin()).first - values.begin());
  CAPTURE(first_difference);
  REQUIRE(first_difference == values.size());
  std::size_t positive_zero_before_negative = 0;
  for (std::size_t i = 1; i < values.size(); ++i) {
    if (values[i] == 0.0 && values[i - 1] == 0.0 && std::signbit(values[i]) && !std::signbit(values[i - 1]))
      ++positive_zero_before_negative;
  }
  if (negative_zero_first) CHECK(positive_zero_before_negative == 0);
}

/// Whether a and b hold the same doubles bit for bit (-0 and +0 told apart).
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) {
           return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
         });
}

/// `count` values 1 + k ulp of type Float, k uniform below 2^varying_bits.
template <class Float, class Bits>
std::vector<double> ones_plus_ulps(unsigned varying_bits, std::mt19937_64& engine, std::size_t count = 5000) {
  std::uniform_int_distribution<Bits> k(0, (Bits{1} << varying_bits) - 1);
  std::vector<double> values;
  for (std::size_t i = 0; i < count; ++i)
    values.push_back(std::bit_cast<Float>(std::bit_cast<Bits>(Float{1}) + k(engine)));
  return values;
}

/// n float32 values in random order: zeros of both signs, the smallest and largest magnitudes,
/// repeated values, then standard normal draws.
std::vector<double> specials_and_normal_floats(std::size_t n, std::mt19937_64& engine) {
  std::normal_distribution<float> normal;
  std::vector<double> values{
      0.0, -0.0, 0.0, double{FLT_TRUE_MIN}, -double{FLT_TRUE_MIN}, double{FLT_MAX}, -double{FLT_MAX},
      1.0, 1.0,  -1.0};
  while (values.size() < n) values.push_back(normal(engine));
  std::shuffle(values.begin(), values.end(), engine);
  return values;
}

}  // namespace

TEST_CASE("radix sort orders float32 values as std::sort does") {
  std::mt19937_64 engine(12345);
  std::normal_distribution<float> normal;
  std::vector<double> values;
  for (int i = 0; i < 100000; ++i) values.push_back(normal(engine));
  values.insert(values.end(), {0.0, -0.0, 0.0, double{FLT_MIN}, -double{FLT_MIN}, double{FLT_TRUE_MIN},
                               -double{FLT_TRUE_MIN}, double{FLT_MAX}, -double{FLT_MAX}, 1.0, 1.0, -1.0});
  check_sorted_like_std(values, embcheck::element_type::float32);
}

TEST_CASE("radix sort orders float64 values as std::sort does") {
  std::mt19937_64 engine(54321);
  std::normal_distribution<double> normal(0.0, 1e3);
  std::vector<double> values;
  for (int i = 0; i < 100000; ++i) values.push_back(normal(engine));
  values.insert(values.end(), {0.0, -0.0, DBL_MIN, -DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MAX, -DBL_MAX,
                               1.0 + DBL_EPSILON, 1.0, -1.0 - DBL_EPSILON});
  check_sorted_like_std(values, embcheck::element_type::float64);
}

TEST_CASE("radix sort handles tiny, constant and presorted inputs") {
  check_sorted_like_std({}, embcheck::element_type::float64);
  check_sorted_like_std({3.0}, embcheck::element_type::float32);
  check_sorted_like_std(std::vector<double>(1000, 2.5), embcheck::element_type::float32);
  std::vector<double> descending;
  for (int i = 0; i < 5000; ++i) descending.push_back(5000.0 - i);
  check_sorted_like_std(descending, embcheck::element_type::float32);
  check_sorted_like_std(descending, embcheck::element_type::float64);
}

TEST_CASE("radix sort when only one, two or three digits of the keys vary") {
  // 1 + k ulp with k below 2^b: the keys differ only in their low b bits, so the 11-bit digits
  // above them are the same in every key and their passes are skipped.
  std::mt19937_64 engine(777);
  for (const unsigned varying_bits : {11u, 22u, 23u}) {
    CAPTURE(varying_bits);
    check_sorted_like_std(ones_plus_ulps<float, std::uint32_t>(varying_bits, engine),
                          embcheck::element_type::float32);
  }
  for (const unsigned varying_bits : {11u, 22u, 33u, 52u}) {
    CAPTURE(varying_bits);
    check_sorted_like_std(ones_plus_ulps<double, std::uint64_t>(varying_bits, engine),
                          embcheck::element_type::float64);
  }
}

TEST_CASE("short float32 samples (8-bit digits on the stack) sort as std::sort does") {
  // Sizes on both sides of the short path's bounds (257 and 4096) and of the 11-bit path's 1024.
  std::mt19937_64 engine(4242);
  for (const std::size_t n : {256u, 257u, 258u, 1000u, 1023u, 1024u, 4095u, 4096u}) {
    CAPTURE(n);
    const std::vector<double> values = specials_and_normal_floats(n, engine);
    check_sorted_like_std(values, embcheck::element_type::float32);
    for (const unsigned varying_bits : {8u, 16u, 23u}) {  // passes of constant 8-bit digits skipped
      CAPTURE(varying_bits);
      check_sorted_like_std(ones_plus_ulps<float, std::uint32_t>(varying_bits, engine, n),
                            embcheck::element_type::float32);
    }
  }
}

TEST_CASE(
    "float32 rows of 32 to 256 values (sorting network) sort as std::sort does, with and without AVX2") {
  // Sizes on both sides of every padded length (32, 64, 128, 256) and of the network's bounds.
  std::mt19937_64 engine(2718);
  for (const std::size_t n : {31u, 32u, 33u, 63u, 64u, 65u, 100u, 127u, 128u, 129u, 200u, 255u, 256u, 257u}) {
    CAPTURE(n);
    check_sorted_like_std(specials_and_normal_floats(n, engine), embcheck::element_type::float32, n >= 32);
    check_sorted_like_std(ones_plus_ulps<float, std::uint32_t>(8, engine, n),
                          embcheck::element_type::float32);
    if (n < 32 || n > 256) continue;
    const std::vector<double> values = specials_and_normal_floats(n, engine);
    std::vector<double> expected = values;
    std::sort(expected.begin(), expected.end());
    for (const bool allow_avx2 : {true, false}) {
      CAPTURE(allow_avx2);
      std::vector<double> sorted = values;
      embcheck::detail::network_sort_float32(sorted, allow_avx2);
      CHECK(sorted == expected);
      CHECK(std::signbit(*std::find(sorted.begin(), sorted.end(), 0.0)));  // -0 first
    }
  }
}

TEST_CASE("float values sorted into doubles as sort_values sorts the same values held as double") {
  // Every path: comparison sort, network, 8-bit passes, 11-bit passes, top digit first.
  std::mt19937_64 engine(31415);
  for (const std::size_t n : {0u, 1u, 31u, 32u, 256u, 257u, 4095u, 4096u, (1u << 19) + 5u}) {
    CAPTURE(n);
    const std::vector<double> values = specials_and_normal_floats(std::max<std::size_t>(n, 10), engine);
    const std::vector<float> floats(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(n));
    std::vector<double> expected(floats.begin(), floats.end());
    embcheck::sort_values(expected, embcheck::element_type::float32);
    std::vector<double> sorted(n, -1.0);
    embcheck::sort_values(floats, sorted);
    CHECK(sorted == expected);
    CHECK(std::is_sorted(sorted.begin(), sorted.end()));
  }
}

TEST_CASE("long float32 samples (top digit first, then each bucket) sort as std::sort does") {
  // Sizes on both sides of 2^19, where the 12-bit top digit takes over from three 11-bit passes;
  // keys spread over many buckets (normal), crowded into a few (uniform), into one (1 + k ulp),
  // and scattered over thousands of buckets, those of the tails holding fewer than 64 keys
  // (sorted by comparison); all finite, as sort_values requires.
  std::mt19937_64 engine(1919);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> uniform;
  std::bernoulli_distribution negative;
  constexpr std::size_t top_digit_min = std::size_t{1} << 19;
  for (const std::size_t n : {top_digit_min - 1, top_digit_min, top_digit_min + 1, 3 * top_digit_min}) {
    CAPTURE(n);
    const std::vector<double> values = specials_and_normal_floats(n, engine);
    check_sorted_like_std(values, embcheck::element_type::float32);
    std::vector<double> crowded;
    while (crowded.size() < n) crowded.push_back(uniform(engine));
    check_sorted_like_std(crowded, embcheck::element_type::float32);
    check_sorted_like_std(ones_plus_ulps<float, std::uint32_t>(20, engine, n),
                          embcheck::element_type::float32);
    // 1 + 1024 k ulp: the lowest 10 bits are the same in every key, so each bucket takes one
    // pass and its keys end in the scratch half, to be copied back.
    std::vector<double> coarse = ones_plus_ulps<float, std::uint32_t>(10, engine, n);
    for (double& v : coarse) v = 1.0 + (static_cast<double>(v) - 1.0) * 1024.0;
    check_sorted_like_std(coarse, embcheck::element_type::float32);
    std::vector<double> scattered;
    while (scattered.size() < n) {
      const float magnitude = std::exp(40.0F * std::clamp(normal(engine), -2.0F, 2.0F));  // e^+-80
      scattered.push_back(negative(engine) ? -magnitude : magnitude);
    }
    check_sorted_like_std(scattered, embcheck::element_type::float32);
  }
}

TEST_CASE("long float32 samples sorted on several threads sort as std::sort does") {
  // The buckets after the top digit are split among the threads by their counts: keys spread
  // over many buckets (normal), crowded into a few (uniform on [0, 1)) and all in one (1 + k ulp).
  std::mt19937_64 engine(4242);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> uniform;
  const std::size_t n = 3 * (std::size_t{1} << 19) + 7;
  std::vector<std::vector<float>> samples(3);
  for (std::size_t i = 0; i < n; ++i) {
    samples[0].push_back(normal(engine));
    samples[1].push_back(uniform(engine));
  }
  for (const double v : ones_plus_ulps<float, std::uint32_t>(20, engine, n))
    samples[2].push_back(static_cast<float>(v));
  // Zeros of both signs among the normal values: -0 must come before +0 whatever run of the
  // input (one per thread when the keys are made from floats) each was in.
  for (std::size_t i = 0; i < n; i += n / 7) samples[0][i] = (i / (n / 7)) % 2 == 0 ? 0.0F : -0.0F;
  for (const auto& floats : samples) {
    std::vector<double> expected(n);
    embcheck::sort_values(floats, expected, 1);
    std::vector<double> by_comparison(floats.begin(), floats.end());
    std::sort(by_comparison.begin(), by_comparison.end());
    CHECK(expected == by_comparison);
    for (const unsigned threads : {2u, 3u}) {
      CAPTURE(threads);
      std::vector<double> sorted(n, -1.0);
      embcheck::sort_values(floats, sorted, threads);
      CHECK(same_bits(sorted, expected));
      std::vector<double> in_place(floats.begin(), floats.end());
      embcheck::sort_values(in_place, embcheck::element_type::float32, threads);
      CHECK(same_bits(in_place, expected));
    }
  }
}

TEST_CASE("float32 samples of 2^25 values and more (16-bit top digit) sort as std::sort does") {
  std::mt19937_64 engine(2525);
  std::normal_distribution<float> normal;
  std::vector<double> values{0.0, -0.0, double{FLT_TRUE_MIN}, -double{FLT_MAX}};
  const std::size_t n = (std::size_t{1} << 25) + 3;
  values.reserve(n);
  while (values.size() < n) values.push_back(normal(engine));
  const std::vector<float> floats(values.begin(), values.end());
  check_sorted_like_std(std::move(values), embcheck::element_type::float32);
  // On two threads (keys made and scattered in two runs, the doubles expanded in stages): the
  // same bits as on one.
  std::vector<double> one(n);
  std::vector<double> two(n);
  embcheck::sort_values(floats, one, 1);
  embcheck::sort_values(floats, two, 2);
  CHECK(same_bits(one, two));
}
