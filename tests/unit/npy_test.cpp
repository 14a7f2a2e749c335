// Tests of the .npy reader and writer against files made by NumPy 1.24
// (tests/scripts/make_npy_fixtures.py writes tests/fixtures/npy/ and its manifest.json).
// All comparisons are exact: bit patterns of values, bytes of images, substrings of messages.

#include "embcheck/read/npy.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "embcheck/error.hpp"

namespace {

const std::string fixture_dir = std::string(EMBCHECK_FIXTURE_DIR) + "/npy/";

std::vector<std::byte> read_bytes(const std::string& name) {
  std::ifstream in(fixture_dir + name, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open fixture " << name);
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

std::uint64_t hex(const nlohmann::json& text) { return std::stoull(text.get<std::string>(), nullptr, 16); }

/// The message parse_npy throws for `bytes`, or "" if it does not throw.
std::string parse_error(std::span<const std::byte> bytes) {
  try {
    (void)embcheck::parse_npy(bytes);
  } catch (const embcheck::error& e) {
    return e.what();
  }
  return "";
}

/// An image holding `header` as its header text (format 1.0, no padding) and `data_bytes` zero bytes.
std::vector<std::byte> image_with_header(const std::string& header, std::size_t data_bytes) {
  std::vector<std::byte> bytes = {std::byte{0x93},
                                  std::byte{'N'},
                                  std::byte{'U'},
                                  std::byte{'M'},
                                  std::byte{'P'},
                                  std::byte{'Y'},
                                  std::byte{1},
                                  std::byte{0},
                                  static_cast<std::byte>(header.size() & 0xff),
                                  static_cast<std::byte>(header.size() >> 8)};
  for (const char c : header) bytes.push_back(static_cast<std::byte>(c));
  bytes.resize(bytes.size() + data_bytes);
  return bytes;
}

}  // namespace

TEST_CASE("parse_npy reads every valid fixture bit for bit") {
  const auto& valid = manifest().at("valid");
  REQUIRE(valid.size() >= 19);
  for (const auto& entry : valid) {
    const std::string name = entry.at("file");
    CAPTURE(name);
    const embcheck::table t = embcheck::parse_npy(read_bytes(name));
    CHECK(t.rows == entry.at("rows").get<std::size_t>());
    CHECK(t.dim == entry.at("dim").get<std::size_t>());
    const bool is_float32 = entry.at("type") != "float64";  // float16: recorded as its float32 bits
    CHECK(t.source_type == (is_float32 ? embcheck::element_type::float32 : embcheck::element_type::float64));
    const auto& bits = entry.at("bits");
    REQUIRE(t.held() == bits.size());
    for (std::size_t i = 0; i < bits.size(); ++i) {
      CAPTURE(i);
      const double expected =
          is_float32 ? static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(hex(bits[i]))))
                     : std::bit_cast<double>(hex(bits[i]));
      CHECK(std::bit_cast<std::uint64_t>(t.value(i)) == std::bit_cast<std::uint64_t>(expected));
    }
  }
}

TEST_CASE("parse_npy_header and decode_stored in pieces of any size give parse_npy's table") {
  // The CLI reads a .npy as its header, then the data a block at a time (stored order, so column
  // after column for Fortran order): every split of the data must give the same table.
  for (const auto& entry : manifest().at("valid")) {
    const std::string name = entry.at("file");
    CAPTURE(name);
    const std::vector<std::byte> bytes = read_bytes(name);
    const embcheck::table whole = embcheck::parse_npy(bytes);
    const std::size_t header_end = embcheck::npy_header_end(std::span(bytes).first(12), bytes.size());
    const embcheck::stored_layout layout =
        embcheck::parse_npy_header(std::span(bytes).first(header_end), bytes.size());
    CHECK(layout.data_offset == header_end);
    CHECK(layout.rows == whole.rows);
    CHECK(layout.dim == whole.dim);
    CHECK(layout.data_offset + layout.data_size() == bytes.size());
    CHECK(embcheck::table_type(layout.type) == whole.source_type);
    for (const std::size_t piece : {std::size_t{1}, std::size_t{3}, std::size_t{7}}) {
      CAPTURE(piece);
      std::vector<double> values(whole.held(), -1.0);
      const std::size_t item = embcheck::size_of(layout.type);
      for (std::size_t first = 0; first < values.size(); first += piece) {
        const std::size_t count = std::min(piece, values.size() - first);
        embcheck::decode_stored(layout, first, count, bytes.data() + layout.data_offset + first * item,
                                values);
      }
      for (std::size_t i = 0; i < values.size(); ++i) {
        CAPTURE(i);
        CHECK(std::bit_cast<std::uint64_t>(values[i]) == std::bit_cast<std::uint64_t>(whole.value(i)));
      }
      if (whole.source_type != embcheck::element_type::float32) continue;
      // Straight into a float32 table, as the CLI reads a whole float16/float32 file.
      std::vector<float> floats(values.size(), -1.0F);
      for (std::size_t first = 0; first < floats.size(); first += piece) {
        const std::size_t count = std::min(piece, floats.size() - first);
        embcheck::decode_stored(layout, first, count, bytes.data() + layout.data_offset + first * item,
                                std::span<float>(floats));
      }
      for (std::size_t i = 0; i < floats.size(); ++i) {
        CAPTURE(i);
        CHECK(std::bit_cast<std::uint32_t>(floats[i]) == std::bit_cast<std::uint32_t>(whole.floats[i]));
      }
    }
  }
}

