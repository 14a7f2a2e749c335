#pragma once
/// \file word_vectors.hpp
/// Word vectors as text: GloVe (no header) and word2vec/fastText .vec (first line "count dim").

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "embcheck/table.hpp"

namespace embcheck {

/// A table whose rows are named by words.
struct word_table {
  table values;                    ///< one row per word, element_type float64
  std::vector<std::string> words;  ///< the word of each row
};

/// Parses word vectors as text: lines "word v1 ... vdim" separated by spaces or tabs, with an
/// optional first line "count dim" (word2vec/fastText .vec) whose numbers must then hold.
/// Every value must be a finite decimal number; "nan" and "inf" tokens are errors.
[[nodiscard]] word_table parse_word_vectors(std::span<const std::byte> bytes);

/// Parses word2vec's binary format: a text line "count dim", then per word the word, one space,
/// dim little-endian float32 values and (optionally) a newline. Values are kept as stored,
/// including non-finite ones (table element_type float32).
[[nodiscard]] word_table parse_word2vec_binary(std::span<const std::byte> bytes);

}  // namespace embcheck
