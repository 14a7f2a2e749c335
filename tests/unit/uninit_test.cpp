// Tests of the uninitialized-memory imitation. There is no outside reference for an invented
// generator; instead a plain re-implementation of the algorithm as docs/uninit.md states it
// (reference_uninit below, written from the document) must give the same table bit for bit, and
// the value shares must match the expectations derived in docs/uninit.md.

#include "embcheck/generate/uninit.hpp"

#include <doctest/doctest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace {

enum category { zero_page, stale, integer, raw };

struct reference_table {
  std::vector<std::uint32_t> bits;
  std::vector<category> categories;
};

/// docs/uninit.md, "Exact algorithm", step by step.
reference_table reference_uninit(std::size_t n, std::uint64_t seed) {
  reference_table out;
  std::mt19937_64 engine(seed);
  while (out.bits.size() < n) {
    const std::uint64_t c = engine() % 115;
    const std::uint64_t p = engine();
    const std::uint64_t lo = p & 0xffffffffu;
    const std::uint64_t hi = p >> 32;
    category kind = c < 10 ? zero_page : c < 19 ? stale : c < 51 ? integer : raw;
    std::uint64_t length = kind == zero_page ? 1024 * (1 + lo % 3)
                           : kind == stale   ? 64 + lo % 3969
                           : kind == integer ? 16 + lo % 481
                                             : 1 + lo % 127;
    length = std::min<std::uint64_t>(length, n - out.bits.size());
    for (std::uint64_t j = 0; j < length; ++j) {
      std::uint32_t bits = 0;
      if (kind == stale) {
        const double sigma = hi % 2 == 0 ? 0.02 : 1.0;
        const std::uint64_t w = engine();
        const std::int64_t s = static_cast<std::int64_t>((w & 0xffff) + ((w >> 16) & 0xffff) +
                                                         ((w >> 32) & 0xffff) + ((w >> 48) & 0xffff));
        bits = std::bit_cast<std::uint32_t>(
            static_cast<float>(static_cast<double>(s - 131070) * (sigma * 1.7320508075688772 / 65536)));
      } else if (kind == integer) {
        const std::uint64_t sub = hi % 3;
        if (sub == 0 || (sub == 1 && j % 2 == 0)) {
          bits = static_cast<std::uint32_t>(engine() & 0xffff);
        } else if (sub == 1) {
          bits = 0;
        } else if (j % 2 == 0) {
          bits = static_cast<std::uint32_t>((engine() >> 32) & 0xfffffff0);
        } else {
          bits = static_cast<std::uint32_t>(0x00007f00 | ((hi >> 8) & 0xff));
        }
      } else if (kind == raw) {
        const std::uint64_t w = engine();
        const std::array<std::uint32_t, 4> specials = {0x7fc00000, 0xffc00000, 0x7f800000, 0xff800000};
        bits = w % 16 == 0 ? specials[(w >> 4) % 4] : static_cast<std::uint32_t>(w >> 32);
      }
      if ((bits & 0x7f800000) == 0x7f800000 && (bits & 0x007fffff) != 0) bits |= 0x00400000;
      out.bits.push_back(bits);
      out.categories.push_back(kind);
    }
  }
  return out;
}

embcheck::table make(std::size_t rows, std::size_t dim, std::uint64_t seed) {
  embcheck::generate_spec spec;
  spec.rows = rows;
  spec.dim = dim;
  spec.seed = seed;
  spec.init = embcheck::init_kind::uninit;
  return embcheck::generate_uninit(spec);
}

