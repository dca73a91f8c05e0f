#include "engine/kv/rocksdb/rocksdb_options.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include <algorithm>

namespace klay::kv {

namespace {

constexpr uint64_t kMinHalfBudget = 16ull << 20;
constexpr uint64_t kSyncChunk = 1ull << 20;
// RocksDB's automatic sharding cuts a 32 MiB cache into 64 shards of 512 KiB,
// too small to keep hot metadata blocks while data blocks stream through.
constexpr uint64_t kMinCacheShard = 2ull << 20;
constexpr int kMaxCacheShardBits = 6;

int cache_shard_bits(uint64_t capacity) {
  int bits = 0;
  while (bits < kMaxCacheShardBits && (capacity >> (bits + 1)) >= kMinCacheShard) ++bits;
  return bits;
}

}  // namespace

Result<rocksdb::Options> make_rocksdb_options(const Options& options) {
  rocksdb::Options o;
  switch (options.compression) {
    case Compression::kNone: o.compression = rocksdb::kNoCompression; break;
    case Compression::kSnappy: o.compression = rocksdb::kSnappyCompression; break;
    case Compression::kZstd: o.compression = rocksdb::kZSTD; break;
    case Compression::kLZ4: o.compression = rocksdb::kLZ4Compression; break;
  }
  const auto supported = rocksdb::GetSupportedCompressions();
  if (std::find(supported.begin(), supported.end(), o.compression) == supported.end()) {
    return Status::not_supported("this RocksDB build lacks the requested compression");
  }

  const uint64_t half = std::max(options.cache_bytes / 2, kMinHalfBudget);
  rocksdb::BlockBasedTableOptions table;
  rocksdb::LRUCacheOptions cache;
  cache.capacity = half;
  cache.num_shard_bits = cache_shard_bits(half);
  table.block_cache = rocksdb::NewLRUCache(cache);
  table.block_size = 4 * 1024;
  if (options.bloom_bits_per_key > 0) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(options.bloom_bits_per_key));
  }
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4 * 1024;
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_top_level_index_and_filter = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.optimize_filters_for_memory = true;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  o.create_if_missing = options.create_if_missing && !options.read_only;
  o.max_open_files = options.max_open_files;
  o.allow_mmap_reads = true;
  o.write_buffer_size = half / 2;
  o.max_write_buffer_number = 2;
  o.level_compaction_dynamic_level_bytes = true;
  o.target_file_size_base = options.rocksdb_target_file_bytes;
  o.max_background_jobs = std::max(options.rocksdb_background_jobs, 2);
  o.bytes_per_sync = kSyncChunk;
  o.wal_bytes_per_sync = kSyncChunk;
  o.keep_log_file_num = 4;
  return o;
}

}  // namespace klay::kv
