// Reader and writer of the NumPy .npy format.
//
// Source: NEP 1, "A Simple File Format for NumPy Arrays" (Robert Kern, 2007), and its reference
// implementation numpy/lib/format.py of NumPy 1.24 (_read_array_header, _write_array_header,
// _wrap_header, _filter_header). Layout: the magic "\x93NUMPY", major and minor version bytes, the
// header length (little-endian uint16 in version 1.0, uint32 in 2.0 and 3.0), then the header: the
// repr of a Python dict with exactly the keys 'descr', 'fortran_order' and 'shape', padded with
// spaces and a final '\n' (latin-1 in 1.0 and 2.0, UTF-8 in 3.0), then the raw data, in C order or,
// with fortran_order True, column-major (the first index varying fastest).
//
// The header is read by a small recursive-descent parser for the subset of Python literals that
// ast.literal_eval accepts and a header can hold: dicts, tuples, lists, strings (with adjacent-string
// concatenation), integers (with one optional sign and underscores), True, False and None;
// whitespace and comments between tokens. It is bounded: every step advances through the header or
// stops, nesting is limited to max_depth and the number of literals to max_values (so memory
// stays proportional to the header), and every read is checked against the header's end, so
// no input can make it crash or read out of bounds. As in Python, a repeated key keeps its last
// value.

#include "embcheck/read/npy.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "embcheck/error.hpp"
#include "embcheck/read/decode.hpp"

namespace embcheck {

namespace {

constexpr std::array<unsigned char, 6> npy_magic = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::size_t max_depth = 32;     // deepest nesting of literals in a header
constexpr std::size_t max_values = 4096;  // most literals in a header (a valid one has about 9)
constexpr std::size_t max_echo = 48;      // longest piece of the header quoted in a message

/// A Python literal as far as a .npy header needs it.
struct py_value {
  enum class kind { dict, tuple, list, string, integer, boolean, none, other_number };
  kind type = kind::none;
  std::string text;             ///< string contents, or the number as written
  bool negative = false;        ///< integer: sign
  std::uint64_t magnitude = 0;  ///< integer: absolute value (meaningless if too_big)
  bool too_big = false;         ///< integer: does not fit in 64 bits
  bool flag = false;            ///< boolean value
  std::vector<py_value> items;  ///< tuple and list elements; dict keys and values alternating
};

/// `text` with anything but printable ASCII escaped as \xNN, cut to about max_echo characters.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (out.size() >= max_echo) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  return out;
}

/// Python's repr of a value, cut short for messages.
std::string repr(const py_value& value) {
  switch (value.type) {
    case py_value::kind::string: return fmt::format("'{}'", printable(value.text));
    case py_value::kind::integer:
    case py_value::kind::other_number: return printable(value.text);
    case py_value::kind::boolean: return value.flag ? "True" : "False";
    case py_value::kind::none: return "None";
    case py_value::kind::tuple:
    case py_value::kind::list:
    case py_value::kind::dict: break;
  }
  const bool is_dict = value.type == py_value::kind::dict;
  std::string out = is_dict ? "{" : value.type == py_value::kind::list ? "[" : "(";
  for (std::size_t i = 0; i < value.items.size(); ++i) {
    if (out.size() > max_echo) {
      out += "...";
      break;
    }
    if (i > 0) out += (is_dict && i % 2 == 1) ? ": " : ", ";
    out += repr(value.items[i]);
  }
  if (value.type == py_value::kind::tuple && value.items.size() == 1) out += ",";
  out += is_dict ? "}" : value.type == py_value::kind::list ? "]" : ")";
  return out;
}

/// Recursive-descent parser of a header's Python literal; offsets in messages are file offsets.
class header_parser {
 public:
  header_parser(std::string_view text, std::size_t file_offset, bool allow_long_suffix)
      : text_(text), file_offset_(file_offset), allow_long_suffix_(allow_long_suffix) {}

  /// The single literal that makes up the whole header.
  py_value parse() {
    py_value value = parse_value(0);
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the dictionary");
    return value;
  }

 private:
  std::string_view text_;
  std::size_t file_offset_;
  bool allow_long_suffix_;
  std::size_t pos_ = 0;
  std::size_t values_ = 0;

  [[noreturn]] void fail(std::string_view what) const {
    throw error(fmt::format("invalid .npy header: {} at offset {}", what, file_offset_ + pos_));
  }

  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }

