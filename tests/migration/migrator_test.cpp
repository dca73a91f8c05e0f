// The migration engine end to end: build a chain whose state accumulates
// garbage, migrate, and check that the new state trie holds exactly what the
// retained root reaches, that it reads the same, and that the swap and its
// records are clean.
#include <gtest/gtest.h>

#include "engine/rawdb/accessors_meta.h"
#include "migration/migrator.h"
#include "migration/offline_migration.h"
#include "tests/migration/migration_test_support.h"

namespace klay::migration {
namespace {

using chaindata::EntryType;
using testing::ChainShape;
using testing::ScratchDir;
using testing::TestChain;

struct Layout {
  kv::Backend backend;
  uint32_t shards;
};

std::string layout_name(const ::testing::TestParamInfo<Layout>& info) {
  return std::string(kv::backend_name(info.param.backend)) + "_" + std::to_string(info.param.shards) + "shards";
}

class MigrationLayoutTest : public ::testing::TestWithParam<Layout> {
 protected:
  std::unique_ptr<chaindata::DBManager> open() {
    return testing::open_manager(dir_.path(), testing::small_config(GetParam().backend, GetParam().shards));
  }
  ScratchDir dir_;
};

TEST_P(MigrationLayoutTest, OfflineMigrationKeepsExactlyTheHeadState) {
  auto dbm = open();
  TestChain chain(*dbm, ChainShape{});
  chain.add_blocks(25);
  const trie::NodeKey root = chain.roots.back();

  Status ok;
  const auto expected = testing::reachable_keys(dbm->state_trie(), root, &ok);
  ASSERT_TRUE(ok) << ok.message();
  const auto before = testing::count_keys(dbm->state_trie());
  ASSERT_GT(before.nodes, expected.size()) << "the chain should have produced garbage";

  OfflineOptions options;
  options.engine.threads = 2;
  auto report = run_offline_migration(*dbm, options);
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->block_num, chain.head());
  EXPECT_EQ(report->new_dir, chaindata::migration_dir_name(chain.head()));
  EXPECT_GT(report->nodes_skipped, 0u) << "shared storage tries should have been deduplicated";

  kv::Database& live = dbm->state_trie();
  const auto got = testing::reachable_keys(live, root, &ok);
  ASSERT_TRUE(ok) << ok.message();
  EXPECT_EQ(got, expected);
  const auto after = testing::count_keys(live);
  size_t expected_nodes = 0;
  for (const auto& k : expected) expected_nodes += (k.size() == 32 || k.size() == 39);
  EXPECT_EQ(after.nodes, expected_nodes) << "garbage must be gone";
  EXPECT_EQ(after.codes, expected.size() - expected_nodes);
  EXPECT_EQ(after.records, 0u) << "the migration's own records must be deleted after the swap";
  EXPECT_EQ(after.other, 0u);
  chain.expect_head_state(live);

  EXPECT_EQ(*rawdb::read_migration_status(*dbm), 0u);
  EXPECT_EQ(*rawdb::read_migration_old_db_path(*dbm), "");
  EXPECT_FALSE(dbm->is_open(EntryType::kStateTrieMigration));
  if (GetParam().backend != kv::Backend::kMemory) {
    EXPECT_FALSE(std::filesystem::exists(dbm->dir_path("statetrie")));
  }

