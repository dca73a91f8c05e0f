// Translation of LevelDB statuses into klay::Status. Internal to engine/kv/leveldb.
#pragma once

#include <filesystem>

#include <leveldb/status.h>

#include "engine/core/status.h"

namespace klay::kv {

// Maps `s` to one sentence naming the database at `dir`: Corruption stays
// Corruption, a full disk becomes NoSpace, a held directory lock becomes Busy,
// NotFound stays a plain NotFound (not an error for reads).
Status from_leveldb(const leveldb::Status& s, const std::filesystem::path& dir);

}  // namespace klay::kv
