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
Result<Backend> parse_backend(std::string_view name);
std::string_view backend_name(Backend b);

enum class Compression { kNone, kSnappy, kZstd, kLZ4 };

struct Options {
  // Total memory budget for this database (block cache + write buffers).
  // LevelDB/RocksDB split it half block cache, half write buffer (min 16 MiB each),
  // as Klaytn does. LMDB ignores it (the OS page cache serves reads).
  uint64_t cache_bytes = 64ull << 20;
  // Bloom filter bits per key (LevelDB/RocksDB); 0 disables the filter.
  int bloom_bits_per_key = 10;
  Compression compression = Compression::kSnappy;
  // LevelDB/RocksDB SST target size (Klaytn: 2 MiB for LevelDB).
  uint64_t table_size_bytes = 2ull << 20;
  int max_open_files = 1024;
  bool create_if_missing = true;
  bool read_only = false;
  // Skip fsync on every write (batches are still atomic). Klaytn does not sync.
  bool sync_writes = false;
  // LMDB: initial map size; grows automatically when full.
  uint64_t lmdb_initial_map_bytes = 1ull << 30;
};

}  // namespace klay::kv
