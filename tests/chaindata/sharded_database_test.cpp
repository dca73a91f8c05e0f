// ShardedDatabase on every backend: routing, merged iteration, batches, loaders.
#include "engine/chaindata/sharded_database.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "engine/chaindata/shard_layout.h"
#include "engine/kv/bulk_loader.h"
#include "engine/kv/open.h"
#include "tests/chaindata/chaindata_test_support.h"

namespace klay::chaindata {
namespace {

using testing::b;
using testing::s;

kv::Options small_options() {
  kv::Options o;
  o.cache_bytes = 16ull << 20;
  o.lmdb_initial_map_bytes = 64ull << 20;
  return o;
}

class ShardedDatabaseTest : public ::testing::TestWithParam<kv::Backend> {
 protected:
  std::unique_ptr<ShardedDatabase> open(uint32_t n) {
    auto db = ShardedDatabase::open(GetParam(), dir_.path() / "statetrie", n, small_options());
    EXPECT_TRUE(db.has_value()) << db.status().to_string();
    return db ? std::move(db.value()) : nullptr;
  }
  testing::ScratchDir dir_;
};

// Random keys spread over every first byte, with shared prefixes.
std::map<std::string, std::string> random_entries(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::map<std::string, std::string> out;
  while (out.size() < count) {
    std::string key(1 + rng() % 6, '\0');
    for (auto& c : key) c = static_cast<char>(rng() % 8 == 0 ? 0xff : rng() % 256);
    if (rng() % 4 == 0) key[0] = 'c';  // many keys in one shard
    out[key] = "v" + std::to_string(rng());
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> collect(kv::Database& db, const kv::IteratorOptions& opts) {
  std::vector<std::pair<std::string, std::string>> out;
  auto it = db.new_iterator(opts);
  for (; it->valid(); it->next()) out.emplace_back(s(it->key()), s(it->value()));
  EXPECT_TRUE(it->status()) << it->status().to_string();
  return out;
}

std::vector<std::pair<std::string, std::string>> expected_range(const std::map<std::string, std::string>& ref,
                                                                const std::string& prefix, const std::string& start) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = ref.lower_bound(prefix + start); it != ref.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    out.emplace_back(*it);
  }
  return out;
}

TEST_P(ShardedDatabaseTest, RoutesEachKeyToItsShardAndReadsItBack) {
  auto db = open(4);
  ASSERT_TRUE(db);
  for (int first = 0; first < 256; first += 5) {
    const Bytes key = {static_cast<uint8_t>(first), 1, 2};
    ASSERT_TRUE(db->put(key, b("x" + std::to_string(first))));
  }
  for (int first = 0; first < 256; first += 5) {
    const Bytes key = {static_cast<uint8_t>(first), 1, 2};
    for (uint32_t i = 0; i < 4; ++i) {
      auto has = db->shard(i).has(key);
      ASSERT_TRUE(has.has_value());
      EXPECT_EQ(*has, i == (static_cast<uint32_t>(first) & 3)) << first << " shard " << i;
    }
    Bytes v;
    ASSERT_TRUE(db->get(key, &v));
    EXPECT_EQ(s(v), "x" + std::to_string(first));
    ASSERT_TRUE(db->del(key));
    EXPECT_TRUE(db->get(key, &v).is_not_found());
  }
  // An empty key goes to shard 0, which rejects it like every backend does.
  EXPECT_FALSE(db->put(Bytes{}, b("v")));
}

TEST_P(ShardedDatabaseTest, MergedIterationMatchesAnOrderedMap) {
  auto db = open(8);
  ASSERT_TRUE(db);
  const auto ref = random_entries(600, 7);
  auto batch = db->new_batch();
  for (const auto& [k, v] : ref) batch->put(b(k), b(v));
  ASSERT_TRUE(db->write(*batch));

  EXPECT_EQ(collect(*db, {}), expected_range(ref, "", ""));
  std::mt19937 rng(11);
  for (int round = 0; round < 40; ++round) {
    auto pick = std::next(ref.begin(), static_cast<long>(rng() % ref.size()))->first;
    const std::string prefix = round % 3 == 0 ? "" : pick.substr(0, 1 + rng() % 2);
    const std::string start = round % 2 == 0 ? "" : pick.substr(std::min(prefix.size(), pick.size()));
    kv::IteratorOptions opts{b(prefix), b(start)};
    EXPECT_EQ(collect(*db, opts), expected_range(ref, prefix, start)) << "prefix/start round " << round;
  }
  kv::IteratorOptions none{b("\x01\x02\x03\x04\x05\x06\x07"), {}};
  EXPECT_TRUE(collect(*db, none).empty());
}

TEST_P(ShardedDatabaseTest, BatchSplitsPerShardAndReplaysInInsertionOrder) {
  auto db = open(4);
  ASSERT_TRUE(db);
  auto batch = db->new_batch();
  std::vector<std::string> log;
  for (int i = 0; i < 64; ++i) {
    const std::string key = std::string(1, static_cast<char>(i * 37)) + "k" + std::to_string(i);
    if (i % 5 == 4) {
      batch->del(b(key));
      log.push_back("del " + key);
    } else {
      batch->put(b(key), b("v" + std::to_string(i)));
      log.push_back("put " + key + "=v" + std::to_string(i));
    }
  }
  EXPECT_EQ(batch->count(), 64u);
  EXPECT_GT(batch->value_bytes(), 0u);

  struct Recorder : kv::BatchHandler {
    std::vector<std::string> ops;
    void put(ByteView k, ByteView v) override { ops.push_back("put " + s(k) + "=" + s(v)); }
    void del(ByteView k) override { ops.push_back("del " + s(k)); }
  } rec;
  batch->replay(rec);
  EXPECT_EQ(rec.ops, log);

  ASSERT_TRUE(db->write(*batch));
  EXPECT_EQ(batch->count(), 64u) << "write leaves the batch as it was";
  for (int i = 0; i < 64; ++i) {
    const std::string key = std::string(1, static_cast<char>(i * 37)) + "k" + std::to_string(i);
    auto has = db->shard(shard_index(b(key), 4)).has(b(key));
    ASSERT_TRUE(has.has_value());
    EXPECT_EQ(*has, i % 5 != 4);
  }
  batch->clear();
  EXPECT_EQ(batch->count(), 0u);
  EXPECT_EQ(batch->value_bytes(), 0u);
}

TEST_P(ShardedDatabaseTest, RejectsABatchOfAnotherDatabase) {
  auto db = open(2);
  ASSERT_TRUE(db);
  testing::ScratchDir other_dir;
  auto other = ShardedDatabase::open(GetParam(), other_dir.path() / "x", 2, small_options());
  ASSERT_TRUE(other.has_value());
  auto foreign = (*other)->new_batch();
  foreign->put(b("a"), b("1"));
  Status st = db->write(*foreign);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  auto native = db->shard(0).new_batch();
  native->put(b("b"), b("1"));
  EXPECT_EQ(db->write(*native).code(), Status::Code::kInvalidArgument);
}

TEST_P(ShardedDatabaseTest, LargeBatchesAreWrittenToAllShardsInParallel) {
  auto db = open(16);
  ASSERT_TRUE(db);
  // Many batches, each spanning all 16 shards (written by parallel tasks); then compact and compare.
  const auto ref = random_entries(2000, 3);
  auto batch = db->new_batch();
  for (const auto& [k, v] : ref) {
    batch->put(b(k), b(v));
    if (batch->value_bytes() >= 4096) {
      ASSERT_TRUE(db->write(*batch));
      batch->clear();
    }
  }
  ASSERT_TRUE(db->write(*batch));
  ASSERT_TRUE(db->compact());
  EXPECT_EQ(collect(*db, {}), expected_range(ref, "", ""));
  auto st = db->stats();
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->backend, kv::backend_name(GetParam()));
  EXPECT_NE(st->details.find("shard 15"), std::string::npos);
  if (GetParam() == kv::Backend::kMemory || GetParam() == kv::Backend::kLMDB) {
    EXPECT_EQ(st->estimated_keys, ref.size());
  }
}

TEST_P(ShardedDatabaseTest, BulkLoaderSpreadsSortedKeysOverShards) {
  auto db = open(4);
  ASSERT_TRUE(db);
  const auto ref = random_entries(500, 5);
  auto loader = kv::new_bulk_loader(*db);
  ASSERT_TRUE(loader.has_value()) << loader.status().to_string();
  for (const auto& [k, v] : ref) ASSERT_TRUE((*loader)->add(b(k), b(v)));
  EXPECT_EQ((*loader)->add(b(ref.begin()->first), b("x")).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ((*loader)->count(), ref.size());
  ASSERT_TRUE((*loader)->finish());
  loader->reset();
  EXPECT_EQ(collect(*db, {}), expected_range(ref, "", ""));
}

TEST_P(ShardedDatabaseTest, ReopeningWithAnotherShardCountIsRefused) {
  {
    auto db = open(4);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->put(b("k"), b("v")));
    ASSERT_TRUE(db->close());
  }
  if (GetParam() == kv::Backend::kMemory) GTEST_SKIP() << "a memory store leaves no directories to inspect";
  auto again = ShardedDatabase::open(GetParam(), dir_.path() / "statetrie", 8, small_options());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(again.status().message().find("holds 4 shards"), std::string::npos) << again.status().message();
  EXPECT_NE(again.status().message().find("--db.num-statetrie-shards=4"), std::string::npos);
  auto same = ShardedDatabase::open(GetParam(), dir_.path() / "statetrie", 4, small_options());
  ASSERT_TRUE(same.has_value()) << same.status().to_string();
  Bytes v;
  EXPECT_TRUE((*same)->get(b("k"), &v));
}

TEST(ShardedDatabase, InvalidShardCountsAreRefused) {
  testing::ScratchDir dir;
  auto db = ShardedDatabase::open(kv::Backend::kMemory, dir.path() / "s", 3, {});
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(db.status().message().find("power of two"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ShardedDatabaseTest, ::testing::ValuesIn(testing::all_backends()),
                         testing::backend_param_name);

}  // namespace
}  // namespace klay::chaindata
