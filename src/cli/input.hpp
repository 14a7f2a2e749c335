#pragma once
/// \file input.hpp
/// The CLI's table input: reads a file (or stdin for "-") and parses it in the format its magic
/// bytes, its extension or --input-format name.

#include <cstddef>
#include <string>
#include <vector>

#include "embcheck/table.hpp"

namespace embcheck::cli {

/// What --input-format, --tensor, --dtype and --dim asked for.
struct input_options {
  std::string format = "auto";  ///< auto, npy, npz, safetensors, text (GloVe/.vec), word2vec (binary) or raw
  std::string tensor;           ///< array of an .npz or tensor of a safetensors file ("" = the only one)
  std::string dtype;            ///< raw only: f32, f64, f16 or bf16
  std::size_t dim = 0;          ///< raw only: values per row
};

/// A table read from a file, with the words of word-vector text.
struct loaded_input {
  table values;                    ///< the table
  std::vector<std::string> words;  ///< one word per row for word-vector text, else empty
  std::string format;              ///< the format it was read as ("npy", "npz", ...)
};

/// Reads and parses `path` ("-" = stdin); throws embcheck::error "'PATH': problem" on any failure.
[[nodiscard]] loaded_input load_input_with_words(const std::string& path, const input_options& options);

/// Reads and parses `path` ("-" = stdin), as load_input_with_words without the words.
[[nodiscard]] table load_input(const std::string& path, const input_options& options);

}  // namespace embcheck::cli
