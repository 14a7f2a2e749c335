// Tests of the PyTorch-compatible table generator against tables made by PyTorch 1.13.1
// (Debian python3-torch, x86-64) with tests/scripts/make_torch_fixtures.py. Every comparison
// is exact, on float32 bit patterns (tolerance 0): full tables value by value, large ones by
// the sha256 of their little-endian bytes.

#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "embcheck/digest.hpp"
#include "embcheck/error.hpp"
#include "embcheck/generate/generate.hpp"
#include "embcheck/generate/mt19937.hpp"
#include "embcheck/generate/torch_distributions.hpp"
#include "embcheck/generate/torch_math.hpp"

namespace {

using nlohmann::json;

const json& fixtures() {
  static const json data = [] {
    std::ifstream in(std::string(EMBCHECK_FIXTURE_DIR) + "/torch/tables.json");
    REQUIRE(in.good());
    return json::parse(in);
  }();
  return data;
}

std::vector<std::uint32_t> parse_hex_bits(const std::string& hex) {
  REQUIRE(hex.size() % 8 == 0);
  std::vector<std::uint32_t> bits(hex.size() / 8);
  for (std::size_t i = 0; i < bits.size(); ++i) {
    bits[i] = static_cast<std::uint32_t>(std::stoul(hex.substr(8 * i, 8), nullptr, 16));
  }
  return bits;
}

std::uint32_t float_bits(double value) { return std::bit_cast<std::uint32_t>(static_cast<float>(value)); }

/// Empty when equal, else the first differing index and both bit patterns.
template <typename Values>
std::string first_difference(const Values& actual, const std::vector<std::uint32_t>& expected) {
  if (actual.size() != expected.size()) {
    return fmt::format("size {} != expected {}", actual.size(), expected.size());
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const std::uint32_t got = float_bits(static_cast<double>(actual[i]));
    if (got != expected[i]) {
      return fmt::format("index {}: got 0x{:08x}, torch 0x{:08x}", i, got, expected[i]);
    }
  }
  return {};
}

embcheck::rng_mode mode_of(const std::string& name) {
  return name == "torch" ? embcheck::rng_mode::torch : embcheck::rng_mode::torch_scalar;
}

embcheck::generate_spec spec_of(const json& c) {
  embcheck::generate_spec spec;
  spec.rows = c.at("rows").get<std::size_t>();
  spec.dim = c.at("dim").get<std::size_t>();
  spec.seed = c.at("seed").get<std::uint64_t>();
  spec.rng = mode_of(c.at("mode").get<std::string>());
  if (c.at("source") == "uniform_") {
    spec.init = embcheck::init_kind::uniform;
    spec.low = c.at("low").get<double>();
    spec.high = c.at("high").get<double>();
  } else {
    spec.init = embcheck::init_kind::normal;
    spec.mean = c.at("mean").get<double>();
    spec.std = c.at("std").get<double>();
  }
  if (c.contains("padding_idx")) {
    // nn.Embedding counts a negative padding_idx from the end.
    const auto k = c.at("padding_idx").get<std::int64_t>();
    spec.padding_row = static_cast<std::size_t>(k < 0 ? k + static_cast<std::int64_t>(spec.rows) : k);
  }
  return spec;
}

std::string describe(const json& c) {
  std::string text =
      fmt::format("{} {} {}x{} seed {}", c.at("mode").get<std::string>(), c.at("source").get<std::string>(),
                  c.at("rows").get<std::size_t>(), c.at("dim").get<std::size_t>(), c.at("torch_seed").dump());
  for (const char* key : {"mean", "std", "low", "high", "padding_idx"}) {
    if (c.contains(key)) {
      text += fmt::format(" {}={}", key, c.at(key).dump());
    }
  }
  return text;
}

/// The table of `c` drawn through the detail API, followed in the same stream by
/// torch.rand(4) and torch.randn(3); each compared with the fixture.
void check_stream_continuation(const json& c, const embcheck::generate_spec& spec) {
  embcheck::detail::torch_generator generator(spec.seed);
  std::vector<float> table(spec.rows * spec.dim);
  if (spec.init == embcheck::init_kind::uniform) {
    embcheck::detail::uniform_fill(generator, std::span<float>(table), spec.low, spec.high, spec.rng);
  } else {
    embcheck::detail::normal_fill(generator, std::span<float>(table), spec.mean, spec.std, spec.rng);
  }
  std::vector<float> rand4(4);
  embcheck::detail::uniform_fill(generator, std::span<float>(rand4), 0.0, 1.0, spec.rng);
  CHECK_MESSAGE(first_difference(rand4, parse_hex_bits(c.at("next_rand4"))) == "", "rand(4) after table");
  std::vector<float> randn3(3);
  embcheck::detail::normal_fill(generator, std::span<float>(randn3), 0.0, 1.0, spec.rng);
  CHECK_MESSAGE(first_difference(randn3, parse_hex_bits(c.at("next_randn3"))) == "", "randn(3) after table");
}

}  // namespace

