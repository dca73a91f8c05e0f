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

// LMDB cannot compact in place: writes a compacted copy of the environment in
// `src` to `dst`/data.mdb (free pages dropped). `dst` must be missing or empty;
// Busy while `src` is open. Implemented by the LMDB backend (klay_kv_lmdb).
Status lmdb_copy_compact(const std::filesystem::path& src, const std::filesystem::path& dst);

}  // namespace klay::kv
