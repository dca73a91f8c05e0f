// RocksDB's info log (the LOG file), written with plain stdio.
// Internal to engine/kv/rocksdb.
//
// Why not RocksDB's own file logger: in builds with assertions enabled (the
// Debian package is one), its writer aborts the process on the next log line
// after a failed write, so a full disk would crash the node instead of
// returning NoSpace. This logger drops lines it cannot write.
#pragma once

#include <rocksdb/env.h>

#include <filesystem>
#include <memory>

namespace klay::kv {

// A logger appending to <dir>/LOG; the previous LOG is kept as LOG.old, and the
// file rotates to LOG.old when it passes `max_bytes`. Thread-safe.
// Returns null if the file cannot be created (RocksDB then logs nowhere).
std::shared_ptr<rocksdb::Logger> new_rocksdb_logger(const std::filesystem::path& dir, uint64_t max_bytes = 64ull << 20);

}  // namespace klay::kv
