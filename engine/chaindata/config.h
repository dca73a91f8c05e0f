// Chaindata configuration with the reference node's flag semantics, and the
// per-entry-type kv::Options derived from it.
//
// Plain data; every function here is pure and thread-safe.
#pragma once

#include <cstdint>

#include "engine/chaindata/entry_type.h"
#include "engine/core/status.h"
#include "engine/kv/options.h"

namespace klay::chaindata {

// Klaytn's --db.leveldb.compression levels.
enum class LevelDBCompressionLevel : int {
  kAllNone = 0,            // no entry type compressed
  kReceiptsOnlySnappy = 1, // receipts snappy, the rest none
  kAllButStateTrie = 2,    // everything snappy except the state trie (entry type 4 only)
  kAllSnappy = 3,          // everything snappy
};

inline constexpr uint32_t kMaxStateTrieShards = 256;
inline constexpr uint64_t kMinDatabaseCacheMiB = 16;
inline constexpr int kMinDatabaseOpenFiles = 16;

struct Config {
  // --db.type: the backend of every database (parse with kv::parse_backend).
  kv::Backend backend = kv::Backend::kLevelDB;
  // --db.single: every entry type shares one physical database, which lives
  // directly in <datadir>/klay/chaindata. The state trie is not sharded then,
  // and a separate migration database is refused.
  bool single_db = false;
  // --db.num-statetrie-shards: a power of two in 1..256. With 1 the state trie
  // is one plain database in statetrie/; with N > 1 it is N databases in
  // statetrie/0 .. statetrie/N-1. Must match what is on disk.
  uint32_t num_statetrie_shards = 4;
  // --db.leveldb.cache-size / --db.rocksdb.cache-size in MiB: the total cache
  // over all entry types, split by cache_share_percent() (integer MiB, rounded
  // down), then evenly over shards; every database gets at least 16 MiB.
  uint64_t cache_mib = 768;
  // Total open-file budget, split like the cache; at least 16 per database.
  int max_open_files = 1024;
  // --db.leveldb.compression (0..3, see LevelDBCompressionLevel). LevelDB only.
  int leveldb_compression = 0;
  // RocksDB block compression for every entry type (Klaytn's default is lz4).
  kv::Compression rocksdb_compression = kv::Compression::kLZ4;
  // Open every database read-only; nothing is created and writes fail.
  bool read_only = false;
  // fsync every write (Klaytn does not).
  bool sync_writes = false;
};

// Ok, or InvalidArgument with one sentence naming the flag at fault.
Status validate_num_statetrie_shards(uint64_t num_shards);
Status validate(const Config& config);

// The LevelDB compression Klaytn uses for `type` at `level`. Faithful to the
// reference's quirk: at level 2 only kStateTrie is uncompressed; the migration
// target (type 5) is snappy. REQUIRES: level in 0..3.
kv::Compression leveldb_compression_for(LevelDBCompressionLevel level, EntryType type);

// Options of the whole database of `type` (before any shard split).
// REQUIRES: validate(config) is ok.
kv::Options entry_options(const Config& config, EntryType type);
// Options of the single shared database in single-DB mode (the full cache;
// compressed as misc, like the reference, which opens it as entry type 0).
kv::Options single_db_options(const Config& config);
// Options of one of `num_shards` shards of a database opened with `whole`.
kv::Options shard_options(const kv::Options& whole, uint32_t num_shards);

}  // namespace klay::chaindata
