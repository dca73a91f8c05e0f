// How klay::kv::Options become RocksDB options. Internal to engine/kv/rocksdb.
//
// Tuned for chaindata on NVMe:
//  - memory: half of cache_bytes (min 16 MiB) is the LRU block cache, the other
//    half (min 16 MiB) is split over two memtables, one filling and one flushing;
//  - BlockBasedTable with 16 KiB blocks (a smaller index on TB-scale state), a
//    full bloom filter of bloom_bits_per_key, index and filter blocks charged to
//    the block cache so memory stays bounded, and the L0 ones pinned there
//    because every point read consults them;
//  - leveled compaction with level_compaction_dynamic_level_bytes, so levels
//    are sized from the bottom and space amplification stays near 1.1x;
//  - target_file_size_base = rocksdb_target_file_bytes, max_background_jobs =
//    rocksdb_background_jobs, bytes_per_sync and wal_bytes_per_sync 1 MiB so
//    writeback is smooth instead of bursts at file close;
//  - compression from Options on every level;
//  - seek-triggered compaction does not exist in RocksDB, nothing to disable.
#pragma once

#include <rocksdb/options.h>

#include "engine/core/status.h"
#include "engine/kv/options.h"

namespace klay::kv {

Result<rocksdb::Options> make_rocksdb_options(const Options& options);

}  // namespace klay::kv