TEST_CASE("mt19937 gives the standard MT19937 stream") {
  // Known outputs of MT19937 with the default seed 5489 (C++ [rand.predef]: the 10000th is 4123659995).
  embcheck::detail::mt19937 engine(5489);
  const std::uint32_t first[] = {3499211612U, 581869302U, 3890346734U, 3586334585U, 545404204U};
  for (const std::uint32_t expected : first) {
    CHECK(engine.random() == expected);
  }
  for (int i = 5; i < 9999; ++i) {
    static_cast<void>(engine.random());
  }
  CHECK(engine.random() == 4123659995U);

  // Only the low 32 bits of the seed count; random64 puts the first draw in the high word.
  embcheck::detail::mt19937 wrapped((std::uint64_t{1} << 32) + 5);
  embcheck::detail::mt19937 plain(5);
  std::mt19937 reference(5);
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t r = plain.random();
    CHECK(wrapped.random() == r);
    CHECK(r == reference());
  }
  const std::uint64_t high = reference();
  const std::uint64_t low = reference();
  CHECK(plain.random64() == ((high << 32) | low));
}

TEST_CASE("mt19937 matches torch.manual_seed through torch.rand") {
  for (const char* mode : {"torch", "torch_scalar"}) {
    for (const json& e : fixtures().at("modes").at(mode).at("engine")) {
      const auto seed = e.at("seed").get<std::uint64_t>();
      INFO("torch_seed " << e.at("torch_seed").dump());
      // torch.manual_seed wraps negative seeds modulo 2^64 (torch.initial_seed() reports it).
      CHECK(e.at("initial_seed").get<std::uint64_t>() == seed);
      embcheck::detail::mt19937 engine(seed);
      for (const auto& v : e.at("rand_f32_times_2p24")) {
        CHECK((engine.random() & 0xffffffU) == v.get<std::uint32_t>());
      }
      for (const auto& v : e.at("rand_f64_times_2p53")) {
        CHECK((engine.random64() & ((std::uint64_t{1} << 53) - 1)) == v.get<std::uint64_t>());
      }
    }
  }
}

TEST_CASE("generate_table reproduces torch tables bit for bit, on one thread and in pieces") {
  std::size_t full = 0;
  std::size_t hashed = 0;
  std::size_t in_pieces = 0;
  for (const char* mode : {"torch", "torch_scalar"}) {
    for (const json& c : fixtures().at("modes").at(mode).at("cases")) {
      INFO(describe(c));
      const embcheck::generate_spec spec = spec_of(c);
      const embcheck::table t = embcheck::generate_table(spec);
      CHECK(t.rows == spec.rows);
      CHECK(t.dim == spec.dim);
      CHECK(t.source_type == embcheck::element_type::float32);
      // Tables of 2^17 values and more are also made in pieces on 2 and 3 threads.
      std::vector<embcheck::table> made;
      made.push_back(t);
      if (spec.rows * spec.dim >= (std::size_t{1} << 17)) {
        for (const unsigned threads : {2u, 3u}) made.push_back(embcheck::generate_table(spec, threads));
        ++in_pieces;
      }
      for (std::size_t k = 0; k < made.size(); ++k) {
        CAPTURE(k);
        if (c.contains("bits")) {
          CHECK_MESSAGE(first_difference(made[k].floats, parse_hex_bits(c.at("bits"))) == "", "table");
        } else {
          CHECK(embcheck::sha256_float32_hex(made[k].floats) == c.at("sha256").get<std::string>());
        }
      }
      ++(c.contains("bits") ? full : hashed);
      check_stream_continuation(c, spec);
    }
  }
  MESSAGE("torch fixture cases: " << full << " full tables, " << hashed << " sha256, " << in_pieces
                                  << " also made in pieces");
  CHECK(full + hashed > 900);
  CHECK(in_pieces >= 10);
}

