// Entry types, directory records and the configuration's flag semantics.
#include <gtest/gtest.h>

#include "engine/chaindata/config.h"
#include "engine/chaindata/entry_type.h"
#include "engine/chaindata/shard_layout.h"

namespace klay::chaindata {
namespace {

TEST(EntryType, PersistedNumbersAndDefaultDirectories) {
  const std::pair<EntryType, std::string_view> expected[] = {
      {EntryType::kMisc, "misc"},           {EntryType::kHeader, "header"},
      {EntryType::kBody, "body"},           {EntryType::kReceipts, "receipts"},
      {EntryType::kStateTrie, "statetrie"}, {EntryType::kStateTrieMigration, "statetrie_migrated"},
      {EntryType::kTxLookup, "txlookup"},   {EntryType::kBridgeService, "bridgeservice"},
      {EntryType::kSnapshot, "snapshot"}};
  for (size_t i = 0; i < kEntryTypeCount; ++i) {
    EXPECT_EQ(static_cast<size_t>(expected[i].first), i);
    EXPECT_EQ(kAllEntryTypes[i], expected[i].first);
    EXPECT_EQ(default_dir_name(expected[i].first), expected[i].second);
    EXPECT_EQ(parse_entry_type(entry_type_name(expected[i].first)), expected[i].first);
  }
  EXPECT_FALSE(parse_entry_type("state").has_value());
}

TEST(EntryType, CacheSharesMatchTheReference) {
  const int shares[] = {2, 5, 5, 5, 40, 37, 2, 1, 3};
  int sum = 0;
  for (size_t i = 0; i < kEntryTypeCount; ++i) {
    EXPECT_EQ(cache_share_percent(kAllEntryTypes[i]), shares[i]);
    sum += cache_share_percent(kAllEntryTypes[i]);
  }
  EXPECT_EQ(sum, 100);
}

TEST(EntryType, DirectoryRecordKeyIsPrefixPlusBigEndianType) {
  const Bytes key = dir_record_key(EntryType::kStateTrie);
  Bytes expected = to_bytes("databaseDirectory");
  for (int i = 0; i < 7; ++i) expected.push_back(0);
  expected.push_back(4);
  EXPECT_EQ(key, expected);
  EXPECT_EQ(migration_dir_name(84482070), "statetrie_migrated_84482070");
}

TEST(Config, ShardCountMustBeAPowerOfTwoUpTo256) {
  for (uint64_t n : {1, 2, 4, 8, 16, 32, 64, 128, 256}) EXPECT_TRUE(validate_num_statetrie_shards(n)) << n;
  for (uint64_t n : {0, 3, 6, 12, 257, 512, 1000}) {
    Status s = validate_num_statetrie_shards(n);
    EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << n;
    EXPECT_NE(s.message().find("--db.num-statetrie-shards"), std::string::npos);
    EXPECT_NE(s.message().find(std::to_string(n)), std::string::npos);
  }
  Config c;
  EXPECT_EQ(c.num_statetrie_shards, 4u);
  c.num_statetrie_shards = 5;
  EXPECT_EQ(validate(c).code(), Status::Code::kInvalidArgument);
  c.num_statetrie_shards = 4;
  c.leveldb_compression = 4;
  EXPECT_EQ(validate(c).code(), Status::Code::kInvalidArgument);
}

TEST(Config, LevelDBCompressionLevelsFollowKlaytn) {
  using L = LevelDBCompressionLevel;
  for (EntryType t : kAllEntryTypes) {
    EXPECT_EQ(leveldb_compression_for(L::kAllNone, t), kv::Compression::kNone);
    EXPECT_EQ(leveldb_compression_for(L::kAllSnappy, t), kv::Compression::kSnappy);
    EXPECT_EQ(leveldb_compression_for(L::kReceiptsOnlySnappy, t),
              t == EntryType::kReceipts ? kv::Compression::kSnappy : kv::Compression::kNone);
    // Only entry type 4 is uncompressed at level 2; the migration target (5) is snappy.
    EXPECT_EQ(leveldb_compression_for(L::kAllButStateTrie, t),
              t == EntryType::kStateTrie ? kv::Compression::kNone : kv::Compression::kSnappy);
  }
  Config c;
  c.leveldb_compression = 1;
  EXPECT_EQ(entry_options(c, EntryType::kReceipts).compression, kv::Compression::kSnappy);
  EXPECT_EQ(entry_options(c, EntryType::kBody).compression, kv::Compression::kNone);
  c.backend = kv::Backend::kRocksDB;
  EXPECT_EQ(entry_options(c, EntryType::kBody).compression, kv::Compression::kLZ4);
}

TEST(Config, CacheIsSplitByShareThenShardsWithA16MiBFloor) {
  Config c;
  c.cache_mib = 1000;
  EXPECT_EQ(entry_options(c, EntryType::kStateTrie).cache_bytes, 400ull << 20);
  EXPECT_EQ(entry_options(c, EntryType::kMisc).cache_bytes, 20ull << 20);
  EXPECT_EQ(entry_options(c, EntryType::kBridgeService).cache_bytes, 16ull << 20);  // 10 MiB raised
  EXPECT_EQ(shard_options(entry_options(c, EntryType::kStateTrie), 4).cache_bytes, 100ull << 20);
  EXPECT_EQ(shard_options(entry_options(c, EntryType::kStateTrie), 256).cache_bytes, 16ull << 20);
  EXPECT_EQ(single_db_options(c).cache_bytes, 1000ull << 20);
  c.read_only = true;
  EXPECT_TRUE(entry_options(c, EntryType::kHeader).read_only);
  EXPECT_FALSE(entry_options(c, EntryType::kHeader).create_if_missing);
}

TEST(ShardLayout, KeyLandsInFirstByteMaskedShard) {
  for (uint32_t n : {1u, 2u, 4u, 16u, 256u}) {
    for (int first = 0; first < 256; ++first) {
      const uint8_t key[2] = {static_cast<uint8_t>(first), 0x55};
      EXPECT_EQ(shard_index(ByteView(key, 2), n), static_cast<uint32_t>(first) & (n - 1));
    }
  }
  EXPECT_EQ(shard_index(ByteView(), 8), 0u);
}

}  // namespace
}  // namespace klay::chaindata
