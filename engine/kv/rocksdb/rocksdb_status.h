// Translation of RocksDB statuses into klay::Status. Internal to engine/kv/rocksdb.
#pragma once

#include <filesystem>

#include <rocksdb/status.h>

#include "engine/core/status.h"

namespace klay::kv {

// Maps `s` to one sentence naming the database at `dir`: Corruption stays
// Corruption, a full disk becomes NoSpace, a held directory lock or RocksDB's
// Busy becomes Busy, NotFound stays a plain NotFound (not an error for
// reads). Inline, so the two outcomes of every read (ok, NotFound) cost no
// call.
Status from_rocksdb_error(const rocksdb::Status& s, const std::filesystem::path& dir);
inline Status from_rocksdb(const rocksdb::Status& s, const std::filesystem::path& dir) {
  if (s.ok()) [[likely]] return Status::ok();
  if (s.IsNotFound() && !s.IsPathNotFound()) return Status::not_found();
  return from_rocksdb_error(s, dir);
}

}  // namespace klay::kv
