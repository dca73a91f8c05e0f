// The online form: dual-writes while the copy runs, the PR 543 pitfall,
// stop, resume from the checkpoint, and crash cleanup around the swap.
#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "engine/rawdb/accessors_meta.h"
#include "migration/dual_store.h"
#include "migration/migration_records.h"
#include "migration/migrator.h"
#include "tests/migration/migration_test_support.h"

namespace klay::migration {
namespace {

using chaindata::EntryType;
using testing::ChainShape;
using testing::ScratchDir;
using testing::TestChain;

// The account-trie key of an address (secure trie: keccak(address)).
Hash account_key(const Address& a) { return keccak256(a.view()); }

// A contract from the unshared half whose account lies in a late subtree
// (first nibble >= 8), so the copy reaches it after the first task.
Address late_contract(const ChainShape& shape) {
  for (uint32_t i = static_cast<uint32_t>(shape.contracts / 2); i < shape.contracts; ++i) {
    const Address a = testing::address_of(2, i);
    if ((account_key(a).bytes[0] >> 4) >= 8) return a;
  }
  throw std::runtime_error("no late contract");
}

struct PitfallOutcome {
  Status run;
  Status complete;  // independent completeness check of the target at root N
};

// Starts a migration at the head N; when the copy starts its first subtree
// task, two dual-written blocks change a storage slot of a contract in a
// later subtree and change it back. The second block rewrites, into the
// target, nodes identical to N's (its root, the account path, the contract's
// storage root and path) without their unchanged children.
PitfallOutcome run_pitfall(bool naive) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kLevelDB, 4));
  ChainShape shape;
  TestChain chain(*dbm, shape);
  chain.add_blocks(8);
  const uint64_t n = chain.head();
  const trie::NodeKey root_n = chain.roots.back();
  const Address victim = late_contract(shape);
  const Hash slot = testing::word(3);
  const Hash original = chain.storage().at(victim).at(slot);

  MigrationOptions opts;
  opts.threads = 1;
  opts.unsafe_skip_if_present = naive;
  std::mutex mu;
  opts.latest_root = [&]() -> Result<trie::NodeKey> {
    std::lock_guard lock(mu);
    return chain.roots.back();
  };
  std::unique_ptr<StateMigration> m;
  bool dual_written = false;
  opts.before_subtree = [&](size_t task, const trie::NodeKey&) {
    if (task != 0 || dual_written) return;
    dual_written = true;
    rawdb::StateStoreBatch old_writer(dbm->state_trie());
    DualStateWriter dual(old_writer, old_writer, m->target());
    std::lock_guard lock(mu);
    try {
      chain.add_custom_block(
          [&](state::StateDB& st) { ASSERT_TRUE(st.set_storage(victim, slot, testing::word(77))); }, &dual, &dual);
      EXPECT_TRUE(old_writer.flush());
      EXPECT_TRUE(dual.flush());
      chain.add_custom_block([&](state::StateDB& st) { ASSERT_TRUE(st.set_storage(victim, slot, original)); },
                             &dual, &dual);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "dual-written block failed: " << e.what();
    }
    EXPECT_TRUE(old_writer.flush());
    EXPECT_TRUE(dual.flush());
  };
  auto started = StateMigration::start(*dbm, n, root_n, opts);
  if (!started) return {started.status(), started.status()};
  m = std::move(*started);
  PitfallOutcome out;
  out.run = m->run();
  EXPECT_TRUE(dual_written);
  EXPECT_EQ(chain.roots.back(), root_n) << "the revert block must reproduce root N";
  testing::reachable_keys(m->target(), root_n, &out.complete);
  return out;
}

TEST(MigrationPitfall, DualWrittenRootsDoNotHideUncopiedChildren) {
  const PitfallOutcome safe = run_pitfall(/*naive=*/false);
  EXPECT_TRUE(safe.run) << safe.run.message();
  EXPECT_TRUE(safe.complete) << safe.complete.message();
}

