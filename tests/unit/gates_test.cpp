// Digest and baseline gates. Digests against PyTorch + hashlib (tests/scripts/make_gate_fixtures.py);
// the baseline rules against hand-made reports whose standard errors are worked out below.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "embcheck/digest.hpp"
#include "embcheck/error.hpp"
#include "embcheck/generate/generate.hpp"
#include "embcheck/read/npy.hpp"
#include "embcheck/verdict/baseline.hpp"
#include "embcheck/verdict/gates.hpp"

namespace {

nlohmann::json fixture() {
  std::ifstream in(EMBCHECK_FIXTURE_DIR "/gate/digests.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

embcheck::table embedding(std::uint64_t seed) {
  embcheck::generate_spec spec;
  spec.rows = 5;
  spec.dim = 100;
  spec.seed = seed;
  return embcheck::generate_table(spec);
}

}  // namespace

TEST_CASE("digests equal hashlib's over PyTorch's float32 bytes, table and rows") {
  const auto want = fixture();
  for (const std::uint64_t seed : {0u, 1u}) {
    const auto digest = embcheck::digest_of(embedding(seed));
    const auto& expected = want[seed == 0 ? "seed0" : "seed1"];
    CHECK(digest.dtype == embcheck::element_type::float32);
    CHECK(digest.table == expected["table"].get<std::string>());
    REQUIRE(digest.rows.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) CHECK(digest.rows[i] == expected["rows"][i].get<std::string>());
    // Without the rows' digests (the text report's case) the table's is the same.
    const auto table_only = embcheck::digest_of(embedding(seed), false);
    CHECK(table_only.table == expected["table"].get<std::string>());
    CHECK(table_only.rows.empty());
  }
}

TEST_CASE("the digest of a float32 file with signalling NaNs is hashlib's over its stored bytes") {
  // Values held as float are hashed as stored; through double a signalling NaN would come back
  // quiet and the digest would differ from numpy's.
  std::ifstream in(EMBCHECK_FIXTURE_DIR "/gate/signalling_nan_2x4.npy", std::ios::binary);
  REQUIRE(in);
  const std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto bytes = std::as_bytes(std::span(chars));
  const auto digest = embcheck::digest_of(embcheck::parse_npy(bytes));
  const auto want = fixture();
  const auto& expected = want["signalling_nan_2x4"];
  CHECK(digest.table == expected["table"].get<std::string>());
  REQUIRE(digest.rows.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) CHECK(digest.rows[i] == expected["rows"][i].get<std::string>());
}

TEST_CASE("digests of long rows and of float64 tables: each row's and the whole table's bytes") {
  // Rows longer than the 4096 values hashed at a time, and float64 bytes: the one-pass digests
  // equal the digest of each row alone and of the whole table alone.
  for (const auto type : {embcheck::element_type::float32, embcheck::element_type::float64}) {
    constexpr std::size_t rows = 3;
    constexpr std::size_t dim = 5000;
    std::vector<double> source(rows * dim);
    for (std::size_t i = 0; i < source.size(); ++i)
      source[i] = std::sin(0.001 * static_cast<double>(i)) / 3.0;
    const embcheck::table t = embcheck::make_table(rows, dim, source, type);
    const auto hash = [&](std::span<const double> values) {
      return type == embcheck::element_type::float32 ? embcheck::sha256_float32_hex(values)
                                                     : embcheck::sha256_hex(std::as_bytes(values));
    };
    const auto digest = embcheck::digest_of(t);
    CHECK(digest.table == hash(source));
    REQUIRE(digest.rows.size() == 3);
    for (std::size_t i = 0; i < 3; ++i)
      CHECK(digest.rows[i] == hash(std::span(source).subspan(i * dim, dim)));
    CHECK(digest.rows[0] != digest.rows[1]);
    CHECK(embcheck::digest_of(t, false).table == hash(source));
  }
}

TEST_CASE("the digest gate and hex normalisation") {
  const std::string seed0 = fixture()["seed0"]["table"];
  std::string upper = seed0;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(embcheck::normalise_sha256_hex(upper) == seed0);
  CHECK_FALSE(embcheck::normalise_sha256_hex(seed0.substr(1)));
  CHECK_FALSE(embcheck::normalise_sha256_hex(std::string(64, 'g')));
  const auto digest = embcheck::digest_of(embedding(0));
  CHECK(embcheck::check_digest(digest, seed0).pass);
  const auto failed = embcheck::check_digest(embcheck::digest_of(embedding(1)), seed0);
  CHECK_FALSE(failed.pass);
  CHECK(failed.message.find("differs from the expected " + seed0) != std::string::npos);
}

TEST_CASE("the against gate names the first differing value") {
  const auto a = embedding(0);
  auto b = a;
  CHECK(embcheck::check_against(a, b, "b.npy").pass);
  b.floats[2 * 100 + 7] = 0.5F;
  b.floats[4 * 100 + 1] = 0.25F;
  const auto gate = embcheck::check_against(a, b, "b.npy");
  CHECK_FALSE(gate.pass);
  CHECK(gate.message.find("2 of 500 values differ from b.npy; first at row 2, index 7: ") !=
        std::string::npos);
  CHECK(gate.message.find("(expected 0.5)") != std::string::npos);
  b.floats[207] = a.floats[207];
  b.floats[401] = a.floats[401];
  CHECK(embcheck::check_against(a, b, "b.npy").pass);
  // Against a float64 table the values are compared in the checked table's type: a difference
  // invisible in float32 is none, one float32 ulp is one.
  const std::vector<double> same(a.floats.begin(), a.floats.end());
  auto c = embcheck::make_table(a.rows, a.dim, same, embcheck::element_type::float64);
  c.doubles[207] += 1e-12;
  CHECK(embcheck::check_against(a, c, "c.npy").pass);
  c.doubles[207] = std::nextafter(a.floats[207], 2.0F);
  CHECK_FALSE(embcheck::check_against(a, c, "c.npy").pass);
  // The same 500 values in another shape are another table (until 2026-11-28 only the count
  // was compared, and 100 x 5 passed against 5 x 100).
  const auto d = embcheck::make_table(a.dim, a.rows, same, embcheck::element_type::float32);
  const auto reshaped = embcheck::check_against(a, d, "d.npy");
  CHECK_FALSE(reshaped.pass);
  CHECK(reshaped.message == "table has 5 x 100 values, d.npy has 100 x 5");
}

namespace {

/// A minimal report: one pooled sample of n values with these moments.
nlohmann::ordered_json report(double mean, double variance, const std::string& verdict = "pass") {
  nlohmann::ordered_json sample = {
      {"n", 100},        {"finite", 100},          {"mean", mean},      {"variance", variance},
      {"skewness", 0.0}, {"excess_kurtosis", 0.0}, {"verdict", verdict}};
  nlohmann::ordered_json config = {{"rows", 1},
                                   {"dim", 100},
                                   {"dtype", "float32"},
                                   {"padding_idx", nullptr},
                                   {"null", {{"distribution", "normal"}}},
                                   {"tests", {"ks"}},
                                   {"axis", {"table"}}};
  return {{"schema_version", 1},
          {"config", config},
          {"rows", nlohmann::json::array()},
          {"columns", nlohmann::json::array()},
          {"table", sample},
          {"digest", {{"algorithm", "sha256"}, {"table", "aa"}}}};
}

nlohmann::json plain(const nlohmann::ordered_json& j) { return nlohmann::json::parse(j.dump()); }

}  // namespace

TEST_CASE("baseline statistics move by standard errors") {
  // Mean: se^2 = var/n per report, so the difference has sd sqrt(2/100) = 0.1414.
  // 0.7 is 4.95 sd (passes at 5), 0.72 is 5.09 sd (fails).
  const auto gates = embcheck::compare_with_baseline(report(0.7, 1.0), plain(report(0.0, 1.0)), 5.0);
  REQUIRE(gates.size() == 3);
  CHECK(gates[0].pass);
  CHECK(gates[1].pass);
  CHECK(gates[2].pass);
  const auto moved = embcheck::compare_with_baseline(report(0.72, 1.0), plain(report(0.0, 1.0)), 5.0);
  CHECK_FALSE(moved[2].pass);
  REQUIRE(moved[2].details.size() == 1);
  CHECK(moved[2].details[0].find("table mean: 0.72 now, 0 in the baseline (5.09 standard errors)") == 0);
  // Variance: se^2 = var^2 (0 + 2)/n: 1.0 vs 1.9 gives sqrt(0.02 + 0.0722) = 0.3036, 2.96 sd.
  CHECK(embcheck::compare_with_baseline(report(0.0, 1.9), plain(report(0.0, 1.0)), 5.0)[2].pass);
  CHECK_FALSE(embcheck::compare_with_baseline(report(0.0, 1.9), plain(report(0.0, 1.0)), 2.9)[2].pass);
}

TEST_CASE("baseline verdict and digest changes") {
  auto now = report(0.0, 1.0, "fail");
  now["digest"]["table"] = "bb";
  const auto gates = embcheck::compare_with_baseline(now, plain(report(0.0, 1.0)), 5.0);
  CHECK_FALSE(gates[0].pass);
  CHECK(gates[0].details.at(0) == "table: pass in the baseline, fail now");
  CHECK_FALSE(gates[1].pass);
  const auto improved =
      embcheck::compare_with_baseline(report(0.0, 1.0), plain(report(0.0, 1.0, "fail")), 5.0);
  CHECK(improved[0].pass);
  CHECK(improved[0].details.size() == 1);
}

TEST_CASE("baselines of another schema or another check are refused") {
  auto other = plain(report(0.0, 1.0));
  other["schema_version"] = 2;
  CHECK_THROWS_WITH_AS(embcheck::compare_with_baseline(report(0.0, 1.0), other, 5.0),
                       "report schema_version 2 cannot be compared; this embcheck writes and reads 1",
                       embcheck::error);
  other = plain(report(0.0, 1.0));
  other["config"]["dim"] = 200;
  CHECK_THROWS_WITH_AS(embcheck::compare_with_baseline(report(0.0, 1.0), other, 5.0),
                       "a report of a different check: config.dim is 100 here, 200 in the baseline",
                       embcheck::error);
  CHECK_THROWS_AS(embcheck::compare_with_baseline(report(0.0, 1.0), nlohmann::json::array(), 5.0),
                  embcheck::error);
}

TEST_CASE("a baseline whose samples are not report samples is refused, naming the field") {
  // Until 2026-11-28 these ended the check with nlohmann's type_error as an internal error, or
  // (a string mean) as a statistic that moved by NaN standard errors.
  const auto refused = [](const nlohmann::json& baseline, const char* message) {
    CAPTURE(message);
    CHECK_THROWS_WITH_AS(embcheck::compare_with_baseline(report(0.0, 1.0), baseline, 5.0), message,
                         embcheck::error);
  };
  auto bad = plain(report(0.0, 1.0));
  bad["table"] = nullptr;
  refused(bad, "not an embcheck report: table is null, not an object");
  bad = plain(report(0.0, 1.0));
  bad["table"]["verdict"] = nullptr;
  refused(bad, "not an embcheck report: table verdict is null, not a string");
  bad = plain(report(0.0, 1.0));
  bad["table"]["mean"] = "0.0";
  refused(bad, "not an embcheck report: table mean is string, not a number");
  bad = plain(report(0.0, 1.0));
  bad["digest"]["table"] = 7;
  refused(bad, "not an embcheck report: digest.table is number, not a string");
  auto now = report(0.0, 1.0);
  now["rows"] = nlohmann::ordered_json::array({now["table"]});
  bad = plain(report(0.0, 1.0));
  bad["rows"] = nlohmann::json::array({42});
  CHECK_THROWS_WITH_AS(embcheck::compare_with_baseline(now, bad, 5.0),
                       "not an embcheck report: row 0 is number, not an object", embcheck::error);
  // A null statistic is a non-finite one, as reports write them: compared, not refused.
  bad = plain(report(0.0, 1.0));
  bad["table"]["skewness"] = nullptr;
  CHECK_FALSE(embcheck::compare_with_baseline(report(0.0, 1.0), bad, 5.0)[2].pass);
}
