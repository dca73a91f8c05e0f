// DBManager on every backend: layout, directory records, single mode, shards.
#include "engine/chaindata/db_manager.h"

#include <gtest/gtest.h>

#include <map>

#include "engine/chaindata/shard_layout.h"
#include "engine/kv/open.h"
#include "tests/chaindata/chaindata_test_support.h"

namespace klay::chaindata {
namespace {

namespace fs = std::filesystem;
using testing::b;
using testing::s;

class DBManagerTest : public ::testing::TestWithParam<kv::Backend> {
 protected:
  Config config(uint32_t shards = 4, bool single = false) const {
    Config c;
    c.backend = GetParam();
    c.num_statetrie_shards = shards;
    c.single_db = single;
    c.cache_mib = 64;
    return c;
  }
  std::unique_ptr<DBManager> open(const Config& c) {
    auto m = DBManager::open(dir_.path(), c);
    EXPECT_TRUE(m.has_value()) << m.status().to_string();
    return m ? std::move(m.value()) : nullptr;
  }
  bool on_disk() const { return GetParam() != kv::Backend::kMemory; }
  fs::path chaindata() const { return dir_.path() / "klay" / "chaindata"; }
  // Opens a database the manager wrote, directly (after the manager closed it).
  std::unique_ptr<kv::Database> open_raw(const fs::path& path) const {
    kv::Options o;
    o.create_if_missing = false;
    o.lmdb_initial_map_bytes = 64ull << 20;
    auto db = kv::open_database(GetParam(), path, o);
    EXPECT_TRUE(db.has_value()) << path << ": " << db.status().to_string();
    return db ? std::move(db.value()) : nullptr;
  }
  testing::ScratchDir dir_;
};

TEST_P(DBManagerTest, CreatesOneDatabasePerEntryTypeWhereExpected) {
  auto m = open(config());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->chaindata_dir(), chaindata());
  for (EntryType t : kAllEntryTypes) {
    if (t == EntryType::kStateTrieMigration) {
      EXPECT_FALSE(m->is_open(t)) << "no migration runs, so no migration database";
      continue;
    }
    ASSERT_TRUE(m->is_open(t)) << entry_type_name(t);
    ASSERT_TRUE(m->db(t).put(b("key-of-" + std::string(entry_type_name(t))), b("v")));
  }
  EXPECT_NE(&m->db(EntryType::kHeader), &m->db(EntryType::kBody));
  EXPECT_THROW((void)m->db(EntryType::kStateTrieMigration), std::logic_error);
  EXPECT_TRUE(fs::exists(dir_.path() / "klay" / "LOCK"));
  ASSERT_TRUE(m->close());
  if (on_disk()) {
    for (const char* name : {"misc", "header", "body", "receipts", "txlookup", "bridgeservice", "snapshot"}) {
      EXPECT_EQ(kv::detect_backend(chaindata() / name), GetParam()) << name;
    }
    for (int i = 0; i < 4; ++i) EXPECT_EQ(kv::detect_backend(chaindata() / "statetrie" / std::to_string(i)), GetParam());
    EXPECT_FALSE(fs::exists(chaindata() / "statetrie_migrated"));
  }
  auto header = open_raw(chaindata() / "header");
  ASSERT_TRUE(header);
  Bytes v;
  EXPECT_TRUE(header->get(b("key-of-header"), &v));
  EXPECT_TRUE(header->get(b("key-of-body"), &v).is_not_found());
}

TEST_P(DBManagerTest, DirectoryRecordIsHonouredOnReopen) {
  {
    auto m = open(config());
    ASSERT_TRUE(m);
    auto name = m->dir_name(EntryType::kBody);
    ASSERT_TRUE(name.has_value());
    EXPECT_EQ(*name, "body");
    ASSERT_TRUE(m->db(EntryType::kBody).put(b("old"), b("1")));
    ASSERT_TRUE(m->set_dir_name(EntryType::kBody, "body_moved"));
    ASSERT_TRUE(m->set_dir_name(EntryType::kStateTrie, "statetrie_migrated_84482070"));
    EXPECT_EQ(m->set_dir_name(EntryType::kBody, "../elsewhere").code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(m->set_dir_name(EntryType::kMisc, "misc2").code(), Status::Code::kInvalidArgument);
    // The record is exactly Klaytn's key and the bare directory name.
    Bytes raw;
    ASSERT_TRUE(m->misc().get(dir_record_key(EntryType::kBody), &raw));
    EXPECT_EQ(s(raw), "body_moved");
  }
  // Put data where the record points, as another node would have.
  {
    const fs::path moved = chaindata() / "body_moved";
    if (on_disk()) fs::create_directories(moved);
    kv::Options o;
    o.lmdb_initial_map_bytes = 64ull << 20;
    auto db = kv::open_database(GetParam(), moved, o);
    ASSERT_TRUE(db.has_value()) << db.status().to_string();
    ASSERT_TRUE((*db)->put(b("new"), b("2")));
    ASSERT_TRUE((*db)->close());
  }
  auto m = open(config());
  ASSERT_TRUE(m);
  EXPECT_EQ(*m->dir_name(EntryType::kBody), "body_moved");
  Bytes v;
  ASSERT_TRUE(m->db(EntryType::kBody).get(b("new"), &v));
  EXPECT_EQ(s(v), "2");
  EXPECT_TRUE(m->db(EntryType::kBody).get(b("old"), &v).is_not_found());
  EXPECT_EQ(*m->dir_name(EntryType::kStateTrie), "statetrie_migrated_84482070");
  if (on_disk()) {
    EXPECT_TRUE(fs::exists(chaindata() / "statetrie_migrated_84482070" / "3"));
  }
  ASSERT_TRUE(m->clear_dir_name(EntryType::kBody));
  EXPECT_EQ(*m->dir_name(EntryType::kBody), "body");
}

TEST_P(DBManagerTest, SingleModeRoutesEveryTypeToOneDatabase) {
  {
    auto m = open(config(4, true));
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->is_single());
    for (EntryType t : kAllEntryTypes) {
      ASSERT_TRUE(m->is_open(t));
      EXPECT_EQ(&m->db(t), &m->misc());
      ASSERT_TRUE(m->db(t).put(b(std::string("k-") + std::string(entry_type_name(t))), b("v")));
    }
    EXPECT_EQ(m->open_entry(EntryType::kStateTrieMigration, "statetrie_migrated_5").code(),
              Status::Code::kNotSupported);
  }
  if (on_disk()) {
    EXPECT_EQ(kv::detect_backend(chaindata()), GetParam()) << "the single database lives in chaindata itself";
    EXPECT_FALSE(fs::exists(chaindata() / "misc"));
  }
  auto raw = open_raw(chaindata());
  ASSERT_TRUE(raw);
  Bytes v;
  for (EntryType t : kAllEntryTypes) EXPECT_TRUE(raw->get(b(std::string("k-") + std::string(entry_type_name(t))), &v));
  raw.reset();
  if (on_disk()) {
    auto multi = DBManager::open(dir_.path(), config(4, false));
    ASSERT_FALSE(multi.has_value());
    EXPECT_EQ(multi.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(multi.status().message().find("--db.single"), std::string::npos) << multi.status().message();
  }
}

TEST_P(DBManagerTest, StateTrieKeysLandInFirstByteShard) {
  std::map<std::string, std::string> ref;
  {
    auto m = open(config(8));
    ASSERT_TRUE(m);
    auto batch = m->state_trie().new_batch();
    for (int first = 0; first < 256; ++first) {
      const std::string key = std::string(1, static_cast<char>(first)) + "node" + std::to_string(first);
      ref[key] = "rlp" + std::to_string(first);
      batch->put(b(key), b(ref[key]));
    }
    ASSERT_TRUE(m->state_trie().write(*batch));
    // Merged iteration over the shards equals the ordered reference.
    auto it = m->state_trie().new_iterator();
    auto expected = ref.begin();
    for (; it->valid(); it->next(), ++expected) {
      ASSERT_NE(expected, ref.end());
      EXPECT_EQ(s(it->key()), expected->first);
    }
    EXPECT_EQ(expected, ref.end());
  }
  for (uint32_t shard = 0; shard < 8; ++shard) {
    auto raw = open_raw(chaindata() / "statetrie" / std::to_string(shard));
    ASSERT_TRUE(raw);
    size_t seen = 0;
    auto it = raw->new_iterator();
    for (; it->valid(); it->next(), ++seen) {
      EXPECT_EQ(static_cast<uint32_t>(it->key()[0]) & 7, shard);
      EXPECT_EQ(ref.at(s(it->key())), s(it->value()));
    }
    EXPECT_EQ(seen, 32u) << "shard " << shard;
  }
}

TEST_P(DBManagerTest, ShardCountMismatchIsAClearError) {
  if (!on_disk()) GTEST_SKIP() << "a memory store leaves no directories to inspect";
  { ASSERT_TRUE(open(config(4))); }
  auto more = DBManager::open(dir_.path(), config(16));
  ASSERT_FALSE(more.has_value());
  EXPECT_EQ(more.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(more.status().message().find("statetrie"), std::string::npos);
  EXPECT_NE(more.status().message().find("holds 4 shards but --db.num-statetrie-shards is 16"), std::string::npos)
      << more.status().message();
  auto one = DBManager::open(dir_.path(), config(1));
  ASSERT_FALSE(one.has_value());
  EXPECT_NE(one.status().message().find("holds 4 shards"), std::string::npos) << one.status().message();
  // The failed opens released the lock: the right count opens.
  EXPECT_TRUE(open(config(4)));
}

TEST_P(DBManagerTest, UnshardedStateTrieIsOnePlainDatabase) {
  { ASSERT_TRUE(open(config(1))); }
  if (!on_disk()) return;
  EXPECT_EQ(kv::detect_backend(chaindata() / "statetrie"), GetParam());
  auto sharded = DBManager::open(dir_.path(), config(2));
  ASSERT_FALSE(sharded.has_value());
  EXPECT_NE(sharded.status().message().find("unsharded"), std::string::npos) << sharded.status().message();
}

TEST_P(DBManagerTest, MigrationTargetCanBeOpenedPromotedAndRemoved) {
  auto m = open(config(2));
  ASSERT_TRUE(m);
  ASSERT_TRUE(m->state_trie().put(b("\x01old"), b("1")));
  const std::string target = migration_dir_name(42);
  ASSERT_TRUE(m->open_entry(EntryType::kStateTrieMigration, target));
  EXPECT_EQ(*m->dir_name(EntryType::kStateTrieMigration), target);
  EXPECT_EQ(m->open_entry(EntryType::kHeader, target).code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(m->db(EntryType::kStateTrieMigration).put(b("\x01new"), b("2")));
  if (on_disk()) {
    EXPECT_TRUE(fs::exists(chaindata() / target / "1"));
  }

  auto old_dir = m->promote_migration_target();
  ASSERT_TRUE(old_dir.has_value()) << old_dir.status().to_string();
  EXPECT_EQ(*old_dir, "statetrie");
  EXPECT_FALSE(m->is_open(EntryType::kStateTrieMigration));
  EXPECT_EQ(*m->dir_name(EntryType::kStateTrie), target);
  EXPECT_EQ(*m->dir_name(EntryType::kStateTrieMigration), "statetrie_migrated");
  Bytes v;
  EXPECT_TRUE(m->state_trie().get(b("\x01new"), &v));
  EXPECT_TRUE(m->state_trie().get(b("\x01old"), &v).is_not_found());
  ASSERT_TRUE(m->remove_dir(*old_dir));
  if (on_disk()) {
    EXPECT_FALSE(fs::exists(chaindata() / "statetrie"));
  }
  EXPECT_EQ(m->remove_dir(target).code(), Status::Code::kInvalidArgument) << "in use by the state trie";
  ASSERT_TRUE(m->close());

  auto again = open(config(2));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->state_trie().get(b("\x01new"), &v));
  EXPECT_FALSE(again->is_open(EntryType::kStateTrieMigration));
  // An aborted migration: open, close with the record cleared, delete.
  ASSERT_TRUE(again->open_entry(EntryType::kStateTrieMigration, migration_dir_name(50)));
  ASSERT_TRUE(again->close_entry(EntryType::kStateTrieMigration, true));
  ASSERT_TRUE(again->remove_dir(migration_dir_name(50)));
  EXPECT_EQ(*again->dir_name(EntryType::kStateTrieMigration), "statetrie_migrated");
}

TEST_P(DBManagerTest, RunningMigrationIsReopenedFromItsRecord) {
  {
    auto m = open(config(2));
    ASSERT_TRUE(m);
    ASSERT_TRUE(m->open_entry(EntryType::kStateTrieMigration, migration_dir_name(7)));
    ASSERT_TRUE(m->db(EntryType::kStateTrieMigration).put(b("\x02n"), b("x")));
  }
  auto m = open(config(2));
  ASSERT_TRUE(m);
  ASSERT_TRUE(m->is_open(EntryType::kStateTrieMigration));
  Bytes v;
  EXPECT_TRUE(m->db(EntryType::kStateTrieMigration).get(b("\x02n"), &v));
}

TEST_P(DBManagerTest, SecondManagerInTheSameProcessIsBusy) {
  auto m = open(config());
  ASSERT_TRUE(m);
  auto second = DBManager::open(dir_.path(), config());
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.status().code(), Status::Code::kBusy);
  EXPECT_NE(second.status().message().find(dir_.path().string()), std::string::npos);
  EXPECT_NE(second.status().message().find("pid " + std::to_string(getpid())), std::string::npos)
      << second.status().message();
  ASSERT_TRUE(m->close());
  EXPECT_TRUE(open(config()));
}

TEST_P(DBManagerTest, StatsAndCompactCoverEveryDatabase) {
  auto m = open(config());
  ASSERT_TRUE(m);
  ASSERT_TRUE(m->state_trie().put(b("abc"), b("1")));
  ASSERT_TRUE(m->compact_all());
  auto report = m->stats_report();
  ASSERT_TRUE(report.has_value()) << report.status().to_string();
  EXPECT_NE(report->find("[statetrie:" + std::string(kv::backend_name(GetParam())) + "]"), std::string::npos) << *report;
  EXPECT_NE(report->find("[snapshot:"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, DBManagerTest, ::testing::ValuesIn(testing::all_backends()),
                         testing::backend_param_name);

}  // namespace
}  // namespace klay::chaindata
