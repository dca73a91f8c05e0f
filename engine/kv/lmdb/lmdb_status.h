// Turning LMDB return codes into klay::Status with one clear sentence.
// Internal to engine/kv/lmdb.
#pragma once

#include <filesystem>
#include <string_view>

#include "engine/core/status.h"

namespace klay::kv::lmdb_detail {

// `rc` is an LMDB or errno code (non-zero); `action` says what was attempted
// ("write a batch", "open the database"); `dir` is the environment directory.
Status lmdb_status(int rc, std::string_view action, const std::filesystem::path& dir);

}  // namespace klay::kv::lmdb_detail