  static bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
  static bool is_name_start(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  static bool is_name_char(char c) noexcept { return is_name_start(c) || is_digit(c); }

  void skip_space() noexcept {
    while (!at_end()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++pos_;
      } else if (c == '#') {
        while (!at_end() && text_[pos_] != '\n') ++pos_;
      } else if (c == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
        pos_ += 2;
      } else {
        return;
      }
    }
  }

  void expect(char c, std::string_view what) {
    skip_space();
    if (peek() != c) fail(what);
    ++pos_;
  }

  py_value parse_value(std::size_t depth) {
    if (depth >= max_depth) fail("literals nested too deeply");
    if (++values_ > max_values) fail(fmt::format("more than {} literals", max_values));
    skip_space();
    if (at_end()) fail("unexpected end of header");
    const char c = text_[pos_];
    if (c == '{') return parse_dict(depth);
    if (c == '(') return parse_tuple(depth);
    if (c == '[') return parse_list(depth);
    if (c == '\'' || c == '"') return parse_strings();
    if (is_digit(c) || c == '-' || c == '+') return parse_number();
    if (is_name_start(c)) return parse_name();
    fail(fmt::format("unexpected character '{}'", printable(text_.substr(pos_, 1))));
  }

  py_value parse_dict(std::size_t depth) {
    py_value value;
    value.type = py_value::kind::dict;
    ++pos_;
    while (true) {
      skip_space();
      if (peek() == '}') break;
      value.items.push_back(parse_value(depth + 1));
      expect(':', "expected ':' after a dictionary key");
      value.items.push_back(parse_value(depth + 1));
      skip_space();
      if (peek() == ',') {
        ++pos_;
      } else if (peek() != '}') {
        fail("expected ',' or '}' in the dictionary");
      }
    }
    ++pos_;
    return value;
  }

  /// A parenthesised expression is its content; with a comma (or empty) it is a tuple.
  py_value parse_tuple(std::size_t depth) {
    ++pos_;
    skip_space();
    py_value value;
    value.type = py_value::kind::tuple;
    if (peek() == ')') {
      ++pos_;
      return value;
    }
    py_value first = parse_value(depth + 1);
    skip_space();
    if (peek() == ')') {
      ++pos_;
      return first;
    }
    value.items.push_back(std::move(first));
    parse_sequence_rest(value, ')', depth, "expected ',' or ')' in the tuple");
    return value;
  }

