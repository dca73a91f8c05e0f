// How klay::kv::Options become RocksDB options. Internal to engine/kv/rocksdb.
//
// Tuned for chaindata on NVMe:
//  - memory: half of cache_bytes (min 16 MiB) is the LRU block cache, the other
//    half (min 16 MiB) is split over two memtables, one filling and one flushing;
//    the cache has shards of at least 2 MiB (at most 64 shards);
//  - BlockBasedTable with 4 KiB blocks (LevelDB's size: a point read that misses
//    the cache touches 4 KiB, not 16), a bloom filter of bloom_bits_per_key, and
//    a partitioned index and filter (4 KiB partitions): partitions are charged
//    to the block cache with high priority so memory stays bounded on TB-scale
//    state, and only the small top-level index/filter of each file is pinned,
//    plus the L0 files' metadata because every point read consults them;
//  - table files are read through mmap (allow_mmap_reads), as LevelDB does: a
//    block-cache miss costs a page-cache lookup instead of a pread and a copy;
//  - leveled compaction with level_compaction_dynamic_level_bytes, so levels
//    are sized from the bottom and space amplification stays near 1.1x;
//  - target_file_size_base = rocksdb_target_file_bytes, max_background_jobs =
//    rocksdb_background_jobs, bytes_per_sync and wal_bytes_per_sync 1 MiB so
//    writeback is smooth instead of bursts at file close;
//  - compression from Options on every level (bulk loads write uncompressed
//    files for data a 1 MiB probe shows it does not shrink: rocksdb_bulk_loader.cpp);
//  - seek-triggered compaction does not exist in RocksDB, nothing to disable.
#pragma once

#include <rocksdb/options.h>

#include "engine/core/status.h"
#include "engine/kv/options.h"

namespace klay::kv {

Result<rocksdb::Options> make_rocksdb_options(const Options& options);

}  // namespace klay::kv