TEST(MigrationPitfall, NaiveSkipIfPresentLosesNodes) {
  const PitfallOutcome naive = run_pitfall(/*naive=*/true);
  // The engine's own verify catches the loss, and so does an independent walk.
  EXPECT_FALSE(naive.run);
  EXPECT_TRUE(naive.run.is_not_found()) << naive.run.message();
  EXPECT_FALSE(naive.complete);
  EXPECT_TRUE(trie::is_missing_node(naive.complete)) << naive.complete.message();
}

TEST(MigrationOnline, BlocksKeepComingWhileTheCopyRuns) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kLevelDB, 4));
  TestChain chain(*dbm, ChainShape{});
  chain.add_blocks(10);
  const uint64_t n = chain.head();
  std::mutex mu;
  MigrationOptions opts;
  opts.threads = 2;
  opts.latest_root = [&]() -> Result<trie::NodeKey> {
    std::lock_guard lock(mu);
    return chain.roots.back();
  };
  opts.before_subtree = [](size_t, const trie::NodeKey&) { std::this_thread::sleep_for(std::chrono::microseconds(300)); };
  auto m = StateMigration::start(*dbm, n, chain.roots.back(), opts);
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(*rawdb::read_migration_status(*dbm), n);
  EXPECT_EQ(*dbm->dir_name(EntryType::kStateTrieMigration), chaindata::migration_dir_name(n));

  auto add_dual_block = [&] {
    rawdb::StateStoreBatch old_writer(dbm->state_trie());
    DualStateWriter dual(old_writer, old_writer, (*m)->target());
    std::lock_guard lock(mu);
    chain.add_block(&dual, &dual);
    ASSERT_TRUE(old_writer.flush());
    ASSERT_TRUE(dual.flush());
  };
  Status run_status;
  std::thread runner([&] { run_status = (*m)->run(); });
  for (int i = 0; i < 8; ++i) add_dual_block();
  runner.join();
  ASSERT_TRUE(run_status) << run_status.message();
  EXPECT_EQ((*m)->status().phase, "verified");
  EXPECT_EQ((*m)->status().progress, 100.0);
  for (int i = 0; i < 3; ++i) add_dual_block();  // after the verify, before the swap
  ASSERT_TRUE((*m)->finish());

  kv::Database& live = dbm->state_trie();
  for (size_t b = n; b < chain.roots.size(); ++b) {
    Status ok;
    testing::reachable_keys(live, chain.roots[b], &ok);
    EXPECT_TRUE(ok) << "root of block " << b << ": " << ok.message();
  }
  Status ok;
  testing::reachable_keys(live, chain.roots[n - 3], &ok);
  EXPECT_FALSE(ok) << "an older state should have been dropped";
  chain.expect_head_state(live);
  EXPECT_FALSE((*m)->status().is_migration);

  // Reads through the fallback reader see the new database first.
  FallbackStateReader reader(live, live);
  Bytes node;
  EXPECT_TRUE(reader.get(chain.roots.back().view(), &node));
}

TEST(MigrationStop, DropDeletesTheTargetAndKeepsTheOldState) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kLevelDB, 2));
  TestChain chain(*dbm, ChainShape{});
  chain.add_blocks(6);
  MigrationOptions opts;
  opts.threads = 1;
  StateMigration* raw = nullptr;
  opts.before_subtree = [&](size_t task, const trie::NodeKey&) {
    if (task == 20) raw->request_stop();
  };
  auto m = StateMigration::start(*dbm, chain.head(), chain.roots.back(), opts);
  ASSERT_TRUE(m) << m.status().message();
  raw = m->get();
  const Status s = (*m)->run();
  EXPECT_EQ(s.code(), Status::Code::kAborted) << s.message();
  EXPECT_EQ((*m)->status().phase, "stopped");
  EXPECT_FALSE((*m)->status().is_migration);
  ASSERT_TRUE((*m)->drop());
  EXPECT_FALSE(dbm->is_open(EntryType::kStateTrieMigration));
  EXPECT_FALSE(std::filesystem::exists(dbm->dir_path(chaindata::migration_dir_name(chain.head()))));
  EXPECT_EQ(*rawdb::read_migration_status(*dbm), 0u);
  EXPECT_EQ(*dbm->dir_name(EntryType::kStateTrie), "statetrie");
  for (const auto& root : chain.roots) {
    Status ok;
    testing::reachable_keys(dbm->state_trie(), root, &ok);
    EXPECT_TRUE(ok) << ok.message();
  }
  chain.expect_head_state(dbm->state_trie());
  // A new migration can start afterwards.
  auto again = StateMigration::start(*dbm, chain.head(), chain.roots.back(), {});
  ASSERT_TRUE(again) << again.status().message();
  ASSERT_TRUE((*again)->run());
  ASSERT_TRUE((*again)->finish());
  chain.expect_head_state(dbm->state_trie());
}