  py_value parse_list(std::size_t depth) {
    ++pos_;
    py_value value;
    value.type = py_value::kind::list;
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return value;
    }
    value.items.push_back(parse_value(depth + 1));
    parse_sequence_rest(value, ']', depth, "expected ',' or ']' in the list");
    return value;
  }

  /// After an element: (',' element)* [','] close.
  void parse_sequence_rest(py_value& value, char close, std::size_t depth, std::string_view what) {
    while (true) {
      skip_space();
      if (at_end()) fail(what);
      if (text_[pos_] == close) {
        ++pos_;
        return;
      }
      if (text_[pos_] != ',') fail(what);
      ++pos_;
      skip_space();
      if (peek() == close) {
        ++pos_;
        return;
      }
      value.items.push_back(parse_value(depth + 1));
    }
  }

  /// One or more adjacent quoted strings (Python concatenates them), each optionally 'u'-prefixed.
  py_value parse_strings() {
    py_value value;
    value.type = py_value::kind::string;
    while (true) {
      parse_one_string(value.text);
      skip_space();
      if (peek() == '\'' || peek() == '"') continue;
      if ((peek() == 'u' || peek() == 'U') && pos_ + 1 < text_.size() &&
          (text_[pos_ + 1] == '\'' || text_[pos_ + 1] == '"')) {
        ++pos_;
        continue;
      }
      return value;
    }
  }

  /// A single- or double-quoted string (not triple-quoted); \\, \' and \" unescape, other escapes stay.
  void parse_one_string(std::string& out) {
    const char quote = text_[pos_];
    ++pos_;
    while (true) {
      if (at_end()) fail("unterminated string");
      const char c = text_[pos_];
      if (c == quote) {
        ++pos_;
        return;
      }
      if (c == '\n') fail("line break inside a string");
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) fail("unterminated string");
        const char next = text_[pos_ + 1];
        if (next == '\\' || next == '\'' || next == '"') {
          out += next;
        } else if (next != '\n') {
          out += c;
          out += next;
        }
        pos_ += 2;
        continue;
      }
      out += c;
      ++pos_;
    }
  }

  /// [sign] digits: an integer if it is a valid Python decimal literal, else some other number.
  py_value parse_number() {
    py_value value;
    value.type = py_value::kind::integer;
    if (text_[pos_] == '-' || text_[pos_] == '+') {
      value.negative = text_[pos_] == '-';
      value.text += text_[pos_];
      ++pos_;
      skip_space();
      if (!is_digit(peek())) fail("expected a number after the sign");
    }
    const std::size_t start = pos_;
    while (!at_end() && (is_name_char(text_[pos_]) || text_[pos_] == '.')) ++pos_;
    std::string_view token = text_.substr(start, pos_ - start);
    value.text += token;
    if (allow_long_suffix_ && token.size() > 1 && token.back() == 'L') token.remove_suffix(1);
    // Python: digits with single underscores between them; no leading zeros unless all are zero.
    bool valid = token.back() != '_';
    bool all_zero = true;
    for (std::size_t i = 0; valid && i < token.size(); ++i) {
      const char c = token[i];
      if (c == '_') {
        valid = token[i - 1] != '_';
        continue;
      }
      valid = is_digit(c);
      if (!valid) break;
      const auto d = static_cast<std::uint64_t>(c - '0');
      all_zero = all_zero && d == 0;
      if (value.magnitude > (std::numeric_limits<std::uint64_t>::max() - d) / 10) value.too_big = true;
      value.magnitude = value.magnitude * 10 + d;
    }
    if (!valid || (token.front() == '0' && !all_zero)) value.type = py_value::kind::other_number;
    return value;
  }

  py_value parse_name() {
    const std::size_t start = pos_;
    while (!at_end() && is_name_char(text_[pos_])) ++pos_;
    const std::string_view name = text_.substr(start, pos_ - start);
    if ((name == "u" || name == "U") && (peek() == '\'' || peek() == '"')) {
      return parse_strings();
    }
    py_value value;
    if (name == "True" || name == "False") {
      value.type = py_value::kind::boolean;
      value.flag = name == "True";
      return value;
    }
    if (name == "None") return value;
    pos_ = start;
    fail(fmt::format("unexpected name '{}'", printable(name)));
  }
};

enum class byte_order { little, big };

/// The element type and byte order a descr string names, if it is a float16, float32 or float64.
struct float_descr {
  stored_type type;
  byte_order order;
};

std::optional<float_descr> read_descr(std::string_view descr) {
  constexpr byte_order native =
      std::endian::native == std::endian::little ? byte_order::little : byte_order::big;
  if (descr == "float16") return float_descr{stored_type::float16, native};
  if (descr == "float32") return float_descr{stored_type::float32, native};
  if (descr == "float64") return float_descr{stored_type::float64, native};
  byte_order order = native;
  if (!descr.empty() &&
      (descr.front() == '<' || descr.front() == '>' || descr.front() == '=' || descr.front() == '|')) {
    if (descr.front() == '<') order = byte_order::little;
    if (descr.front() == '>') order = byte_order::big;
    descr.remove_prefix(1);
  }
  if (descr == "f2" || descr == "e") return float_descr{stored_type::float16, order};
  if (descr == "f4" || descr == "f") return float_descr{stored_type::float32, order};
  if (descr == "f8" || descr == "d") return float_descr{stored_type::float64, order};
  return std::nullopt;
}

std::uint64_t read_le(const std::byte* p, std::size_t n) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  return v;
}

}  // namespace

