// Factories of the individual backends. Prefer kv::open_database (open.h),
// which checks what a directory holds before dispatching here.
// Each backend lives in its own folder and library; none of their headers
// (leveldb/, rocksdb/, lmdb.h) is included outside that folder.
#pragma once

#include <filesystem>
#include <memory>

#include "engine/kv/database.h"
#include "engine/kv/options.h"

namespace klay::kv {

Result<std::unique_ptr<Database>> open_leveldb(const std::filesystem::path& dir, const Options& options);
Result<std::unique_ptr<Database>> open_rocksdb(const std::filesystem::path& dir, const Options& options);
Result<std::unique_ptr<Database>> open_lmdb(const std::filesystem::path& dir, const Options& options);
// `name` identifies the store within this process; reopening the same name sees the same data
// until the process exits. An empty name gives a private store that vanishes with its handle.
Result<std::unique_ptr<Database>> open_memory(const std::filesystem::path& name, const Options& options);

}  // namespace klay::kv