TEST(MigrationResume, RestartContinuesFromTheCheckpoint) {
  ScratchDir dir;
  const auto config = testing::small_config(kv::Backend::kLevelDB, 4);
  auto dbm = testing::open_manager(dir.path(), config);
  TestChain chain(*dbm, ChainShape{});
  chain.add_blocks(12);
  // The read count of an uninterrupted copy of the same (deterministic) chain.
  uint64_t full_read = 0;
  {
    ScratchDir other;
    auto dbm2 = testing::open_manager(other.path(), config);
    TestChain chain2(*dbm2, ChainShape{});
    chain2.add_blocks(12);
    ASSERT_EQ(chain2.roots.back(), chain.roots.back());
    auto full = StateMigration::start(*dbm2, chain2.head(), chain2.roots.back(), {});
    ASSERT_TRUE(full);
    ASSERT_TRUE((*full)->run());
    full_read = (*full)->counters().read.load();
  }
  Status ok;

  uint64_t first_read = 0;
  {
    MigrationOptions opts;
    opts.threads = 1;
    StateMigration* raw = nullptr;
    opts.before_subtree = [&](size_t task, const trie::NodeKey&) {
      if (task == raw->counters().units_total.load() / 2) raw->request_stop();
    };
    auto m = StateMigration::start(*dbm, chain.head(), chain.roots.back(), opts);
    ASSERT_TRUE(m) << m.status().message();
    raw = m->get();
    ASSERT_EQ((*m)->run().code(), Status::Code::kAborted);
    first_read = (*m)->counters().read.load();
    EXPECT_GT((*m)->counters().records.load(), 0u);
  }
  // As after a crash: close without dropping, reopen, clean up, resume.
  ASSERT_TRUE(dbm->close());
  dbm = testing::open_manager(dir.path(), config);
  ASSERT_TRUE(resume_pending_cleanup(*dbm));
  ASSERT_TRUE(dbm->is_open(EntryType::kStateTrieMigration));
  auto m = StateMigration::resume(*dbm, {});
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ((*m)->block_num(), chain.head());
  ASSERT_TRUE((*m)->run());
  const uint64_t second_read = (*m)->counters().read.load();
  EXPECT_GT((*m)->counters().skipped.load(), 0u) << "completed subtrees must be skipped on resume";
  EXPECT_GT(first_read, 0u);
  EXPECT_LT(second_read, full_read) << "the resumed run must not start over";
  EXPECT_LE(first_read + second_read, full_read + full_read / 4) << "little may be copied twice";
  EXPECT_EQ((*m)->status().runs, 2u);
  EXPECT_EQ((*m)->status().read, first_read + second_read);
  ASSERT_TRUE((*m)->finish());
  testing::reachable_keys(dbm->state_trie(), chain.roots.back(), &ok);
  EXPECT_TRUE(ok) << ok.message();
  chain.expect_head_state(dbm->state_trie());
}

