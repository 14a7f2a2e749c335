// libFuzzer target for word2vec's binary format: embcheck::parse_word2vec_binary
// (src/embcheck/read/word_vectors.hpp).
// Contract checked: on any byte string it either throws embcheck::error or returns a float32
// table of rows x dim values (rows, dim > 0) with one non-empty word per row, each value the
// float32 stored for it (NaN stays NaN). Anything else (another exception, a sanitizer report,
// an allocation beyond libFuzzer's -malloc_limit_mb) is a finding.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "embcheck/error.hpp"
#include "embcheck/read/word_vectors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  embcheck::word_table parsed;
  try {
    parsed = embcheck::parse_word2vec_binary(bytes);
  } catch (const embcheck::error&) {
    return 0;
  }
  const embcheck::table& t = parsed.values;
  if (t.rows == 0 || t.dim == 0 || t.held() != t.rows * t.dim || parsed.words.size() != t.rows ||
      t.source_type != embcheck::element_type::float32)
    std::abort();
  // Every value is a float32 (or NaN) and the words and values fit in the input.
  std::size_t words_bytes = 0;
  for (const std::string& word : parsed.words) {
    if (word.empty() || word.find(' ') != std::string::npos) std::abort();
    words_bytes += word.size() + 1;
  }
  if (words_bytes + t.held() * 4 > size) std::abort();
  t.visit([](auto values) {
    for (const double v : values)
      if (!std::isnan(v) && static_cast<double>(static_cast<float>(v)) != v) std::abort();
  });
  return 0;
}
