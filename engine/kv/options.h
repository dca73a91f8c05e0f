// Backend selection and tuning. Every field is `name = default;`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace klay::kv {

enum class Backend { kLevelDB, kRocksDB, kLMDB, kMemory };

// Parses --db.type (case-insensitive: "leveldb", "rocksdb", "lmdb", "memory").
// An unknown name gives InvalidArgument naming the valid ones.
Result<Backend> parse_backend(std::string_view name);
// The lower-case name parse_backend accepts ("leveldb", ...).
std::string_view backend_name(Backend b);
// The product name for messages ("LevelDB", "RocksDB", "LMDB", "memory").
std::string_view backend_display_name(Backend b);

// LevelDB supports only kNone and kSnappy; opening it with another value fails
// with InvalidArgument before anything is created.
enum class Compression { kNone, kSnappy, kZstd, kLZ4 };

struct Options {
  // Total memory budget for this database (block cache + write buffers).
  // LevelDB/RocksDB split it half block cache, half write buffer (min 16 MiB each),
  // as Klaytn does. RocksDB splits its write half over two memtables (one
  // filling, one flushing). LMDB ignores it (the OS page cache serves reads).
  uint64_t cache_bytes = 64ull << 20;
  // Bloom filter bits per key (LevelDB/RocksDB); 0 disables the filter.
  int bloom_bits_per_key = 10;
  Compression compression = Compression::kSnappy;
  // LevelDB SST target size (Klaytn: 2 MiB).
  uint64_t table_size_bytes = 2ull << 20;
  // RocksDB SST target size. RocksDB's level sizing assumes larger files than
  // LevelDB; 64 MiB (its own default) keeps the file count low on big chaindata.
  uint64_t rocksdb_target_file_bytes = 64ull << 20;
  // RocksDB background flush + compaction threads.
  int rocksdb_background_jobs = 4;
  int max_open_files = 1024;
  bool create_if_missing = true;
  // RocksDB and LMDB open read-only natively. LevelDB has no read-only mode:
  // it still takes the directory lock, and our wrapper rejects every write
  // with NotSupported.
  bool read_only = false;
  // Skip fsync on every write (batches are still atomic). Klaytn does not sync.
  bool sync_writes = false;
  // LMDB: initial map size; grows automatically when full.
  uint64_t lmdb_initial_map_bytes = 1ull << 30;
};

}  // namespace klay::kv
