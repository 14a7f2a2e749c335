// Reader of NumPy .npz archives.
//
// Source: PKWARE's APPNOTE.TXT 6.3.10 (the .ZIP file format specification: sections 4.3.6 local
// file header, 4.3.12 central directory header, 4.3.14-4.3.16 zip64 and end of central directory
// records, 4.5.3 zip64 extended information), as Python's zipfile module writes it for
// numpy.savez (stored members) and numpy.savez_compressed (deflated members; NumPy 1.24
// numpy/lib/npyio.py _savez opens every member with force_zip64=True). Deflate (RFC 1951) is
// inflated by zlib and every member's CRC-32 is checked.
//
// The central directory is authoritative for sizes and offsets (the local header of a
// streamed member may hold 0xffffffff or zero sizes); each field is checked against the image
// before it is read, and a member's declared uncompressed size is bounded by deflate's largest
// expansion (1032:1) so that a lying header cannot make us allocate more than the data allows.

#include "embcheck/read/npz.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

#include <fmt/format.h>
#include <zlib.h>

#include "embcheck/error.hpp"
#include "embcheck/read/decode.hpp"
#include "embcheck/read/npy.hpp"

namespace embcheck {

namespace {

constexpr std::uint32_t local_signature = 0x04034b50;
constexpr std::uint32_t central_signature = 0x02014b50;
constexpr std::uint32_t end_signature = 0x06054b50;
constexpr std::uint32_t zip64_end_signature = 0x06064b50;
constexpr std::uint32_t zip64_locator_signature = 0x07064b50;
constexpr std::size_t end_size = 22;
constexpr std::size_t max_comment = 65535;
constexpr std::uint64_t max_inflate_ratio = 1032;

/// Bounds-checked little-endian reads from the image; offsets in messages are image offsets.
class reader {
 public:
  explicit reader(std::span<const std::byte> bytes) : bytes_(bytes) {}

  [[nodiscard]] std::size_t size() const noexcept { return bytes_.size(); }

  [[nodiscard]] std::uint64_t le(std::uint64_t offset, std::size_t n, std::string_view what) const {
    need(offset, n, what);
    std::uint64_t v = 0;
    for (std::size_t i = n; i-- > 0;) {
      v = (v << 8) | std::to_integer<std::uint64_t>(bytes_[static_cast<std::size_t>(offset) + i]);
    }
    return v;
  }

  void need(std::uint64_t offset, std::uint64_t n, std::string_view what) const {
    if (offset > bytes_.size() || n > bytes_.size() - offset) {
      throw error(fmt::format("truncated .npz: {} at offset {} needs {} bytes, the file has {}", what, offset,
                              n, bytes_.size()));
    }
  }

  [[nodiscard]] std::span<const std::byte> slice(std::uint64_t offset, std::uint64_t n,
                                                 std::string_view what) const {
    need(offset, n, what);
    return bytes_.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(n));
  }

