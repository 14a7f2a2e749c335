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

/// Same order as std::sort, and -0 before +0 (std::sort leaves equal keys in any order).
void check_sorted_like_std(std::vector<double> values, embcheck::element_type source) {
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  embcheck::sort_values(values, source);
  REQUIRE(values.size() == expected.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    REQUIRE(values[i] == expected[i]);
    if (i > 0 && values[i] == 0.0 && values[i - 1] == 0.0)
      CHECK_FALSE((std::signbit(values[i]) && !std::signbit(values[i - 1])));
  }
}

/// 5000 values 1 + k ulp of type Float, k uniform below 2^varying_bits.
template <class Float, class Bits>
std::vector<double> ones_plus_ulps(unsigned varying_bits, std::mt19937_64& engine) {
  std::uniform_int_distribution<Bits> k(0, (Bits{1} << varying_bits) - 1);
  std::vector<double> values;
  for (int i = 0; i < 5000; ++i)
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
