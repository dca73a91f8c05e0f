#include "engine/kv/leveldb/leveldb_status.h"

#include "engine/kv/backend_support.h"

namespace klay::kv {

Status from_leveldb_error(const leveldb::Status& s, const std::filesystem::path& dir) {
  const std::string native = s.ToString();
  const std::string where = "the LevelDB database at " + dir.string();
  if (s.IsCorruption()) return Status::corruption(where + " is corrupt (" + native + ")");
  if (s.IsInvalidArgument()) return Status::invalid_argument(where + " rejected the request (" + native + ")");
  if (s.IsNotSupportedError()) return Status::not_supported(where + " does not support the request (" + native + ")");
  if (mentions_no_space(native)) return Status::no_space("the disk holding " + where + " is full (" + native + ")");
  if (mentions_lock(native)) {
    return Status::busy(where + " is already open in this or another process (" + native + ")");
  }
  return Status::io_error("an I/O error hit " + where + " (" + native + ")");
}

}  // namespace klay::kv
