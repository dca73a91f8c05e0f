// The physical databases of an open datadir, and scanning them in parallel.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/kv/database.h"

namespace klay::kchaindata {

struct PhysicalDb {
  std::string label;            // entry type name, or "single" in single-DB mode
  chaindata::EntryType type;    // kMisc for the single database
  kv::Database* db = nullptr;   // owned by the DBManager
  std::filesystem::path path;   // its directory (shards included)
};

// Every open database once (one in single-DB mode), in entry-type order.
Result<std::vector<PhysicalDb>> physical_dbs(const chaindata::DBManager& dbm);

// Bytes of the regular files under `dir` (recursively); 0 when missing.
uint64_t dir_size(const std::filesystem::path& dir);

// Number of parts parallel_scan splits a key space into (one per first byte).
inline constexpr size_t kScanParts = 256;

// Calls fn(part, key, value) for every key of `db`; part p holds the keys
// whose first byte is p, and the parts run concurrently on TBB workers (fn
// must be thread-safe across parts; calls within a part are sequential and in
// key order). Stops at the first non-ok Status fn or an iterator returns.
using ScanFn = std::function<Status(size_t part, ByteView key, ByteView value)>;
Status parallel_scan(kv::Database& db, const ScanFn& fn);

// The estimated key count of `db` (0 when the backend cannot say).
uint64_t estimated_keys(kv::Database& db);

}  // namespace klay::kchaindata
