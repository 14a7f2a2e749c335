// Tests of the .npz, safetensors, word-vector (text and word2vec binary) and raw readers against files
// written by numpy, torch and fasttext (tests/scripts/make_reader_fixtures.py writes tests/fixtures/readers/
// and its manifest.json). Values compare exactly (every stored value is a double exactly);
// errors by substring. The robustness test feeds every truncation and seeded byte flips of every
// fixture (and of the .npy fixtures) and requires a table or embcheck::error, never a crash.

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "embcheck/error.hpp"
#include "embcheck/read/decode.hpp"
#include "embcheck/read/npy.hpp"
#include "embcheck/read/npz.hpp"
#include "embcheck/read/safetensors.hpp"
#include "embcheck/read/word_vectors.hpp"

namespace {

const std::string fixture_dir = std::string(EMBCHECK_FIXTURE_DIR) + "/readers/";

std::vector<std::byte> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open fixture " << path);
  const std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(chars.size());
  for (std::size_t i = 0; i < chars.size(); ++i) bytes[i] = static_cast<std::byte>(chars[i]);
  return bytes;
}

const nlohmann::json& manifest() {
  static const nlohmann::json json = [] {
    std::ifstream in(fixture_dir + "manifest.json");
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
  }();
  return json;
}

embcheck::word_table parse(const nlohmann::json& entry, std::span<const std::byte> bytes) {
  const std::string format = entry.at("format");
  const std::string tensor = entry.at("tensor");
  if (format == "npy") return {embcheck::parse_npy(bytes), {}};
  if (format == "npz") return {embcheck::parse_npz(bytes, tensor), {}};
  if (format == "safetensors") return {embcheck::parse_safetensors(bytes, tensor), {}};
  if (format == "raw") {
    const auto type = embcheck::stored_type_from_name(entry.at("dtype").get<std::string>());
    REQUIRE(type.has_value());
    return {embcheck::parse_raw(bytes, *type, entry.at("dim_option").get<std::size_t>()), {}};
  }
  if (format == "word2vec") return embcheck::parse_word2vec_binary(bytes);
  REQUIRE(format == "text");
  return embcheck::parse_word_vectors(bytes);
}

}  // namespace

TEST_CASE("readers return the values numpy, torch and fasttext wrote") {
  const auto& valid = manifest().at("valid");
  REQUIRE(valid.size() >= 15);
  for (const auto& entry : valid) {
    const std::string name = entry.at("file");
    CAPTURE(name);
    const embcheck::word_table t = parse(entry, read_bytes(fixture_dir + name));
    CHECK(t.values.rows == entry.at("rows").get<std::size_t>());
    CHECK(t.values.dim == entry.at("dim").get<std::size_t>());
    const auto& values = entry.at("values");
    REQUIRE(t.values.held() == values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      CAPTURE(i);
      CHECK(t.values.value(i) == std::stod(values[i].get<std::string>()));
    }
    if (entry.contains("words")) CHECK(t.words == entry.at("words").get<std::vector<std::string>>());
  }
}

TEST_CASE("readers reject malformed input with a one-line message naming the problem") {
  const auto& invalid = manifest().at("invalid");
  REQUIRE(invalid.size() >= 20);
  for (const auto& entry : invalid) {
    const std::string name = entry.at("file");
    CAPTURE(name);
    std::string message;
    try {
      (void)parse(entry, read_bytes(fixture_dir + name));
    } catch (const embcheck::error& e) {
      message = e.what();
    }
    CAPTURE(message);
    CHECK(message.find(entry.at("error").get<std::string>()) != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("half and bfloat16 conversion is exact") {
  CHECK(embcheck::half_to_double(0x3c00) == 1.0);
  CHECK(embcheck::half_to_double(0xc000) == -2.0);
  CHECK(embcheck::half_to_double(0x7bff) == 65504.0);
  CHECK(embcheck::half_to_double(0x0001) == 0x1p-24);
  CHECK(embcheck::half_to_double(0x03ff) == 1023 * 0x1p-24);
  CHECK(embcheck::bfloat16_to_double(0x3f80) == 1.0);
  CHECK(embcheck::bfloat16_to_double(0xc040) == -3.0);
}

TEST_CASE("every truncation and byte flip of every fixture gives a table or embcheck::error") {
  std::mt19937_64 rng(20261126);
  std::size_t inputs = 0;
  auto survive = [&](const nlohmann::json& entry, std::span<const std::byte> bytes) {
    ++inputs;
    try {
      (void)parse(entry, bytes);
    } catch (const embcheck::error&) {
    }
  };
  std::vector<nlohmann::json> entries;
  for (const char* kind : {"valid", "invalid"}) {
    for (const auto& entry : manifest().at(kind)) {
      entries.push_back(entry);
      entries.back()["path"] = fixture_dir + entry.at("file").get<std::string>();
    }
  }
  std::ifstream npy_manifest(std::string(EMBCHECK_FIXTURE_DIR) + "/npy/manifest.json");
  REQUIRE(npy_manifest.good());
  const nlohmann::json npy = nlohmann::json::parse(npy_manifest);
  for (const char* kind : {"valid", "invalid"}) {
    for (const auto& entry : npy.at(kind)) {
      entries.push_back(
          {{"format", "npy"},
           {"tensor", ""},
           {"file", entry.at("file")},
           {"path", std::string(EMBCHECK_FIXTURE_DIR) + "/npy/" + entry.at("file").get<std::string>()}});
    }
  }
  for (const auto& entry : entries) {
    const std::string name = entry.at("path");
    CAPTURE(name);
    const std::vector<std::byte> bytes = read_bytes(name);
    const std::size_t step = std::max<std::size_t>(1, bytes.size() / 512);
    for (std::size_t cut = 0; cut < bytes.size(); cut += step) {
      survive(entry, std::span<const std::byte>(bytes).first(cut));
    }
    for (int trial = 0; trial < 300 && !bytes.empty(); ++trial) {
      std::vector<std::byte> flipped = bytes;
      for (int k = 0; k < 1 + trial % 3; ++k) {
        flipped[rng() % flipped.size()] = static_cast<std::byte>(rng() & 0xff);
      }
      survive(entry, flipped);
    }
  }
  CHECK(inputs > 10000);
}
