// Reader of the safetensors format.
//
// Source: the format description in the README of huggingface/safetensors (v0.3): 8 bytes N, a
// little-endian unsigned 64-bit header size; N bytes of a UTF-8 JSON object mapping each tensor
// name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the byte after
// the header) plus an optional "__metadata__" string map; then the byte buffer. The reference
// reader (safetensors/src/tensor.rs, validate) rejects headers over 100 MB, and offsets that
// overlap, leave holes or overrun the buffer; here the selected tensor's offsets must lie in the
// buffer and span exactly its shape's bytes. The JSON is parsed by nlohmann/json after a bounded
// scan of its nesting depth, so no input can exhaust the stack.

#include "embcheck/read/safetensors.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "embcheck/error.hpp"
#include "embcheck/read/decode.hpp"

namespace embcheck {

namespace {

constexpr std::uint64_t max_header = 100'000'000;
constexpr std::size_t max_depth = 64;

struct header {
  nlohmann::json json;
  std::size_t data_offset = 0;
};

header read_header(std::span<const std::byte> bytes) {
  if (bytes.empty()) throw error("empty input: no safetensors header at offset 0");
  if (bytes.size() < 8) {
    throw error(
        fmt::format("truncated safetensors: the 8-byte header length ends at offset {}", bytes.size()));
  }
  std::uint64_t length = 0;
  for (std::size_t i = 8; i-- > 0;) length = (length << 8) | std::to_integer<std::uint64_t>(bytes[i]);
  if (length > max_header) {
    throw error(fmt::format("invalid safetensors: header length {} at offset 0 exceeds {} bytes", length,
                            max_header));
  }
  if (length > bytes.size() - 8) {
    throw error(
        fmt::format("truncated safetensors: header of {} bytes at offset 8 needs {} bytes, the file has {}",
                    length, 8 + length, bytes.size()));
  }
  const std::string_view text(reinterpret_cast<const char*>(bytes.data() + 8),
                              static_cast<std::size_t>(length));
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        throw error(fmt::format("invalid safetensors header: nested too deeply at offset {}", 8 + i));
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  header out;
  // A key twice in one object (two tensors of one name) is refused, as safetensors' own reader
  // refuses such a file; nlohmann's parser would keep the last one.
  std::vector<std::set<std::string, std::less<>>> keys;
  const auto refuse_duplicates = [&keys](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using event_t = nlohmann::json::parse_event_t;
    if (event == event_t::object_start) keys.emplace_back();
    if (event == event_t::object_end && !keys.empty()) keys.pop_back();
    if (event == event_t::key && !keys.empty() && !keys.back().insert(parsed.get<std::string>()).second) {
      throw error(fmt::format("invalid safetensors header: key '{}' appears twice in one object",
                              printable_name(parsed.get<std::string>())));
    }
    return true;
  };
  try {
    out.json = nlohmann::json::parse(text, refuse_duplicates);
  } catch (const nlohmann::json::parse_error& e) {
    throw error(
        fmt::format("invalid safetensors header: JSON syntax error at offset {}", 8 + e.byte - (e.byte > 0)));
  } catch (const nlohmann::json::exception&) {
    throw error("invalid safetensors header at offset 8: a number is out of range");
  }
  if (!out.json.is_object()) throw error("invalid safetensors header at offset 8: not a JSON object");
  out.data_offset = 8 + static_cast<std::size_t>(length);
  return out;
}

std::string name_list(const nlohmann::json& json) {
  std::string out;
  for (const auto& [key, value] : json.items()) {
    if (key == "__metadata__") continue;
    if (!out.empty()) out += ", ";
    if (out.size() > 400) {
      out += "...";
      break;
    }
    out += '\'';
    out += printable_name(key);
    out += '\'';
  }
  return out.empty() ? "none" : out;
}

std::optional<stored_type> safetensors_dtype(std::string_view name) {
  if (name == "F16") return stored_type::float16;
  if (name == "BF16") return stored_type::bfloat16;
  if (name == "F32") return stored_type::float32;
  if (name == "F64") return stored_type::float64;
  return std::nullopt;
}

}  // namespace

std::vector<std::string> safetensors_names(std::span<const std::byte> bytes) {
  const header h = read_header(bytes);
  std::vector<std::string> names;
  for (const auto& [key, value] : h.json.items()) {
    if (key != "__metadata__") names.push_back(key);
  }
  return names;
}

namespace {

table parse_tensor(std::span<const std::byte> bytes, std::string_view name) {
  const header h = read_header(bytes);
  std::size_t tensors = 0;
  const nlohmann::json* entry = nullptr;
  std::string chosen;
  for (const auto& [key, value] : h.json.items()) {
    if (key == "__metadata__") continue;
    ++tensors;
    if (key == name || (name.empty() && entry == nullptr)) {
      entry = &value;
      chosen = key;
    }
  }
  if (tensors == 0) throw error("empty safetensors: the header names no tensors");
  if (name.empty() && tensors != 1) {
    throw error(fmt::format("the safetensors file holds {} tensors, choose one with --tensor: {}", tensors,
                            name_list(h.json)));
  }
  if (entry == nullptr) {
    throw error(fmt::format("no tensor '{}' in the safetensors file; it holds: {}", printable_name(name),
                            name_list(h.json)));
  }
  const std::string where = fmt::format("tensor '{}'", printable_name(chosen));
  if (!entry->is_object() || !entry->contains("dtype") || !entry->contains("shape") ||
      !entry->contains("data_offsets")) {
    throw error(fmt::format("invalid safetensors header: {} lacks dtype, shape or data_offsets", where));
  }
  const auto& dtype_json = entry->at("dtype");
  const std::string dtype = dtype_json.is_string() ? dtype_json.get<std::string>() : dtype_json.dump();
  const std::optional<stored_type> type = safetensors_dtype(dtype);
  if (!type) {
    throw error(fmt::format("{} has dtype {}: only F16, BF16, F32 and F64 are supported", where,
                            printable_name(dtype)));
  }
  const auto& shape = entry->at("shape");
  const auto& offsets = entry->at("data_offsets");
  if (!shape.is_array() || !offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
      !offsets[1].is_number_unsigned()) {
    throw error(fmt::format("invalid safetensors header: {} has a malformed shape or data_offsets", where));
  }
  for (const auto& extent : shape) {
    if (!extent.is_number_unsigned()) {
      throw error(
          fmt::format("invalid safetensors header: {} shape {} is not a list of non-negative integers", where,
                      printable_name(shape.dump())));
    }
  }
  if (shape.empty() || shape.size() > 2) {
    throw error(fmt::format("{} has shape {}: expected 1-D [n] or 2-D [rows, dim]", where, shape.dump()));
  }
  const auto rows = shape.size() == 1 ? std::uint64_t{1} : shape[0].get<std::uint64_t>();
  const auto dim = shape[shape.size() - 1].get<std::uint64_t>();
  if (rows == 0 || dim == 0) throw error(fmt::format("{} has shape {} with no values", where, shape.dump()));
  const std::size_t item = size_of(*type);
  const std::uint64_t limit = std::numeric_limits<std::size_t>::max() / sizeof(double);
  if (rows > limit / dim) throw error(fmt::format("{} has shape {}: too large", where, shape.dump()));
  const std::uint64_t count = rows * dim;
  const std::uint64_t begin = offsets[0].get<std::uint64_t>();
  const std::uint64_t end = offsets[1].get<std::uint64_t>();
  const std::uint64_t buffer = bytes.size() - h.data_offset;
  if (begin > end || end > buffer) {
    throw error(
        fmt::format("truncated safetensors: {} data_offsets [{}, {}] lie outside the {}-byte buffer at "
                    "offset {}",
                    where, begin, end, buffer, h.data_offset));
  }
  if (end - begin != count * item) {
    throw error(
        fmt::format("invalid safetensors header: {} of shape {} and dtype {} needs {} bytes, its "
                    "data_offsets [{}, {}] span {}",
                    where, shape.dump(), dtype, count * item, begin, end, end - begin));
  }
  table result;
  result.rows = static_cast<std::size_t>(rows);
  result.dim = static_cast<std::size_t>(dim);
  result.source_type = table_type(*type);
  result.allocate();  // rows * dim = count
  result.visit([&](auto values) {
    decode_little_endian(bytes.data() + h.data_offset + begin, values.size(), *type, values.data());
  });
  return result;
}

}  // namespace

table parse_safetensors(std::span<const std::byte> bytes, std::string_view name) {
  try {
    return parse_tensor(bytes, name);
  } catch (const nlohmann::json::exception& e) {
    throw error(fmt::format("invalid safetensors header: {}", e.what()));
  }
}

}  // namespace embcheck
