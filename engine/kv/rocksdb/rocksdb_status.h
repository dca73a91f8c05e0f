// Translation of RocksDB statuses into klay::Status. Internal to engine/kv/rocksdb.
#pragma once

#include <filesystem>

#include <rocksdb/status.h>

#include "engine/core/status.h"

namespace klay::kv {

// Maps `s` to one sentence naming the database at `dir`: Corruption stays
// Corruption, a full disk becomes NoSpace, a held directory lock or RocksDB's
// Busy becomes Busy, NotFound stays a plain NotFound (not an error for reads).
Status from_rocksdb(const rocksdb::Status& s, const std::filesystem::path& dir);

}  // namespace klay::kv