TEST(MigrationCleanup, CrashAfterThePromoteIsFinishedAtTheNextOpen) {
  ScratchDir dir;
  const auto config = testing::small_config(kv::Backend::kLevelDB, 2);
  auto dbm = testing::open_manager(dir.path(), config);
  TestChain chain(*dbm, ChainShape{});
  chain.add_blocks(5);
  auto m = StateMigration::start(*dbm, chain.head(), chain.roots.back(), {});
  ASSERT_TRUE(m);
  ASSERT_TRUE((*m)->run());
  // The first steps of finish(), then a "crash".
  rawdb::DirectWriter w(*dbm);
  ASSERT_TRUE(rawdb::write_migration_old_db_path(w, "statetrie"));
  ASSERT_TRUE(dbm->promote_migration_target());
  m->reset();
  ASSERT_TRUE(dbm->close());

  dbm = testing::open_manager(dir.path(), config);
  EXPECT_EQ(*rawdb::read_migration_status(*dbm), chain.head());
  EXPECT_GT(testing::count_keys(dbm->state_trie()).records, 0u);
  ASSERT_TRUE(resume_pending_cleanup(*dbm));
  EXPECT_EQ(*rawdb::read_migration_status(*dbm), 0u);
  EXPECT_EQ(*rawdb::read_migration_old_db_path(*dbm), "");
  EXPECT_FALSE(std::filesystem::exists(dbm->dir_path("statetrie")));
  EXPECT_EQ(testing::count_keys(dbm->state_trie()).records, 0u);
  chain.expect_head_state(dbm->state_trie());
}

TEST(MigrationCleanup, OldPathStillLiveIsNotDeleted) {
  ScratchDir dir;
  const auto config = testing::small_config(kv::Backend::kLevelDB, 2);
  auto dbm = testing::open_manager(dir.path(), config);
  TestChain chain(*dbm, ChainShape{});
  chain.add_blocks(3);
  auto m = StateMigration::start(*dbm, chain.head(), chain.roots.back(), {});
  ASSERT_TRUE(m);
  // Crash right after recording the old path, before the promote.
  rawdb::DirectWriter w(*dbm);
  ASSERT_TRUE(rawdb::write_migration_old_db_path(w, "statetrie"));
  m->reset();
  ASSERT_TRUE(resume_pending_cleanup(*dbm));
  EXPECT_TRUE(std::filesystem::exists(dbm->dir_path("statetrie")));
  EXPECT_EQ(*rawdb::read_migration_old_db_path(*dbm), "");
  EXPECT_EQ(*rawdb::read_migration_status(*dbm), chain.head()) << "the migration itself stays resumable";
  auto resumed = StateMigration::resume(*dbm, {});
  ASSERT_TRUE(resumed) << resumed.status().message();
  ASSERT_TRUE((*resumed)->run());
  ASSERT_TRUE((*resumed)->finish());
  chain.expect_head_state(dbm->state_trie());
}

TEST(MigrationStart, RefusalsAreClear) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kMemory, 2));
  TestChain chain(*dbm, ChainShape{});
  chain.add_blocks(2);
  trie::NodeKey bogus = trie::NodeKey::plain(testing::word(424242));
  auto missing = StateMigration::start(*dbm, 1, bogus, {});
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.status().is_not_found()) << missing.status().message();
  auto m = StateMigration::start(*dbm, chain.head(), chain.roots.back(), {});
  ASSERT_TRUE(m);
  auto second = StateMigration::start(*dbm, chain.head(), chain.roots.back(), {});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.status().code(), Status::Code::kBusy);
  EXPECT_NE(second.status().message().find("already running"), std::string::npos);
}

TEST(MigrationRecords, MetaRoundTripsAndRejectsGarbage) {
  CheckpointMeta meta;
  meta.block_num = 84482070;
  meta.root = trie::NodeKey::plain(testing::word(1));
  meta.phase = Phase::kVerified;
  meta.nodes_read = 5;
  meta.nodes_written = 6;
  meta.runs = 2;
  meta.verified_root = trie::NodeKey::ext(testing::word(2), 99);
  auto back = decode_meta(encode_meta(meta));
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(*back, meta);
  Bytes bad = encode_meta(meta);
  bad.pop_back();
  EXPECT_EQ(decode_meta(bad).status().code(), Status::Code::kCorruption);
  EXPECT_EQ(done_record_key(meta.root.view()).size(), 20u + 32u);
}

}  // namespace
}  // namespace klay::migration