std::size_t npy_header_end(std::span<const std::byte> prefix, std::uint64_t file_size) {
  const std::size_t size = prefix.size();
  if (size < npy_magic.size() ||
      !std::equal(npy_magic.begin(), npy_magic.end(), prefix.begin(),
                  [](unsigned char m, std::byte b) { return std::to_integer<unsigned char>(b) == m; })) {
    throw error("not a .npy file: bad magic at offset 0 (expected \\x93NUMPY)");
  }
  if (size < 8) throw error(fmt::format("truncated header: file ends at offset {} before the version", size));
  const auto major = std::to_integer<unsigned>(prefix[6]);
  const auto minor = std::to_integer<unsigned>(prefix[7]);
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    throw error(
        fmt::format("unsupported .npy version {}.{} at offset 6: expected 1.0, 2.0 or 3.0", major, minor));
  }
  const std::size_t length_size = major == 1 ? 2 : 4;
  const std::size_t header_start = 8 + length_size;
  if (size < header_start) {
    throw error(fmt::format("truncated header: file ends at offset {} inside the header length", size));
  }
  const std::uint64_t header_length = read_le(prefix.data() + 8, length_size);
  if (header_length > file_size - header_start) {
    throw error(fmt::format("truncated header: header of {} bytes at offset {} needs {} bytes, file has {}",
                            header_length, header_start, header_start + header_length, file_size));
  }
  return header_start + static_cast<std::size_t>(header_length);
}

stored_layout parse_npy_header(std::span<const std::byte> prefix, std::uint64_t file_size) {
  const std::size_t data_offset = npy_header_end(prefix, file_size);
  if (prefix.size() < data_offset) {
    throw error(fmt::format("truncated header: it ends at offset {}, after the {} bytes given", data_offset,
                            prefix.size()));
  }
  const auto major = std::to_integer<unsigned>(prefix[6]);
  const std::size_t header_start = major == 1 ? 10 : 12;
  const std::string_view header_text(reinterpret_cast<const char*>(prefix.data() + header_start),
                                     data_offset - header_start);
  const py_value header = header_parser(header_text, header_start, major <= 2).parse();

  if (header.type != py_value::kind::dict) {
    throw error(fmt::format("invalid .npy header: not a dictionary but {}", repr(header)));
  }
  const py_value* descr = nullptr;
  const py_value* fortran_order = nullptr;
  const py_value* shape = nullptr;
  for (std::size_t i = 0; i + 1 < header.items.size(); i += 2) {
    const py_value& key = header.items[i];
    const py_value* const value = &header.items[i + 1];
    if (key.type == py_value::kind::string && key.text == "descr") {
      descr = value;
    } else if (key.type == py_value::kind::string && key.text == "fortran_order") {
      fortran_order = value;
    } else if (key.type == py_value::kind::string && key.text == "shape") {
      shape = value;
    } else {
      throw error(fmt::format("invalid .npy header: unexpected key {}", repr(key)));
    }
  }
  if (descr == nullptr) throw error("invalid .npy header: the key 'descr' is missing");
  if (fortran_order == nullptr) throw error("invalid .npy header: the key 'fortran_order' is missing");
  if (shape == nullptr) throw error("invalid .npy header: the key 'shape' is missing");
  if (shape->type != py_value::kind::tuple ||
      !std::all_of(shape->items.begin(), shape->items.end(),
                   [](const py_value& v) { return v.type == py_value::kind::integer; })) {
    throw error(fmt::format("invalid .npy header: shape {} is not a tuple of integers", repr(*shape)));
  }
  if (fortran_order->type != py_value::kind::boolean) {
    throw error(
        fmt::format("invalid .npy header: fortran_order {} is not True or False", repr(*fortran_order)));
  }
  const std::optional<float_descr> type =
      descr->type == py_value::kind::string ? read_descr(descr->text) : std::nullopt;
  if (!type) {
    throw error(fmt::format("dtype {} is not supported: expected float16, float32 or float64", repr(*descr)));
  }
  if (type->order == byte_order::big && size_of(type->type) > 1) {
    throw error(fmt::format(
        "dtype {} is big-endian: only little-endian float16, float32 or float64 is supported", repr(*descr)));
  }

  const std::size_t rank = shape->items.size();
  if (rank == 0) throw error("shape () is a scalar: expected 1-D (n,) or 2-D (rows, dim)");
  if (rank > 2) {
    throw error(
        fmt::format("shape {} has {} dimensions: expected 1-D (n,) or 2-D (rows, dim)", repr(*shape), rank));
  }
  for (const py_value& extent : shape->items) {
    if (extent.negative && (extent.magnitude != 0 || extent.too_big)) {
      throw error(fmt::format("shape {} has a negative dimension", repr(*shape)));
    }
  }
  const std::size_t item_size = size_of(type->type);
  constexpr std::uint64_t size_max = std::numeric_limits<std::size_t>::max();
  const auto too_large = [&] {
    return error(fmt::format("shape {} is too large: its data size overflows", repr(*shape)));
  };
  for (const py_value& extent : shape->items) {
    if (extent.too_big || extent.magnitude > size_max) throw too_large();
  }
  const auto rows = rank == 1 ? std::size_t{1} : static_cast<std::size_t>(shape->items[0].magnitude);
  const auto dim = static_cast<std::size_t>(shape->items[rank - 1].magnitude);
  if (rank == 1 && dim == 0) throw error(fmt::format("shape {} has 0 values", repr(*shape)));
  if (rows == 0) throw error(fmt::format("shape {} has 0 rows", repr(*shape)));
  if (dim == 0) throw error(fmt::format("shape {} has 0 columns", repr(*shape)));
  const std::size_t limit = std::numeric_limits<std::size_t>::max() / std::max(item_size, sizeof(double));
  if (rows > limit / dim) throw too_large();
  const std::size_t count = rows * dim;
  const std::size_t data_size = count * item_size;

  const std::uint64_t found = file_size - data_offset;
  if (found < data_size) {
    throw error(fmt::format("truncated: expected {} data bytes at offset {}, found {}", data_size,
                            data_offset, found));
  }
  if (found > data_size) {
    throw error(fmt::format("{} unexpected bytes after the data, at offset {}", found - data_size,
                            data_offset + data_size));
  }

  stored_layout layout;
  layout.data_offset = data_offset;
  layout.rows = rows;
  layout.dim = dim;
  layout.type = type->type;
  layout.column_major = fortran_order->flag && rank == 2 && rows > 1 && dim > 1;
  return layout;
}