TEST_CASE("the two rng modes differ where the fused multiply-add matters") {
  // If the torch_scalar code were contracted into fused multiply-adds (or the torch code lost
  // them), these uniform_(-b, b) tables would agree; PyTorch's two builds do not.
  const auto& modes = fixtures().at("modes");
  std::size_t compared = 0;
  std::size_t differing = 0;
  for (std::size_t i = 0; i < modes.at("torch").at("cases").size(); ++i) {
    const json& a = modes.at("torch").at("cases").at(i);
    const json& b = modes.at("torch_scalar").at("cases").at(i);
    if (a.at("source") == "uniform_" && a.at("low").get<double>() < -0.3 &&
        a.at("low").get<double>() > -0.4 && a.contains("bits")) {
      ++compared;
      differing += a.at("bits") != b.at("bits") ? 1 : 0;
    }
  }
  CHECK(compared > 50);
  CHECK(differing > compared / 2);
}

TEST_CASE("unfused_mul_add rounds the product before adding") {
  // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 rounds to 1 + 2^-11 (a tie to even), so the unfused result
  // is exactly 0 while a fused multiply-add gives 2^-24; likewise in double with 2^-27, 2^-54.
  const float a = 1.0F + 0x1p-12F;
  const float c = -(1.0F + 0x1p-11F);
  CHECK(std::fma(a, a, c) == 0x1p-24F);
  CHECK(embcheck::detail::unfused_mul_add(a, a, c) == 0.0F);
  const double ad = 1.0 + 0x1p-27;
  const double cd = -(1.0 + 0x1p-26);
  CHECK(std::fma(ad, ad, cd) == 0x1p-54);
  CHECK(embcheck::detail::unfused_mul_add(ad, ad, cd) == 0.0);
}

TEST_CASE("avx_mathfun lanes") {
  // Special values of log256_ps: NaN for x <= 0, exact 0 at 1.
  CHECK(std::isnan(embcheck::detail::avx_log(0.0F)));
  CHECK(std::isnan(embcheck::detail::avx_log(-1.0F)));
  CHECK(embcheck::detail::avx_log(1.0F) == 0.0F);
  // The Cephes polynomials are accurate to a few float ulps on the kernel's ranges
  // (u in (0, 1], theta in [0, 2 pi)): measured at most 7.2e-8 on this grid; tolerance 2e-7
  // absolute for sin/cos, 2e-7 relative for log.
  for (int i = 1; i <= 1000; ++i) {
    const float u = static_cast<float>(i) / 1000.0F;
    const double log_ref = std::log(static_cast<double>(u));
    CHECK(std::abs(embcheck::detail::avx_log(u) - log_ref) <= 2e-7 * std::max(1.0, std::abs(log_ref)));
    const float theta = embcheck::detail::two_pi_float * u;
    const embcheck::detail::sin_cos sc = embcheck::detail::avx_sincos(theta);
    CHECK(std::abs(sc.sin - std::sin(static_cast<double>(theta))) <= 2e-7);
    CHECK(std::abs(sc.cos - std::cos(static_cast<double>(theta))) <= 2e-7);
  }
}

TEST_CASE("normal_fill consumes numel + 16 draws with a tail, 4 per pair below 16") {
  using embcheck::detail::normal_fill_draws;
  CHECK(normal_fill_draws(0) == 0);
  CHECK(normal_fill_draws(1) == 4);
  CHECK(normal_fill_draws(15) == 32);
  CHECK(normal_fill_draws(16) == 16);
  CHECK(normal_fill_draws(17) == 33);
  CHECK(normal_fill_draws(32) == 32);
  CHECK(normal_fill_draws(4000000) == 4000000);
  CHECK(normal_fill_draws(1000003) == 1000019);
  for (const std::size_t n : {std::size_t{17}, std::size_t{33}, std::size_t{1000}}) {
    embcheck::detail::torch_generator generator(7);
    std::vector<float> values(n);
    embcheck::detail::normal_fill(generator, std::span<float>(values), 0.0, 1.0, embcheck::rng_mode::torch);
    embcheck::detail::mt19937 reference(7);
    for (std::size_t i = 0; i < normal_fill_draws(n); ++i) {
      static_cast<void>(reference.random());
    }
    CHECK(generator.engine.random() == reference.random());
  }
}