bool same_bits(const embcheck::table& a, const embcheck::table& b) {
  if (a.held() != b.held()) return false;
  for (std::size_t i = 0; i < a.held(); ++i) {
    if (std::bit_cast<std::uint64_t>(a.value(i)) != std::bit_cast<std::uint64_t>(b.value(i))) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the engine is the standard's mt19937_64") {
  // [rand.predef]: the 10000th output of a default-constructed std::mt19937_64.
  std::mt19937_64 engine;
  engine.discard(9999);
  CHECK(engine() == 9981545732273789042ULL);
}

TEST_CASE("generate_uninit follows docs/uninit.md bit for bit") {
  for (const auto& [rows, dim, seed] : {std::array<std::uint64_t, 3>{1, 1, 0},
                                        {1, 3, 7},
                                        {3, 1, 1},
                                        {100, 64, 42},
                                        {513, 300, 2024},
                                        {2, 5000, 18446744073709551615ULL}}) {
    CAPTURE(rows);
    CAPTURE(dim);
    CAPTURE(seed);
    const embcheck::table t = make(rows, dim, seed);
    CHECK(t.rows == rows);
    CHECK(t.dim == dim);
    CHECK(t.source_type == embcheck::element_type::float32);
    const reference_table expected = reference_uninit(rows * dim, seed);
    REQUIRE(t.held() == expected.bits.size());
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < t.held(); ++i) {
      const double value = static_cast<double>(std::bit_cast<float>(expected.bits[i]));
      if (std::bit_cast<std::uint64_t>(t.value(i)) != std::bit_cast<std::uint64_t>(value)) ++mismatches;
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("generate_uninit is deterministic and depends on the seed") {
  CHECK(same_bits(make(300, 200, 5), make(300, 200, 5)));
  CHECK_FALSE(same_bits(make(300, 200, 5), make(300, 200, 6)));
  // A 1 x n table is the start of the longer one: the slots are filled in order.
  const embcheck::table small = make(1, 3, 9);
  const embcheck::table large = make(1, 3000, 9);
  REQUIRE(small.held() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(std::bit_cast<std::uint64_t>(small.value(i)) == std::bit_cast<std::uint64_t>(large.value(i)));
  }
  CHECK(make(1, 1, 0).held() == 1);
  CHECK(make(0, 10, 0).held() == 0);
}

TEST_CASE("the documented category shares hold") {
  // Shares of the four categories over 16M slots (4 seeds x 4M): expected 0.40, 0.36, 0.16, 0.08.
  // Across seeds a 4M table's zero share has standard deviation 0.010 (measured over 100 seeds);
  // the pooled shares get tolerances of about 6 standard deviations of the pooled mean.
  std::array<double, 4> counts{};
  std::size_t total = 0;
  for (std::uint64_t seed = 100; seed < 104; ++seed) {
    const reference_table r = reference_uninit(std::size_t{1} << 22, seed);
    for (const category c : r.categories) counts[c] += 1;
    total += r.categories.size();
  }
  CHECK(std::abs(counts[zero_page] / static_cast<double>(total) - 0.40) < 0.03);
  CHECK(std::abs(counts[stale] / static_cast<double>(total) - 0.36) < 0.03);
  CHECK(std::abs(counts[integer] / static_cast<double>(total) - 0.16) < 0.012);
  CHECK(std::abs(counts[raw] / static_cast<double>(total) - 0.08) < 0.006);
}

TEST_CASE("a large table shows every kind of content in the documented proportions") {
  // Expected shares from docs/uninit.md; tolerances are 5 standard deviations across seeds of a
  // 2048 x 2048 table (measured over 100 seeds: zero 0.010, subnormal 0.0033, NaN 0.00007,
  // Inf 0.00006, huge 0.00064, small normal 0.011).
  const embcheck::table t = make(2048, 2048, 12345);
  double zeros = 0, subnormals = 0, nans = 0, plus_inf = 0, minus_inf = 0, huge = 0, small = 0,
         tiny_scale = 0;
  std::size_t longest_zero_run = 0;
  std::size_t zero_run = 0;
  for (const double v : t.floats) {
    zero_run = v == 0.0 ? zero_run + 1 : 0;
    longest_zero_run = std::max(longest_zero_run, zero_run);
    const double a = std::fabs(v);
    if (v == 0.0) {
      ++zeros;
    } else if (std::isnan(v)) {
      ++nans;
    } else if (std::isinf(v)) {
      ++(v > 0 ? plus_inf : minus_inf);
    } else if (a < 0x1p-126) {
      ++subnormals;
    } else if (a >= 0x1p64) {
      ++huge;
    } else if (a < 4.0) {
      ++small;
      if (a < 3.47 * 0.02 && a > 1e-7) ++tiny_scale;
    }
  }
  const double n = static_cast<double>(t.floats.size());
  CHECK(std::abs(zeros / n - 0.4267) < 0.05);
  CHECK(std::abs(subnormals / n - 0.1071) < 0.017);
  CHECK(std::abs(nans / n - 0.0029) < 0.00035);
  CHECK(std::abs((plus_inf + minus_inf) / n - 0.0025) < 0.0003);
  CHECK(std::abs(plus_inf / minus_inf - 1.0) < 0.15);
  CHECK(std::abs(huge / n - 0.0254) < 0.0032);
  CHECK(std::abs(small / n - 0.4108) < 0.055);
  // Stale N(0, 0.02) weights: half the stale share (0.18) lies in (1e-7, 3.47 * 0.02), plus unit-scale
  // values that small (0.18 * 0.055) and random words with exponents in that range (about 0.008):
  // 0.198 (measured over 100 seeds: mean 0.1984, standard deviation 0.0094).
  CHECK(std::abs(tiny_scale / n - 0.198) < 0.047);
  CHECK(longest_zero_run >= 1024);
}
