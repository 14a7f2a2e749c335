// The CLI's atomic file writes (src/cli/file_io.cpp): a file written in pieces holds them in
// order, and a producer that fails part-way leaves the old file as it was and no temporary.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "file_io.hpp"

namespace {

/// A fresh directory under the system's temporary directory, removed at the end of the test.
class scratch_directory {
 public:
  scratch_directory() {
    std::string name = (std::filesystem::temp_directory_path() / "embcheck-file-io-XXXXXX").string();
    REQUIRE(::mkdtemp(name.data()) != nullptr);
    path_ = name;
  }
  scratch_directory(const scratch_directory&) = delete;
  scratch_directory& operator=(const scratch_directory&) = delete;
  ~scratch_directory() { std::filesystem::remove_all(path_); }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t entries(const std::filesystem::path& directory) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(directory), {}));
}

void write_piece(const embcheck::cli::piece_writer& write, std::string_view piece) {
  write(std::as_bytes(std::span(piece)));
}

}  // namespace

TEST_CASE("a file written in pieces holds the pieces in order, and nothing else is left") {
  const scratch_directory directory;
  const std::string path = (directory.path() / "report.json").string();
  embcheck::cli::write_file_atomically(path, [](const embcheck::cli::piece_writer& write) {
    write_piece(write, "{\n");
    write_piece(write, "");
    write_piece(write, "  \"rows\": []\n}\n");
  });
  CHECK(contents(path) == "{\n  \"rows\": []\n}\n");
  CHECK(entries(directory.path()) == 1);
}

TEST_CASE("a producer that fails part-way leaves the old file and no temporary") {
  const scratch_directory directory;
  const std::string path = (directory.path() / "report.json").string();
  embcheck::cli::write_file_atomically(path, std::as_bytes(std::span(std::string_view("old\n"))));
  CHECK_THROWS_AS(embcheck::cli::write_file_atomically(path,
                                                       [](const embcheck::cli::piece_writer& write) {
                                                         write_piece(write, "new, half");
                                                         throw std::runtime_error("formatting failed");
                                                       }),
                  std::runtime_error);
  CHECK(contents(path) == "old\n");
  CHECK(entries(directory.path()) == 1);
}

TEST_CASE("a text output to a file holds its pieces in order, small and large alike") {
  // Pieces below 1 MiB are gathered into larger writes; larger ones go straight through. The
  // last pieces are small, so they are written only when the output ends.
  const scratch_directory directory;
  const std::string path = (directory.path() / "lines.ndjson").string();
  const std::string big(3 << 19, 'x');  // 1.5 MiB
  std::string expected;
  embcheck::cli::write_text_output(path, [&](const embcheck::cli::text_writer& write) {
    for (int i = 0; i < 3000; ++i) {
      const std::string line = "{\"row\": " + std::to_string(i) + "}\n";
      write(line);
      expected += line;
      if (i == 1000 || i == 1001 || i == 2998) {
        write(big);
        expected += big;
      }
    }
  });
  CHECK(contents(path) == expected);
  CHECK(entries(directory.path()) == 1);
}
