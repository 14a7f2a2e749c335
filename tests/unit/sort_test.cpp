// sort_values against std::sort (the reference order) on the cases a radix sort can get wrong.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <random>
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
  for (std::size_t i = 0; i < values.size(); ++i) {
    REQUIRE(values[i] == expected[i]);
    if (negative_zero_first && i > 0 && values[i] == 0.0 && values[i - 1] == 0.0)
      CHECK_FALSE((std::signbit(values[i]) && !std::signbit(values[i - 1])));
  }
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
  // Sizes on both sides of the short path's bounds (48 and 4096) and of the 11-bit path's 1024.
  std::mt19937_64 engine(4242);
  std::normal_distribution<float> normal;
  for (const std::size_t n : {47u, 48u, 49u, 128u, 1000u, 1023u, 1024u, 4095u, 4096u}) {
    CAPTURE(n);
    std::vector<double> values{
        0.0, -0.0, 0.0, double{FLT_TRUE_MIN}, -double{FLT_TRUE_MIN}, double{FLT_MAX}, -double{FLT_MAX},
        1.0, 1.0,  -1.0};
    while (values.size() < n) values.push_back(normal(engine));
    std::shuffle(values.begin(), values.end(), engine);
    check_sorted_like_std(values, embcheck::element_type::float32, n >= 48);
    for (const unsigned varying_bits : {8u, 16u, 23u}) {  // passes of constant 8-bit digits skipped
      CAPTURE(varying_bits);
      check_sorted_like_std(ones_plus_ulps<float, std::uint32_t>(varying_bits, engine, n),
                            embcheck::element_type::float32);
    }
  }
}