  // The layout survives a reopen: the state trie now lives in the new directory.
  ASSERT_TRUE(dbm->close());
  dbm = open();
  EXPECT_EQ(*dbm->dir_name(EntryType::kStateTrie), chaindata::migration_dir_name(chain.head()));
  const auto reopened = testing::reachable_keys(dbm->state_trie(), root, &ok);
  EXPECT_TRUE(ok) << ok.message();
  EXPECT_EQ(reopened.size(), expected.size());
}

INSTANTIATE_TEST_SUITE_P(Layouts, MigrationLayoutTest,
                         ::testing::Values(Layout{kv::Backend::kMemory, 4}, Layout{kv::Backend::kLevelDB, 1},
                                           Layout{kv::Backend::kLevelDB, 4}),
                         layout_name);

TEST(MigrationBackends, EveryBackendMigratesASmallState) {
  for (kv::Backend backend : {kv::Backend::kMemory, kv::Backend::kLevelDB, kv::Backend::kRocksDB, kv::Backend::kLMDB}) {
    SCOPED_TRACE(std::string(kv::backend_name(backend)));
    ScratchDir dir;
    auto dbm = testing::open_manager(dir.path(), testing::small_config(backend, 2));
    ChainShape shape;
    shape.eoas = 30;
    shape.contracts = 8;
    shape.slots = 10;
    TestChain chain(*dbm, shape);
    chain.add_blocks(6);
    auto report = run_offline_migration(*dbm, OfflineOptions{});
    ASSERT_TRUE(report) << report.status().message();
    Status ok;
    testing::reachable_keys(dbm->state_trie(), chain.roots.back(), &ok);
    EXPECT_TRUE(ok) << ok.message();
    chain.expect_head_state(dbm->state_trie());
    EXPECT_EQ(testing::count_keys(dbm->state_trie()).records, 0u);
  }
}

TEST(MigrationExtHash, LivePruningKeysAreCopiedAsStored) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kLevelDB, 4));
  ChainShape shape;
  shape.ext_hash = true;
  TestChain chain(*dbm, shape);
  chain.add_blocks(12);
  Status ok;
  const auto expected = testing::reachable_keys(dbm->state_trie(), chain.roots.back(), &ok);
  ASSERT_TRUE(ok) << ok.message();
  size_t ext_keys = 0;
  for (const auto& k : expected) ext_keys += k.size() == 39;
  ASSERT_GT(ext_keys, 100u) << "ExtHash mode should store 39-byte keys";

  auto report = run_offline_migration(*dbm, OfflineOptions{});
  ASSERT_TRUE(report) << report.status().message();
  const auto got = testing::reachable_keys(dbm->state_trie(), chain.roots.back(), &ok);
  ASSERT_TRUE(ok) << ok.message();
  EXPECT_EQ(got, expected);
  size_t expected_nodes = 0;
  for (const auto& k : expected) expected_nodes += (k.size() == 32 || k.size() == 39);
  EXPECT_EQ(testing::count_keys(dbm->state_trie()).nodes, expected_nodes);
  chain.expect_head_state(dbm->state_trie());
}

TEST(MigrationOffline, OlderBlockAndMissingState) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kLevelDB, 2));
  TestChain chain(*dbm, ChainShape{});
  chain.add_blocks(5);
  // A block whose state is missing: delete block 3's root node.
  ASSERT_TRUE(dbm->state_trie().del(chain.roots[3].view()));
  OfflineOptions at3;
  at3.block_num = 3;
  auto refused = run_offline_migration(*dbm, at3);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.status().is_not_found()) << refused.status().message();
  EXPECT_NE(refused.status().message().find("block 3"), std::string::npos);
  EXPECT_EQ(*rawdb::read_migration_status(*dbm), 0u);

  OfflineOptions at2;
  at2.block_num = 2;
  auto report = run_offline_migration(*dbm, at2);
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->block_num, 2u);
  Status ok;
  testing::reachable_keys(dbm->state_trie(), chain.roots[2], &ok);
  EXPECT_TRUE(ok) << ok.message();
}

TEST(MigrationOffline, DefaultBlockWalksBackToTheNewestPresentState) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kMemory, 2));
  TestChain chain(*dbm, ChainShape{});
  chain.add_blocks(6);
  ASSERT_TRUE(dbm->state_trie().del(chain.roots[5].view()));  // the head's state is gone
  auto report = run_offline_migration(*dbm, OfflineOptions{});
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->block_num, 4u);
}

TEST(MigrationOffline, SingleDatabaseModeIsRefused) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kLevelDB, 1, /*single=*/true));
  TestChain chain(*dbm, ChainShape{});
  chain.add_blocks(2);
  auto refused = run_offline_migration(*dbm, OfflineOptions{});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().code(), Status::Code::kNotSupported);
  EXPECT_NE(refused.status().message().find("single-DB"), std::string::npos);
}

}  // namespace
}  // namespace klay::migration
