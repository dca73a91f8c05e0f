#include "engine/kv/backend_support.h"

#include <system_error>

namespace klay::kv {

Status closed_error(std::string_view backend, const std::filesystem::path& dir) {
  return Status::io_error("the " + std::string(backend) + " database at " + dir.string() + " is closed");
}

Status empty_key_error() { return Status::invalid_argument("keys must not be empty"); }

Status read_only_error(std::string_view backend, const std::filesystem::path& dir) {
  return Status::not_supported("the " + std::string(backend) + " database at " + dir.string() +
                               " was opened read-only");
}

bool mentions_no_space(std::string_view msg) {
  // strerror(ENOSPC) ("No space left on device"), RocksDB's subcode text ("No space left
  // on device" too) and strerror(EDQUOT).
  return msg.find("No space") != std::string_view::npos ||
         msg.find("Disk quota exceeded") != std::string_view::npos;
}

bool mentions_lock(std::string_view msg) {
  // LevelDB: "lock <dir>/LOCK: already held by process" or "...: Resource temporarily unavailable";
  // RocksDB: "While lock file: <dir>/LOCK: ..." and "lock hold by current process".
  return msg.find("/LOCK") != std::string_view::npos || msg.find("lock hold by") != std::string_view::npos ||
         msg.find("already held by process") != std::string_view::npos;
}

std::optional<Bytes> prefix_successor(ByteView prefix) {
  Bytes out(prefix.begin(), prefix.end());
  while (!out.empty()) {
    if (out.back() != 0xff) {
      ++out.back();
      return out;
    }
    out.pop_back();
  }
  return std::nullopt;
}

uint64_t directory_bytes(const std::filesystem::path& dir) {
  std::error_code ec;
  uint64_t total = 0;
  // Files can vanish under compaction while we walk; skip what disappears.
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      auto size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

}  // namespace klay::kv
