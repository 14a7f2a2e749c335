#pragma once
/// \file file_io.hpp
/// The CLI's file access: whole-file reads, atomic writes and their cleanup on SIGINT/SIGTERM.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace embcheck::cli {

/// The bytes of the file at `path`; throws embcheck::error naming the file and the reason.
[[nodiscard]] std::vector<std::byte> read_file(const std::string& path);

/// Writes `bytes` to `path` atomically: a temporary file beside it, then rename, so readers
/// see the old file or the whole new one and a failure leaves nothing behind. Paths that
/// exist and are not regular files (a pipe, /dev/null, /dev/full) are written directly.
void write_file_atomically(const std::string& path, std::span<const std::byte> bytes);

/// Writes the bytes of one piece of a file.
using piece_writer = std::function<void(std::span<const std::byte>)>;
/// Makes a file's contents, handing them to its writer piece by piece, in order.
using piece_producer = std::function<void(const piece_writer&)>;
/// write_file_atomically of the pieces `produce` hands on (the whole file never held at once);
/// an exception from `produce` leaves nothing behind, as a failed write does.
void write_file_atomically(const std::string& path, const piece_producer& produce);

/// Makes SIGINT, SIGTERM and SIGHUP remove the temporary file of a write_file_atomically in
/// flight, then end the program as the signal does by default, quietly (status 128 + signo).
/// Signals ignored when the program starts stay ignored. Call once, early in main.
void install_signal_cleanup();

/// Writes `text` to standard output. A closed pipe (`embcheck ... | head -1`) ends the program as
/// SIGPIPE does by default, quietly with status 128 + 13, even when SIGPIPE was ignored.
void write_stdout(std::string_view text);

/// Takes a text output's pieces, in order.
using text_writer = std::function<void(std::string_view)>;
/// Makes a text output, handing it to its writer piece by piece.
using text_producer = std::function<void(const text_writer&)>;
/// Writes what `produce` makes to standard output as it comes (write_stdout) when `path` is
/// empty, else atomically to `path` (write_file_atomically), small pieces gathered into writes
/// of about 1 MiB.
void write_text_output(const std::string& path, const text_producer& produce);

}  // namespace embcheck::cli