TEST_CASE("generate_table rejects impossible requests") {
  embcheck::generate_spec spec;
  spec.rows = 3;
  spec.dim = 4;
  spec.std = -1.0;
  CHECK_THROWS_AS(static_cast<void>(embcheck::generate_table(spec)), embcheck::error);
  spec.std = 1.0;
  spec.padding_row = 3;
  CHECK_THROWS_AS(static_cast<void>(embcheck::generate_table(spec)), embcheck::error);
  spec.padding_row.reset();
  spec.init = embcheck::init_kind::uniform;
  spec.low = 1.0;
  spec.high = 1.0;
  CHECK_THROWS_AS(static_cast<void>(embcheck::generate_table(spec)), embcheck::error);
  spec.high = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(static_cast<void>(embcheck::generate_table(spec)), embcheck::error);
  spec.high = 2.0;
  spec.rows = 0;
  CHECK(embcheck::generate_table(spec).floats.empty());
}

TEST_CASE("padding_row zeroes one row and leaves the stream unchanged") {
  embcheck::generate_spec spec;
  spec.rows = 4;
  spec.dim = 5;
  spec.seed = 3;
  const embcheck::table plain = embcheck::generate_table(spec);
  spec.padding_row = 2;
  const embcheck::table padded = embcheck::generate_table(spec);
  for (std::size_t r = 0; r < spec.rows; ++r) {
    for (std::size_t j = 0; j < spec.dim; ++j) {
      const double expected = r == 2 ? 0.0 : plain.value(r * spec.dim + j);
      CHECK(padded.value(r * spec.dim + j) == expected);
    }
  }
  CHECK(!std::signbit(padded.value(2 * spec.dim)));
}

TEST_CASE("generate_table in pieces gives one thread's table (tails, padding row, both inits)") {
  // One thread is the path checked against PyTorch above; pieces start at multiples of 16
  // inside rows, and the last one makes the tail block (values % 16 != 0).
  for (const embcheck::init_kind init : {embcheck::init_kind::normal, embcheck::init_kind::uniform}) {
    for (const std::size_t dim : {100003u, 131072u}) {
      embcheck::generate_spec spec;
      spec.rows = 3;
      spec.dim = dim;
      spec.seed = 11;
      spec.init = init;
      spec.low = -0.5;
      spec.high = 2.0;
      spec.padding_row = 1;
      const embcheck::table one = embcheck::generate_table(spec);
      for (const unsigned threads : {2u, 4u, 7u}) {
        CAPTURE(dim);
        CAPTURE(threads);
        const embcheck::table pieces = embcheck::generate_table(spec, threads);
        CHECK(pieces.floats == one.floats);
      }
    }
  }
}

TEST_CASE("mt19937 generate gives the draws of random(), across blocks of state") {
  embcheck::detail::mt19937 engine(7);
  std::mt19937 reference(7);
  std::vector<std::uint32_t> out;
  for (const std::size_t count : {0, 1, 622, 1, 624, 5, 2000, 3}) {
    CAPTURE(count);
    out.assign(count, 0);
    engine.generate(out.data(), count, [](std::uint32_t draw) { return draw; });
    for (const std::uint32_t draw : out) REQUIRE(draw == reference());
    REQUIRE(engine.random() == reference());
  }
  std::vector<double> halves(10);
  engine.generate(halves.data(), halves.size(), [](std::uint32_t draw) { return 0.5 * draw; });
  for (const double half : halves) REQUIRE(half == 0.5 * reference());
}

TEST_CASE("mt19937 discard skips draws as std::mt19937 does") {
  for (const std::uint64_t skip : {0ULL, 1ULL, 623ULL, 624ULL, 625ULL, 100000ULL}) {
    CAPTURE(skip);
    embcheck::detail::mt19937 engine(99);
    std::mt19937 reference(99);
    engine.random();
    reference();
    engine.discard(skip);
    reference.discard(skip);
    for (int i = 0; i < 2000; ++i) REQUIRE(engine.random() == reference());
  }
}