 private:
  std::span<const std::byte> bytes_;
};

struct member {
  std::string name;
  std::uint16_t method = 0;
  std::uint16_t flags = 0;
  std::uint32_t crc = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint64_t local_offset = 0;
  std::uint64_t central_offset = 0;
};

std::vector<member> read_directory(const reader& in) {
  if (in.size() < end_size) {
    throw error(fmt::format("not a .npz file: {} bytes is too short for a zip archive (at least {})",
                            in.size(), end_size));
  }
  // The end of central directory record is the last one in the final 22 + 65535 bytes.
  std::optional<std::size_t> end;
  const std::size_t lowest = in.size() - end_size > max_comment ? in.size() - end_size - max_comment : 0;
  for (std::size_t at = in.size() - end_size + 1; at-- > lowest;) {
    if (in.le(at, 4, "signature") == end_signature &&
        at + end_size + in.le(at + 20, 2, "comment length") == in.size()) {
      end = at;
      break;
    }
  }
  if (!end) throw error("not a .npz file: no zip end of central directory record");
  std::uint64_t entries = in.le(*end + 10, 2, "entry count");
  std::uint64_t directory_size = in.le(*end + 12, 4, "central directory size");
  std::uint64_t directory_offset = in.le(*end + 16, 4, "central directory offset");
  if (entries == 0xffff || directory_size == 0xffffffff || directory_offset == 0xffffffff) {
    if (*end < 20 || in.le(*end - 20, 4, "zip64 locator") != zip64_locator_signature) {
      throw error(
          fmt::format("invalid .npz: zip64 end of central directory locator missing before offset {}", *end));
    }
    const std::uint64_t record = in.le(*end - 12, 8, "zip64 record offset");
    if (in.le(record, 4, "zip64 end of central directory") != zip64_end_signature) {
      throw error(fmt::format("invalid .npz: no zip64 end of central directory record at offset {}", record));
    }
    entries = in.le(record + 32, 8, "zip64 entry count");
    directory_size = in.le(record + 40, 8, "zip64 central directory size");
    directory_offset = in.le(record + 48, 8, "zip64 central directory offset");
  }
  in.need(directory_offset, directory_size, "central directory");
  if (entries > directory_size / 46) {
    throw error(
        fmt::format("invalid .npz: {} entries cannot fit in a central directory of {} bytes at offset {}",
                    entries, directory_size, directory_offset));
  }
  std::vector<member> members;
  std::uint64_t at = directory_offset;
  for (std::uint64_t i = 0; i < entries; ++i) {
    if (in.le(at, 4, "central directory entry") != central_signature) {
      throw error(fmt::format("invalid .npz: bad central directory entry signature at offset {}", at));
    }
    member m;
    m.central_offset = at;
    m.flags = static_cast<std::uint16_t>(in.le(at + 8, 2, "flags"));
    m.method = static_cast<std::uint16_t>(in.le(at + 10, 2, "method"));
    m.crc = static_cast<std::uint32_t>(in.le(at + 16, 4, "crc"));
    m.compressed_size = in.le(at + 20, 4, "compressed size");
    m.uncompressed_size = in.le(at + 24, 4, "uncompressed size");
    const std::uint64_t name_length = in.le(at + 28, 2, "name length");
    const std::uint64_t extra_length = in.le(at + 30, 2, "extra length");
    const std::uint64_t comment_length = in.le(at + 32, 2, "comment length");
    m.local_offset = in.le(at + 42, 4, "local header offset");
    const auto name = in.slice(at + 46, name_length, "member name");
    m.name.assign(reinterpret_cast<const char*>(name.data()), name.size());
    // Zip64 extended information: the 64-bit values of the fields that hold 0xffffffff, in order.
    std::uint64_t extra = at + 46 + name_length;
    const std::uint64_t extra_end = extra + extra_length;
    in.need(extra, extra_length, "extra field");
    while (extra + 4 <= extra_end) {
      const std::uint64_t id = in.le(extra, 2, "extra field id");
      const std::uint64_t length = in.le(extra + 2, 2, "extra field length");
      if (extra + 4 + length > extra_end) {
        throw error(fmt::format("invalid .npz: extra field at offset {} overruns its entry", extra));
      }
      if (id == 1) {
        std::uint64_t field = extra + 4;
        const auto take = [&](std::uint64_t& value) {
          if (value != 0xffffffff) return;
          if (field + 8 > extra + 4 + length) {
            throw error(fmt::format("invalid .npz: zip64 extra field at offset {} is too short", extra));
          }
          value = in.le(field, 8, "zip64 value");
          field += 8;
        };
        take(m.uncompressed_size);
        take(m.compressed_size);
        take(m.local_offset);
      }
      extra += 4 + length;
    }
    at = extra_end + comment_length;
    members.push_back(std::move(m));
  }
  // Python's zipfile (so numpy.load) reads the last member of a name and a scan of local headers
  // the first: a name twice is ambiguous, and refused.
  std::vector<const member*> by_name;
  for (const member& m : members) by_name.push_back(&m);
  std::sort(by_name.begin(), by_name.end(),
            [](const member* a, const member* b) { return a->name < b->name; });
  const auto twice = std::adjacent_find(by_name.begin(), by_name.end(),
                                        [](const member* a, const member* b) { return a->name == b->name; });
  if (twice != by_name.end()) {
    throw error(fmt::format("invalid .npz: member '{}' appears twice in the central directory",
                            printable_name((*twice)->name)));
  }
  return members;
}

std::string array_name(const member& m) {
  std::string name = m.name;
  if (name.size() >= 4 && name.compare(name.size() - 4, 4, ".npy") == 0) name.resize(name.size() - 4);
  return name;
}

std::string name_list(const std::vector<member>& members) {
  std::string out;
  for (const member& m : members) {
    if (!out.empty()) out += ", ";
    if (out.size() > 400) {
      out += "...";
      break;
    }
    out += '\'';
    out += printable_name(array_name(m));
    out += '\'';
  }
  return out.empty() ? "none" : out;
}

std::vector<std::byte> member_bytes(const reader& in, const member& m) {
  const std::string where = fmt::format("member '{}'", printable_name(m.name));
  if ((m.flags & 1U) != 0) throw error(fmt::format("{} at offset {} is encrypted", where, m.local_offset));
  if (in.le(m.local_offset, 4, "local header") != local_signature) {
    throw error(
        fmt::format("invalid .npz: bad local header signature of {} at offset {}", where, m.local_offset));
  }
  const std::uint64_t data_offset = m.local_offset + 30 + in.le(m.local_offset + 26, 2, "name length") +
                                    in.le(m.local_offset + 28, 2, "extra length");
  const auto compressed = in.slice(data_offset, m.compressed_size, "member data");
  std::vector<std::byte> out;
  if (m.method == 0) {
    if (m.uncompressed_size != m.compressed_size) {
      throw error(fmt::format("invalid .npz: stored {} at offset {} has sizes {} and {}", where, data_offset,
                              m.compressed_size, m.uncompressed_size));
    }
    out.assign(compressed.begin(), compressed.end());
  } else if (m.method == 8) {
    if (m.uncompressed_size > m.compressed_size * max_inflate_ratio + 64) {
      throw error(fmt::format("invalid .npz: {} at offset {} claims {} bytes from {} compressed", where,
                              data_offset, m.uncompressed_size, m.compressed_size));
    }
    out.resize(static_cast<std::size_t>(m.uncompressed_size));
    z_stream stream{};
    if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) throw error("zlib: cannot initialise inflate");
    std::size_t in_done = 0;
    std::size_t out_done = 0;
    int status = Z_OK;
    constexpr std::size_t chunk = std::size_t{1} << 30;
    while (status == Z_OK) {
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(compressed.data() + in_done));
      stream.avail_in = static_cast<uInt>(std::min(chunk, compressed.size() - in_done));
      stream.next_out = reinterpret_cast<Bytef*>(out.data() + out_done);
      stream.avail_out = static_cast<uInt>(std::min(chunk, out.size() - out_done));
      const uInt in_before = stream.avail_in;
      const uInt out_before = stream.avail_out;
      status = inflate(&stream, Z_NO_FLUSH);
      in_done += in_before - stream.avail_in;
      out_done += out_before - stream.avail_out;
      if (status == Z_BUF_ERROR ||
          (status == Z_OK && in_before == stream.avail_in && out_before == stream.avail_out)) {
        break;
      }
    }
    inflateEnd(&stream);
    if (status != Z_STREAM_END) {
      throw error(
          fmt::format("invalid .npz: deflate data of {} at offset {} is corrupt or truncated after {} bytes",
                      where, data_offset, in_done));
    }
    if (out_done != out.size()) {
      throw error(fmt::format("invalid .npz: {} at offset {} inflates to {} bytes, its header says {}", where,
                              data_offset, out_done, out.size()));
    }
  } else {
    throw error(
        fmt::format("{} at offset {} uses compression method {}: only stored (0) and deflate (8) are "
                    "supported",
                    where, m.local_offset, m.method));
  }
  uLong crc = crc32(0L, Z_NULL, 0);
  for (std::size_t done = 0; done < out.size();) {
    const std::size_t n = std::min<std::size_t>(out.size() - done, std::size_t{1} << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(out.data() + done), static_cast<uInt>(n));
    done += n;
  }
  if (crc != m.crc) {
    throw error(fmt::format("invalid .npz: CRC-32 of {} at offset {} is {:08x}, its header says {:08x}",
                            where, data_offset, crc, m.crc));
  }
  return out;
}

}  // namespace

