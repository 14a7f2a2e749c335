// libFuzzer target for word vectors as text (GloVe, word2vec/fastText .vec):
// embcheck::parse_word_vectors (src/embcheck/read/word_vectors.hpp).
// Contract checked: on any byte string it either throws embcheck::error or returns a table of
// rows x dim finite values, rows, dim > 0, one non-empty word per row without spaces or
// newlines. Anything else (another exception, a sanitizer report, an allocation beyond
// libFuzzer's -malloc_limit_mb) is a finding.

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
    parsed = embcheck::parse_word_vectors(bytes);
  } catch (const embcheck::error&) {
    return 0;
  }
  const embcheck::table& t = parsed.values;
  if (t.rows == 0 || t.dim == 0 || t.held() != t.rows * t.dim || parsed.words.size() != t.rows) std::abort();
  t.visit([](auto values) {
    for (const double v : values)
      if (!std::isfinite(v)) std::abort();
  });
  for (const std::string& word : parsed.words)
    if (word.empty() || word.find_first_of(" \t\n") != std::string::npos) std::abort();
  return 0;
}
