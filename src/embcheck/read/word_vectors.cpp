// Reader of word vectors as text.
//
// Source: the output formats of GloVe (Pennington, Socher and Manning 2014; glove.c
// save_params: "word v1 ... vd" per line, no header) and of word2vec (Mikolov et al. 2013;
// word2vec.c with -binary 0: a first line "count dim", then "word v1 ... vd " with a trailing
// space) and fastText (Bojanowski et al. 2017; FastText::saveVectors writes the same .vec
// layout); word2vec.c with -binary 1 writes "count dim\n" then, per word, "word " followed by
// dim raw float32 values (host order, little-endian in practice) and "\n". Values are parsed with
// std::from_chars, which rounds correctly as strtod does.
//
// Decision: "nan", "inf" and other non-finite tokens are rejected with their line, because a
// row holding one cannot be tested and such files come from diverged training, which the user
// should hear about at the line where it shows rather than as a failed test.

#include "embcheck/read/word_vectors.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "embcheck/error.hpp"
#include "embcheck/read/decode.hpp"

namespace embcheck {

namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r'; }

/// Splits a line into tokens separated by spaces, tabs (and a final carriage return).
void split(std::string_view line, std::vector<std::string_view>& tokens) {
  tokens.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) tokens.push_back(line.substr(start, i - start));
  }
}

bool parse_count(std::string_view token, std::size_t& value) {
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  return ec == std::errc{} && end == token.data() + token.size();
}

}  // namespace

word_table parse_word_vectors(std::span<const std::byte> bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  word_table result;
  std::vector<std::string_view> tokens;
  std::size_t declared_rows = 0;
  bool has_header = false;
  std::size_t dim = 0;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    const std::size_t line_offset = pos;
    pos = end + 1;
    ++line_number;
    split(line, tokens);
    if (tokens.empty()) {
      if (pos >= text.size()) break;
      throw error(fmt::format("line {} (offset {}): empty line", line_number, line_offset));
    }
    if (line.find('\0') != std::string_view::npos) {
      throw error(
          fmt::format("line {} (offset {}): NUL byte in text (binary data?)", line_number, line_offset));
    }
    if (line_number == 1 && tokens.size() == 2) {
      std::size_t count = 0;
      std::size_t header_dim = 0;
      if (parse_count(tokens[0], count) && parse_count(tokens[1], header_dim)) {
        if (count == 0 || header_dim == 0) {
          throw error(fmt::format("line 1: header \"{} {}\" declares no values", count, header_dim));
        }
        has_header = true;
        declared_rows = count;
        dim = header_dim;
        continue;
      }
    }
    if (tokens.size() < 2) {
      throw error(fmt::format("line {}: a word with no values", line_number));
    }
    const std::size_t values = tokens.size() - 1;
    if (dim == 0) dim = values;
    if (values != dim) {
      throw error(fmt::format("line {}: ragged row of {} values, expected {}{}", line_number, values, dim,
                              has_header ? " (from the header)" : " (from line 1)"));
    }
    if (has_header && result.words.size() == declared_rows) {
      throw error(
          fmt::format("line {}: more rows than the {} the header declares", line_number, declared_rows));
    }
    for (std::size_t j = 1; j < tokens.size(); ++j) {
      const std::string_view token = tokens[j];
      double value = 0.0;
      const char* first = token.data();
      if (*first == '+' && token.size() > 1 && token[1] != '-') ++first;  // from_chars takes no '+'
      const auto [stop, ec] = std::from_chars(first, token.data() + token.size(), value);
      if (ec == std::errc::result_out_of_range) {
        throw error(fmt::format("line {}: value {} '{}' is out of the range of double", line_number, j,
                                printable_name(token, 40)));
      }
      if (ec != std::errc{} || stop != token.data() + token.size()) {
        throw error(
            fmt::format("line {}: value {} '{}' is not a number", line_number, j, printable_name(token, 40)));
      }
      if (!std::isfinite(value)) {
        throw error(
            fmt::format("line {}: value {} '{}' is not finite", line_number, j, printable_name(token, 40)));
      }
      result.values.doubles.push_back(value);
    }
    result.words.emplace_back(tokens[0]);
  }
  if (result.words.empty()) {
    throw error(has_header ? "truncated: the header declares rows but none follow"
                           : "empty input: no word vectors");
  }
  if (has_header && result.words.size() != declared_rows) {
    throw error(fmt::format("truncated: the header declares {} rows, the text ends at line {} after {}",
                            declared_rows, line_number, result.words.size()));
  }
  result.values.rows = result.words.size();
  result.values.dim = dim;
  result.values.source_type = element_type::float64;
  return result;
}

word_table parse_word2vec_binary(std::span<const std::byte> bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (text.empty()) throw error("empty input: no word2vec header at offset 0");
  const std::size_t header_end = text.find('\n');
  if (header_end == std::string_view::npos || header_end > 64) {
    throw error("invalid word2vec binary: no header line \"count dim\" at offset 0");
  }
  std::vector<std::string_view> tokens;
  split(text.substr(0, header_end), tokens);
  std::size_t count = 0;
  std::size_t dim = 0;
  if (tokens.size() != 2 || !parse_count(tokens[0], count) || !parse_count(tokens[1], dim) || count == 0 ||
      dim == 0) {
    throw error(fmt::format(
        "invalid word2vec binary: header '{}' at offset 0 is not \"count dim\" with both positive",
        printable_name(text.substr(0, header_end))));
  }
  const std::size_t row_bytes = dim * 4;
  if (dim > text.size() / 4 || count > text.size() / (row_bytes + 2)) {
    throw error(
        fmt::format("truncated word2vec binary: header declares {} x {} values, the file has {} bytes", count,
                    dim, text.size()));
  }
  word_table result;
  result.values.source_type = element_type::float32;
  result.values.floats.resize(count * dim);
  result.words.reserve(count);
  std::size_t pos = header_end + 1;
  for (std::size_t row = 0; row < count; ++row) {
    while (pos < text.size() && (text[pos] == '\n' || text[pos] == '\r')) ++pos;
    const std::size_t space = text.find(' ', pos);
    if (space == std::string_view::npos || space - pos > 1000) {
      throw error(fmt::format("truncated word2vec binary: word {} at offset {} has no terminating space",
                              row + 1, pos));
    }
    if (space == pos)
      throw error(fmt::format("invalid word2vec binary: empty word {} at offset {}", row + 1, pos));
    result.words.emplace_back(text.substr(pos, space - pos));
    pos = space + 1;
    if (text.size() - pos < row_bytes) {
      throw error(
          fmt::format("truncated word2vec binary: word {} needs {} value bytes at offset {}, {} remain",
                      row + 1, row_bytes, pos, text.size() - pos));
    }
    decode_little_endian(bytes.data() + pos, dim, stored_type::float32,
                         result.values.floats.data() + row * dim);
    pos += row_bytes;
  }
  while (pos < text.size() && (text[pos] == '\n' || text[pos] == '\r')) ++pos;
  if (pos != text.size()) {
    throw error(
        fmt::format("invalid word2vec binary: {} unexpected bytes after the {} declared words, at offset {}",
                    text.size() - pos, count, pos));
  }
  result.values.rows = count;
  result.values.dim = dim;
  result.values.source_type = element_type::float32;
  return result;
}

}  // namespace embcheck
