// Translation of LevelDB statuses into klay::Status. Internal to engine/kv/leveldb.
#pragma once

#include <filesystem>

#include <leveldb/status.h>

#include "engine/core/status.h"

namespace klay::kv {

// Maps `s` to one sentence naming the database at `dir`: Corruption stays
// Corruption, a full disk becomes NoSpace, a held directory lock becomes Busy,
// NotFound stays a plain NotFound (not an error for reads). Inline, so the
// two outcomes of every read (ok, NotFound) cost no call.
Status from_leveldb_error(const leveldb::Status& s, const std::filesystem::path& dir);
inline Status from_leveldb(const leveldb::Status& s, const std::filesystem::path& dir) {
  if (s.ok()) [[likely]] return Status::ok();
  if (s.IsNotFound()) return Status::not_found();
  return from_leveldb_error(s, dir);
}

}  // namespace klay::kv