table parse_npy(std::span<const std::byte> bytes) {
  return decode_table(parse_npy_header(bytes, bytes.size()), bytes);
}

std::vector<std::byte> to_npy_float32(const table& values) {
  if (values.dim != 0 && values.rows > std::numeric_limits<std::size_t>::max() / values.dim) {
    throw error(fmt::format("table of {} x {} values is too large", values.rows, values.dim));
  }
  const std::size_t count = values.rows * values.dim;
  if (values.held() != count) {
    throw error(fmt::format("table of {} x {} holds {} values", values.rows, values.dim, values.held()));
  }
  if (count > (std::numeric_limits<std::size_t>::max() - 4096) / 4) {
    throw error(fmt::format("table of {} x {} values is too large", values.rows, values.dim));
  }
  // numpy's _write_array_header: sorted keys, each "'key': repr(value), ", then 21 - len(repr(shape[0]))
  // spaces of room to grow the first axis; _wrap_header pads with spaces and '\n' to a multiple of 64.
  std::string header =
      fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}, {}), }}", values.rows, values.dim);
  constexpr std::size_t growth_axis_max_digits = 21;
  header.append(growth_axis_max_digits - fmt::formatted_size("{}", values.rows), ' ');
  constexpr std::size_t prefix_size = 10;  // magic, version, uint16 header length
  constexpr std::size_t array_align = 64;
  const std::size_t padding = array_align - (prefix_size + header.size() + 1) % array_align;
  header.append(padding, ' ');
  header += '\n';
  const std::size_t header_length = header.size();

  std::vector<std::byte> out(prefix_size + header_length + count * 4);
  for (std::size_t i = 0; i < npy_magic.size(); ++i) out[i] = std::byte{npy_magic[i]};
  out[6] = std::byte{1};
  out[7] = std::byte{0};
  out[8] = static_cast<std::byte>(header_length & 0xff);
  out[9] = static_cast<std::byte>(header_length >> 8);
  std::memcpy(out.data() + prefix_size, header.data(), header_length);
  std::byte* data = out.data() + prefix_size + header_length;
  for (std::size_t i = 0; i < count; ++i) {
    // A float32 table's own bits (a signalling NaN stays one; through double it would be quieted).
    const auto bits = std::bit_cast<std::uint32_t>(values.source_type == element_type::float32
                                                       ? values.floats[i]
                                                       : static_cast<float>(values.doubles[i]));
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(data + 4 * i, &bits, 4);
    } else {
      for (std::size_t b = 0; b < 4; ++b) data[4 * i + b] = static_cast<std::byte>((bits >> (8 * b)) & 0xff);
    }
  }
  return out;
}

}  // namespace embcheck