TEST_CASE("parse_npy_header needs the whole header and measures the data against the file's size") {
  const std::vector<std::byte> bytes = read_bytes("f4_2d_v1.npy");
  const std::size_t header_end = embcheck::npy_header_end(bytes, bytes.size());
  CHECK_THROWS_WITH_AS((void)embcheck::parse_npy_header(std::span(bytes).first(header_end - 1), bytes.size()),
                       doctest::Contains("truncated header"), embcheck::error);
  CHECK_THROWS_WITH_AS((void)embcheck::parse_npy_header(std::span(bytes).first(header_end), bytes.size() - 1),
                       doctest::Contains("truncated: expected 48 data bytes"), embcheck::error);
  CHECK_THROWS_WITH_AS((void)embcheck::parse_npy_header(std::span(bytes).first(header_end), bytes.size() + 4),
                       doctest::Contains("4 unexpected bytes after the data"), embcheck::error);
  CHECK_THROWS_WITH_AS((void)embcheck::npy_header_end(std::span(bytes).first(12), header_end - 1),
                       doctest::Contains("truncated header"), embcheck::error);
}

TEST_CASE("parse_npy rejects every malformed fixture with a one-line message naming the problem") {
  const auto& invalid = manifest().at("invalid");
  REQUIRE(invalid.size() >= 40);
  for (const auto& entry : invalid) {
    const std::string name = entry.at("file");
    const std::string expected = entry.at("error");
    CAPTURE(name);
    const std::string message = parse_error(read_bytes(name));
    CAPTURE(message);
    CHECK(message.find(expected) != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
}

TEST_CASE("to_npy_float32 writes the bytes numpy.save writes") {
  for (const auto& entry : manifest().at("written")) {
    const std::string name = entry.at("file");
    CAPTURE(name);
    embcheck::table t;
    t.rows = entry.at("rows");
    t.dim = entry.at("dim");
    // The doubles as they are: to_npy_float32 rounds them to float32 as numpy's astype does.
    t.source_type = embcheck::element_type::float64;
    for (const auto& bits : entry.at("double_bits")) t.doubles.push_back(std::bit_cast<double>(hex(bits)));
    const std::vector<std::byte> expected = read_bytes(name);
    const std::vector<std::byte> written = embcheck::to_npy_float32(t);
    CHECK(written == expected);
    if (t.rows > 0 && t.dim > 0) {
      const embcheck::table back = embcheck::parse_npy(written);
      CHECK(back.rows == t.rows);
      CHECK(back.dim == t.dim);
      for (std::size_t i = 0; i < t.doubles.size(); ++i) {
        const double rounded = static_cast<double>(static_cast<float>(t.doubles[i]));
        CHECK(std::bit_cast<std::uint64_t>(back.value(i)) == std::bit_cast<std::uint64_t>(rounded));
      }
    }
  }
}

TEST_CASE("to_npy_float32 then parse_npy gives the values rounded to float32") {
  for (const auto& [rows, dim] :
       {std::pair<std::size_t, std::size_t>{1, 1}, {1, 3}, {3, 1}, {7, 123}, {64, 16}}) {
    CAPTURE(rows);
    CAPTURE(dim);
    embcheck::table t;
    t.rows = rows;
    t.dim = dim;
    t.source_type = embcheck::element_type::float64;
    for (std::size_t i = 0; i < rows * dim; ++i) t.doubles.push_back((static_cast<double>(i) - 100.3) / 7.1);
    const std::vector<std::byte> image = embcheck::to_npy_float32(t);
    const std::size_t header_end =
        10 + std::to_integer<std::size_t>(image[8]) + 256 * std::to_integer<std::size_t>(image[9]);
    CHECK(header_end % 64 == 0);
    CHECK(image[header_end - 1] == std::byte{'\n'});
    CHECK(image.size() == header_end + 4 * rows * dim);
    const embcheck::table back = embcheck::parse_npy(image);
    CHECK(back.rows == rows);
    CHECK(back.dim == dim);
    CHECK(back.source_type == embcheck::element_type::float32);
    REQUIRE(back.held() == t.doubles.size());
    for (std::size_t i = 0; i < t.doubles.size(); ++i) {
      CHECK(back.value(i) == static_cast<double>(static_cast<float>(t.doubles[i])));
    }
  }
}

TEST_CASE("a float32 table keeps its bits through to_npy_float32 and parse_npy, signalling NaN included") {
  // Held as float, the values are never converted: a signalling NaN (quiet bit clear) stays one,
  // as numpy keeps it (a trip through double would set the quiet bit).
  const std::vector<std::uint32_t> bits = {0x3f800000u, 0x7fa00000u, 0xffa00001u,
                                           0x7fc00000u, 0x80000000u, 0x00000001u};
  embcheck::table t;
  t.rows = 2;
  t.dim = 3;
  for (const std::uint32_t b : bits) t.floats.push_back(std::bit_cast<float>(b));
  const std::vector<std::byte> image = embcheck::to_npy_float32(t);
  const embcheck::table back = embcheck::parse_npy(image);
  REQUIRE(back.source_type == embcheck::element_type::float32);
  REQUIRE(back.floats.size() == bits.size());
  for (std::size_t i = 0; i < bits.size(); ++i) {
    CAPTURE(i);
    CHECK(std::bit_cast<std::uint32_t>(back.floats[i]) == bits[i]);
  }
}

TEST_CASE("to_npy_float32 aligns the data for every width of the row count") {
  for (std::size_t rows = 1, digits = 1; digits <= 20; rows = rows * 10 + 9, ++digits) {
    CAPTURE(rows);
    embcheck::table t;
    t.rows = rows;
    t.dim = 0;
    const std::vector<std::byte> image = embcheck::to_npy_float32(t);
    CHECK(image.size() % 64 == 0);
    CHECK(image.back() == std::byte{'\n'});
  }
}

TEST_CASE("to_npy_float32 rejects a table whose values do not match its shape") {
  embcheck::table t;
  t.rows = 2;
  t.dim = 3;
  t.floats.assign(5, 0.0F);
  CHECK_THROWS_AS((void)embcheck::to_npy_float32(t), embcheck::error);
}

TEST_CASE("parse_npy throws embcheck::error, and nothing else, on every prefix and byte mutation") {
  // A defensive smoke test ahead of the fuzz target: truncations and single-byte changes of
  // valid images must either parse or throw embcheck::error (run it under ASan/UBSan too).
  std::size_t parsed = 0;
  std::size_t rejected = 0;
  const auto attempt = [&](std::span<const std::byte> bytes) {
    try {
      const embcheck::table t = embcheck::parse_npy(bytes);
      CHECK(t.held() == t.rows * t.dim);
      ++parsed;
    } catch (const embcheck::error&) {
      ++rejected;
    }
  };
  for (const char* name : {"f4_2d_v1.npy", "f8_1d_v2.npy", "f4_reordered.npy"}) {
    const std::vector<std::byte> image = read_bytes(name);
    for (std::size_t n = 0; n < image.size(); ++n) attempt(std::span(image).first(n));
    for (std::size_t i = 0; i < image.size() && i < 200; ++i) {
      for (const int value :
           {0x00, 0x0a, 0x20, 0x22, 0x27, 0x28, 0x29, 0x2c, 0x30, 0x39, 0x3a, 0x5c, 0x7b, 0x7d, 0x80, 0xff}) {
        std::vector<std::byte> mutated = image;
        mutated[i] = static_cast<std::byte>(value);
        attempt(mutated);
      }
    }
  }
  CHECK(parsed > 0);
  CHECK(rejected > 0);
}

TEST_CASE("parse_npy survives hostile headers") {
  const std::string tail = "'fortran_order': False, 'shape': (2, 5)}";
  CHECK(parse_error(image_with_header("{'descr': " + std::string(5000, '[') + ", " + tail, 40))
            .find("nested too deeply") != std::string::npos);
  std::string many = "{'descr': [";
  for (int i = 0; i < 5000; ++i) many += "1,";
  CHECK(parse_error(image_with_header(many + "], " + tail, 40)).find("more than 4096 literals") !=
        std::string::npos);
  CHECK(parse_error(image_with_header("{'descr': '" + std::string(60000, 'x') + "', " + tail, 40))
            .find("is not supported") != std::string::npos);
  CHECK(parse_error(image_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5)} #", 40)) ==
        "");
  CHECK(parse_error(image_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 5)} \\", 40))
            .find("unexpected text") != std::string::npos);
  for (const char* header : {"", "{", "{'", "{'descr'", "{'descr':", "{'descr': '<f4'", "{'descr': '<f4',",
                             "(", "(1", "(1,", "[", "-", "- ", "u", "u'", "'\\", "1_", "1__0"}) {
    CAPTURE(header);
    CHECK(parse_error(image_with_header(header, 40)).find("invalid .npy header") != std::string::npos);
  }
}
