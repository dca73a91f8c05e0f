#include "engine/kv/rocksdb/rocksdb_status.h"

#include "engine/kv/backend_support.h"

namespace klay::kv {

Status from_rocksdb_error(const rocksdb::Status& s, const std::filesystem::path& dir) {
  const std::string native = s.ToString();
  const std::string where = "the RocksDB database at " + dir.string();
  if (s.IsNoSpace() || mentions_no_space(native)) {
    return Status::no_space("the disk holding " + where + " is full (" + native + ")");
  }
  if (s.IsCorruption()) return Status::corruption(where + " is corrupt (" + native + ")");
  if (s.IsBusy() || s.IsTryAgain() || (s.IsIOError() && mentions_lock(native))) {
    return Status::busy(where + " is already open in this or another process (" + native + ")");
  }
  if (s.IsInvalidArgument()) return Status::invalid_argument(where + " rejected the request (" + native + ")");
  if (s.IsNotSupported()) return Status::not_supported(where + " does not support the request (" + native + ")");
  if (s.IsAborted() || s.IsShutdownInProgress()) return Status::aborted(where + " stopped the request (" + native + ")");
  return Status::io_error("an I/O error hit " + where + " (" + native + ")");
}

}  // namespace klay::kv
