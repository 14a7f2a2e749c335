// libFuzzer target for the CLI's input path (src/cli/input.hpp): the file read, the format
// detection (magic bytes, then the extension, then text or not), --input-format, --dtype, --dim
// and --tensor, in front of every reader. The first two bytes choose the options (byte 0: the
// file's extension, --tensor and --dim; byte 1: --input-format and --dtype), the rest is the
// file, written to a temporary directory (in /dev/shm when it exists).
// Contract checked: load_input_with_words either throws embcheck::error whose message starts
// with the quoted path, or returns a table of rows x dim values (rows, dim > 0) with one word per
// row or none. Anything else (another exception, a sanitizer report, an allocation beyond
// libFuzzer's -malloc_limit_mb) is a finding.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/input.hpp"
#include "embcheck/error.hpp"

namespace {

std::string directory;

void remove_directory() {
  for (const char* extension : {"", ".npy", ".npz", ".safetensors", ".vec", ".txt", ".bin", ".dat"})
    static_cast<void>(std::remove((directory + "/in" + extension).c_str()));
  static_cast<void>(::rmdir(directory.c_str()));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string pattern = (::access("/dev/shm", W_OK) == 0 ? std::string("/dev/shm") : std::string("/tmp")) +
                        "/embcheck-fuzz-input-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  directory = pattern;
  std::atexit(remove_directory);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static const char* const extensions[] = {"",     ".npy", ".npz", ".safetensors",
                                           ".vec", ".txt", ".bin", ".dat"};
  static const char* const formats[] = {"auto",        "auto", "auto",     "npy", "npz",
                                        "safetensors", "text", "word2vec", "raw"};
  static const char* const dtypes[] = {"", "f32", "f64", "f16", "bf16", "f8"};
  const std::string path = directory + "/in" + extensions[data[0] % 8U];
  embcheck::cli::input_options options;
  if ((data[0] & 8U) != 0) options.tensor = "weight";
  options.dim = data[0] >> 4U;  // 0 (not given) to 15
  options.format = formats[data[1] % 9U];
  options.dtype = dtypes[(data[1] / 9U) % 6U];

  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) std::abort();
  if (size > 2 && std::fwrite(data + 2, 1, size - 2, file) != size - 2) std::abort();
  if (std::fclose(file) != 0) std::abort();

  embcheck::cli::loaded_input loaded;
  try {
    loaded = embcheck::cli::load_input_with_words(path, options);
  } catch (const embcheck::error& e) {
    if (std::string(e.what()).rfind("'" + path + "': ", 0) != 0) std::abort();
    static_cast<void>(std::remove(path.c_str()));
    return 0;
  }
  static_cast<void>(std::remove(path.c_str()));
  const embcheck::table& t = loaded.values;
  if (t.rows == 0 || t.dim == 0 || t.held() != t.rows * t.dim) std::abort();
  if (!loaded.words.empty() && loaded.words.size() != t.rows) std::abort();
  if (loaded.format.empty()) std::abort();
  return 0;
}