std::vector<std::string> npz_array_names(std::span<const std::byte> bytes) {
  const reader in(bytes);
  std::vector<std::string> names;
  for (const member& m : read_directory(in)) names.push_back(array_name(m));
  return names;
}

table parse_npz(std::span<const std::byte> bytes, std::string_view name) {
  const reader in(bytes);
  const std::vector<member> members = read_directory(in);
  if (members.empty()) throw error("empty .npz: the archive holds no arrays");
  const member* chosen = nullptr;
  if (name.empty()) {
    if (members.size() != 1) {
      throw error(fmt::format("the .npz holds {} arrays, choose one with --tensor: {}", members.size(),
                              name_list(members)));
    }
    chosen = members.data();
  } else {
    const auto found =
        std::find_if(members.begin(), members.end(), [&](const member& m) { return array_name(m) == name; });
    if (found == members.end()) {
      throw error(
          fmt::format("no array '{}' in the .npz; it holds: {}", printable_name(name), name_list(members)));
    }
    chosen = &*found;
  }
  const std::vector<std::byte> image = member_bytes(in, *chosen);
  try {
    return parse_npy(image);
  } catch (const error& e) {
    throw error(fmt::format("array '{}' (member at offset {}): {}", printable_name(array_name(*chosen)),
                            chosen->local_offset, e.what()));
  }
}

}  // namespace embcheck
