#include "engine/chaindata/config.h"

#include <algorithm>
#include <string>

namespace klay::chaindata {

namespace {

constexpr uint64_t kMiB = 1ull << 20;

kv::Compression compression_for(const Config& config, EntryType type) {
  switch (config.backend) {
    case kv::Backend::kLevelDB:
      return leveldb_compression_for(static_cast<LevelDBCompressionLevel>(config.leveldb_compression), type);
    case kv::Backend::kRocksDB:
      return config.rocksdb_compression;
    case kv::Backend::kLMDB:
    case kv::Backend::kMemory:
      return kv::Compression::kNone;
  }
  return kv::Compression::kNone;
}

kv::Options base_options(const Config& config) {
  kv::Options o;
  o.create_if_missing = !config.read_only;
  o.read_only = config.read_only;
  o.sync_writes = config.sync_writes;
  return o;
}

}  // namespace

Status validate_num_statetrie_shards(uint64_t num_shards) {
  if (num_shards == 0 || num_shards > kMaxStateTrieShards || (num_shards & (num_shards - 1)) != 0) {
    return Status::invalid_argument("--db.num-statetrie-shards must be a power of two between 1 and 256, got " +
                                    std::to_string(num_shards));
  }
  return Status::ok();
}

Status validate(const Config& config) {
  if (Status s = validate_num_statetrie_shards(config.num_statetrie_shards); !s) return s;
  if (config.leveldb_compression < 0 || config.leveldb_compression > 3) {
    return Status::invalid_argument("--db.leveldb.compression must be 0, 1, 2 or 3, got " +
                                    std::to_string(config.leveldb_compression));
  }
  if (config.cache_mib == 0) {
    return Status::invalid_argument("the database cache size must be at least 1 MiB");
  }
  if (config.max_open_files <= 0) {
    return Status::invalid_argument("the open-files limit must be positive, got " +
                                    std::to_string(config.max_open_files));
  }
  return Status::ok();
}

kv::Compression leveldb_compression_for(LevelDBCompressionLevel level, EntryType type) {
  switch (level) {
    case LevelDBCompressionLevel::kAllNone:
      return kv::Compression::kNone;
    case LevelDBCompressionLevel::kReceiptsOnlySnappy:
      return type == EntryType::kReceipts ? kv::Compression::kSnappy : kv::Compression::kNone;
    case LevelDBCompressionLevel::kAllButStateTrie:
      return type == EntryType::kStateTrie ? kv::Compression::kNone : kv::Compression::kSnappy;
    case LevelDBCompressionLevel::kAllSnappy:
      return kv::Compression::kSnappy;
  }
  return kv::Compression::kNone;
}

kv::Options entry_options(const Config& config, EntryType type) {
  kv::Options o = base_options(config);
  const uint64_t share = static_cast<uint64_t>(cache_share_percent(type));
  o.cache_bytes = std::max(config.cache_mib * share / 100, kMinDatabaseCacheMiB) * kMiB;
  o.max_open_files = std::max(config.max_open_files * cache_share_percent(type) / 100, kMinDatabaseOpenFiles);
  o.compression = compression_for(config, type);
  return o;
}

kv::Options single_db_options(const Config& config) {
  kv::Options o = base_options(config);
  o.cache_bytes = std::max(config.cache_mib, kMinDatabaseCacheMiB) * kMiB;
  o.max_open_files = std::max(config.max_open_files, kMinDatabaseOpenFiles);
  o.compression = compression_for(config, EntryType::kMisc);
  return o;
}

kv::Options shard_options(const kv::Options& whole, uint32_t num_shards) {
  kv::Options o = whole;
  if (num_shards <= 1) return o;
  o.cache_bytes = std::max(whole.cache_bytes / num_shards, kMinDatabaseCacheMiB * kMiB);
  o.max_open_files = std::max(whole.max_open_files / static_cast<int>(num_shards), kMinDatabaseOpenFiles);
  // LMDB reserves address space per environment; keep the shards' sum at the whole's size.
  o.lmdb_initial_map_bytes = std::max<uint64_t>(whole.lmdb_initial_map_bytes / num_shards, 64ull << 20);
  return o;
}

}  // namespace klay::chaindata
