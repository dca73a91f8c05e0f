// Converting a plain-key datadir to live pruning: same state (root, accounts,
// storage), ExtHash keys everywhere but the account-trie root, the records and
// settings that turn live pruning on, then live pruning running on top.
#include <gtest/gtest.h>

#include <map>

#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/datadir_settings.h"
#include "pruning/live_pruner.h"
#include "pruning/live_pruning_rules.h"
#include "pruning/to_live_pruning.h"
#include "tests/pruning/pruning_test_support.h"

namespace klay::pruning {
namespace {

using testing::MiniChain;
using testing::MiniChainOptions;
using testing::reachable;
using testing::ScratchDir;

// Account-trie leaves (key -> hash-form value) and the number of storage leaves.
std::pair<std::map<Bytes, Bytes>, size_t> leaves(kv::Database& db, const Hash& root) {
  std::map<Bytes, Bytes> accounts;
  size_t slots = 0;
  rawdb::StateStoreReader reader(db);
  auto storage = [&](const trie::NodeVisit& v) -> Status {
    if (v.has_value) ++slots;
    return Status::ok();
  };
  auto visit = [&](const trie::NodeVisit& v) -> Status {
    if (!v.has_value) return Status::ok();
    accounts[to_bytes(v.value_key)] = unextend_account_value(v.value);
    auto a = decode_account(v.value);
    if (a && a->is_program_account() && a->storage_root.hash() != empty_root())
      return trie::walk_nodes(reader, state::storage_root_key(a->storage_root).view(), storage);
    return Status::ok();
  };
  testing::check(trie::walk_nodes(reader, root.view(), visit), "walk");
  return {accounts, slots};
}

MiniChainOptions plain() {
  MiniChainOptions o;
  o.ext_hash = false;
  o.write_marks = false;
  return o;
}

TEST(ToLivePruning, ConvertsTheStateAndLivePruningRunsOnTop) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  uint64_t head = 0;
  Hash root;
  std::pair<std::map<Bytes, Bytes>, size_t> before;
  {
    MiniChain chain(*dbm, plain());
    chain.add_blocks(40);
    head = chain.head();
    root = chain.head_root();
    before = leaves(dbm->state_trie(), root);
  }
  trie::AtomicExtHashCounter counter(1000);
  ToLivePruningOptions o;
  o.counter = &counter;
  o.retention = 3;
  auto r = convert_to_live_pruning(*dbm, o);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->block_num, head);
  EXPECT_EQ(r->root, root);
  EXPECT_EQ(r->new_dir, "statetrie_livepruning_40");
  EXPECT_EQ(r->nodes_verified, r->nodes_written);
  EXPECT_GT(r->storage_tries, 0u);
  EXPECT_GT(r->codes_written, 0u);
  EXPECT_FALSE(std::filesystem::exists(dbm->dir_path(r->old_dir)));
  EXPECT_EQ(*dbm->dir_name(chaindata::EntryType::kStateTrie), r->new_dir);
  EXPECT_TRUE(*rawdb::read_pruning_enabled(*dbm));
  EXPECT_EQ(*rawdb::read_last_pruned_block_number(*dbm), head - 1);
  EXPECT_EQ(*rawdb::read_migration_old_db_path(*dbm), "");
  auto settings = rawdb::load_datadir_settings(dir.path());
  ASSERT_TRUE(settings && *settings);
  EXPECT_TRUE((*settings)->live_pruning);
  EXPECT_EQ((*settings)->live_pruning_retention, 3u);

  // Same state; only the root keeps a plain key.
  EXPECT_EQ(leaves(dbm->state_trie(), root), before);
  auto keys = reachable(dbm->state_trie(), root);
  EXPECT_EQ(keys.size(), r->nodes_written);
  size_t plain_keys = 0;
  for (const auto& k : keys) plain_keys += !k.is_ext();
  EXPECT_EQ(plain_keys, 1u);
  EXPECT_TRUE(*resolve_live_pruning(*dbm, false));

  // Reopened (as the node would) and advanced with live pruning.
  dbm.reset();
  dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, MiniChainOptions{});
  LivePrunerOptions po;
  po.retention = 3;
  auto pruner = LivePruner::open(*dbm, po, chain.head());
  ASSERT_TRUE(pruner) << pruner.status().message();
  EXPECT_TRUE((*pruner)->check_state_available(head - 1).is_not_found());
  for (int i = 0; i < 30; ++i) {
    chain.add_block();
    ASSERT_TRUE((*pruner)->prune(chain.position()));
  }
  EXPECT_EQ((*pruner)->last_pruned(), chain.head() - 3);
  for (uint64_t n = chain.head() - 2; n <= chain.head(); ++n)
    EXPECT_NO_THROW(reachable(dbm->state_trie(), *chain.root_at(n))) << n;
  EXPECT_THROW(reachable(dbm->state_trie(), root), std::runtime_error);  // the converted state aged out
  // Converting again is refused.
  auto again = convert_to_live_pruning(*dbm, ToLivePruningOptions{});
  ASSERT_FALSE(again);
  EXPECT_NE(again.status().message().find("already has live pruning enabled"), std::string::npos);
}

TEST(ToLivePruning, CleansUpAnInterruptedConversionAndRefusesARunningMigration) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, plain());
  chain.add_blocks(10);
  // What a crash during the copy leaves: a half-written target.
  ASSERT_TRUE(dbm->open_entry(chaindata::EntryType::kStateTrieMigration, "statetrie_livepruning_10"));
  ASSERT_TRUE(dbm->db(chaindata::EntryType::kStateTrieMigration).put(Bytes(39, 1), as_view("junk")));
  ToLivePruningOptions o;
  o.block_num = 8;
  auto r = convert_to_live_pruning(*dbm, o);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->new_dir, "statetrie_livepruning_8");
  EXPECT_FALSE(std::filesystem::exists(dbm->dir_path("statetrie_livepruning_10")));
  Bytes v;
  EXPECT_TRUE(dbm->state_trie().get(Bytes(39, 1), &v).is_not_found());
  EXPECT_NO_THROW(reachable(dbm->state_trie(), *chain.root_at(8)));
  EXPECT_GT(r->nodes_written, 100u);

  ScratchDir dir2;
  auto dbm2 = testing::open_manager(dir2.path());
  MiniChain chain2(*dbm2, plain());
  chain2.add_blocks(2);
  {
    rawdb::DirectWriter w(*dbm2);
    ASSERT_TRUE(rawdb::write_migration_status(w, 2));
  }
  auto busy = convert_to_live_pruning(*dbm2, ToLivePruningOptions{});
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.status().code(), Status::Code::kBusy);
}

}  // namespace
}  // namespace klay::pruning
