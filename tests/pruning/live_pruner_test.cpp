// Live pruning over MiniChain (ExtHash state on a DBManager): reachability of
// retained roots, pruned old states, bounded size, bounded work per call,
// restart, orphan marks, protected roots, the enabling rules, background mode.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>

#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/schema.h"
#include "pruning/live_pruner.h"
#include "pruning/live_pruning_rules.h"
#include "tests/pruning/pruning_test_support.h"

namespace klay::pruning {
namespace {

using testing::count_node_keys;
using testing::MiniChain;
using testing::MiniChainOptions;
using testing::reachable;
using testing::ScratchDir;

std::map<uint64_t, size_t> marks_per_block(const chaindata::DBManager& dbm) {
  std::map<uint64_t, size_t> out;
  auto marks = rawdb::read_pruning_marks(dbm, 0, UINT64_MAX);
  EXPECT_TRUE(marks) << marks.status().message();
  if (marks) {
    for (const auto& m : *marks) ++out[m.block_num];
  }
  return out;
}

std::unique_ptr<LivePruner> open_pruner(const chaindata::DBManager& dbm, uint64_t retention, uint64_t head,
                                        uint64_t window = 0, size_t max_marks = 50'000) {
  LivePrunerOptions o;
  o.retention = retention;
  o.memory_window = window;
  o.max_marks_per_call = max_marks;
  auto p = LivePruner::open(dbm, o, head);
  EXPECT_TRUE(p) << p.status().message();
  return p ? std::move(*p) : nullptr;
}

TEST(LivePruner, ArchiveKeepsRetainedStatesPrunesOldOnesAndStaysBounded) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, MiniChainOptions{});
  constexpr uint64_t kRetention = 6;
  auto pruner = open_pruner(*dbm, kRetention, chain.head());
  ASSERT_TRUE(pruner);
  uint64_t marks = 0;
  for (int i = 0; i < 300; ++i) {
    chain.add_block();
    auto r = pruner->prune(chain.position());
    ASSERT_TRUE(r) << r.status().message();
    EXPECT_FALSE(r->more);
    marks += r->marks;
  }
  const uint64_t head = chain.head();
  EXPECT_EQ(pruner->last_pruned(), head - kRetention);
  EXPECT_GT(marks, 300u);
  EXPECT_EQ(marks, chain.marks_written() - [&] {
    uint64_t left = 0;
    for (auto& [b, n] : marks_per_block(*dbm)) left += n;
    return left;
  }());
  // Every retained state is complete.
  for (uint64_t n = head - kRetention + 1; n <= head; ++n) {
    auto root = chain.root_at(n);
    ASSERT_TRUE(root);
    EXPECT_NO_THROW(reachable(dbm->state_trie(), *root)) << "block " << n;
    EXPECT_TRUE(pruner->check_state_available(n));
  }
  // Older states are reported pruned and really are gone.
  Status old = pruner->check_state_available(head - kRetention);
  EXPECT_TRUE(old.is_not_found());
  EXPECT_NE(old.message().find("is pruned (live pruning keeps the last 6 blocks; last pruned block"),
            std::string::npos)
      << old.message();
  for (uint64_t n : {uint64_t{1}, uint64_t{100}, head - kRetention - 1}) {
    auto root = chain.root_at(n);
    ASSERT_TRUE(root);
    EXPECT_THROW(reachable(dbm->state_trie(), *root), std::runtime_error) << "block " << n;
  }
  // No mark at or below the last pruned block is left.
  for (auto& [b, n] : marks_per_block(*dbm)) EXPECT_GT(b, pruner->last_pruned());
  // Bounded: within 1.3x of a fresh copy of the head state.
  const size_t fresh = reachable(dbm->state_trie(), chain.head_root()).size();
  const uint64_t stored = count_node_keys(dbm->state_trie());
  EXPECT_GE(stored, fresh);
  EXPECT_LE(static_cast<double>(stored), 1.3 * static_cast<double>(fresh)) << stored << " vs " << fresh;
  auto lp = rawdb::read_last_pruned_block_number(*dbm);
  ASSERT_TRUE(lp);
  EXPECT_EQ(*lp, head - kRetention);
}

TEST(LivePruner, FullModeNeverPrunesPastTheDurableRootOrTheMemoryWindow) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChainOptions o;
  o.archive = false;
  o.interval = 8;
  o.window = 8;
  o.dirty_limit = 64 << 10;  // force cap() flushes of in-memory nodes
  auto chain = std::make_unique<MiniChain>(*dbm, o);
  constexpr uint64_t kRetention = 4;
  auto pruner = open_pruner(*dbm, kRetention, chain->head(), o.window);
  ASSERT_TRUE(pruner);
  for (int i = 0; i < 203; ++i) {
    chain->add_block();
    auto r = pruner->prune(chain->position());
    ASSERT_TRUE(r) << r.status().message();
    const uint64_t lp = pruner->last_pruned();
    if (lp > 0) {
      EXPECT_LT(lp, chain->durable());
      EXPECT_LE(lp + o.window, chain->head());
      EXPECT_LE(lp + kRetention, chain->head());
    }
  }
  EXPECT_GT(chain->nodes().stats().flushed_nodes, 0u);
  // The durable root and every on-disk root after the last pruned block are complete.
  EXPECT_NO_THROW(reachable(dbm->state_trie(), *chain->root_at(chain->durable())));
  for (uint64_t n = pruner->last_pruned() + 1; n <= chain->head(); ++n) {
    if (n % o.interval == 0) {
      EXPECT_NO_THROW(reachable(dbm->state_trie(), *chain->root_at(n))) << n;
    }
  }
  // Old flushed roots are gone.
  EXPECT_THROW(reachable(dbm->state_trie(), *chain->root_at(8)), std::runtime_error);
  const size_t fresh = reachable(dbm->state_trie(), *chain->root_at(chain->durable())).size();
  const uint64_t stored = count_node_keys(dbm->state_trie());
  EXPECT_LE(static_cast<double>(stored), 1.3 * static_cast<double>(fresh)) << stored << " vs " << fresh;

  // Restart: in-memory blocks are re-executed, pruning continues where it stopped.
  const uint64_t last = pruner->last_pruned();
  const uint64_t head = chain->head();
  pruner.reset();
  chain.reset();
  chain = std::make_unique<MiniChain>(*dbm, o);
  EXPECT_EQ(chain->head(), head);
  pruner = open_pruner(*dbm, kRetention, chain->head(), o.window);
  ASSERT_TRUE(pruner);
  EXPECT_EQ(pruner->last_pruned(), last);
  chain->add_blocks(20);
  auto r = pruner->prune_all(chain->position());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_GT(pruner->last_pruned(), last);
  EXPECT_NO_THROW(reachable(dbm->state_trie(), *chain->root_at(chain->durable())));
}

TEST(LivePruner, WorkPerCallIsBoundedAndEndsAtABlockBoundary) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, MiniChainOptions{});
  chain.add_blocks(60);
  const auto before = marks_per_block(*dbm);
  auto pruner = open_pruner(*dbm, 5, chain.head(), 0, /*max_marks=*/40);
  ASSERT_TRUE(pruner);
  int calls = 0;
  uint64_t total = 0;
  for (;;) {
    auto r = pruner->prune(chain.position());
    ASSERT_TRUE(r) << r.status().message();
    ++calls;
    total += r->marks;
    uint64_t expected = 0;
    for (uint64_t b = r->first_block; b <= r->last_pruned; ++b) expected += before.count(b) ? before.at(b) : 0;
    EXPECT_EQ(r->marks, expected) << "whole blocks only";
    // The block after the last pruned one is untouched.
    const auto now = marks_per_block(*dbm);
    const uint64_t next = r->last_pruned + 1;
    EXPECT_EQ(now.count(next) ? now.at(next) : 0, before.count(next) ? before.at(next) : 0);
    if (!r->more) break;
    EXPECT_LT(r->marks, 40u + 200u);
  }
  EXPECT_GT(calls, 3);
  EXPECT_EQ(pruner->last_pruned(), chain.head() - 5);
  // A restart continues from lastPrunedBlockNumber + 1.
  pruner.reset();
  chain.add_blocks(3);
  pruner = open_pruner(*dbm, 5, chain.head());
  auto r = pruner->prune(chain.position());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first_block, chain.head() - 3 - 5 + 1);
  EXPECT_EQ(r->last_pruned, chain.head() - 5);
}

// A step deletes its marks in slices before the slice that records
// lastPrunedBlockNumber; a crash between them leaves some marks gone whose
// nodes are already deleted. Simulated here (nodes of blocks 0..10 deleted,
// half of their marks deleted, no progress record), then a full run: every
// node any mark named up to the last pruned block is gone, in every shard,
// and every retained state is complete.
TEST(LivePruner, ACrashInsideTheMarkDeletionsLosesNothing) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, MiniChainOptions{});
  chain.add_blocks(60);
  auto all = rawdb::read_pruning_marks(*dbm, 0, UINT64_MAX);
  ASSERT_TRUE(all) << all.status().message();
  auto early = rawdb::read_pruning_marks(*dbm, 0, 11);
  ASSERT_TRUE(early);
  ASSERT_GT(early->size(), 20u);
  {
    rawdb::DirectWriter w(*dbm);
    for (const auto& m : *early) {
      const trie::NodeKey k = m.node.counter() == 0 ? trie::NodeKey::plain(m.node.hash())
                                                    : trie::NodeKey::from(m.node.view());
      ASSERT_TRUE(dbm->state_trie().del(k.view()));
    }
    for (size_t i = 0; i < early->size() / 2; ++i) ASSERT_TRUE(rawdb::delete_pruning_mark(w, (*early)[i]));
  }
  ASSERT_TRUE(rawdb::read_last_pruned_block_number(*dbm).status().is_not_found());
  constexpr uint64_t kRetention = 5;
  auto pruner = open_pruner(*dbm, kRetention, chain.head());
  ASSERT_TRUE(pruner);
  auto r = pruner->prune_all(chain.position());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->first_block, 0u);
  EXPECT_EQ(pruner->last_pruned(), chain.head() - kRetention);
  // More marks than one slice of node and mark deletions, across 4 shards.
  EXPECT_GT(r->marks, 1000u);
  uint64_t checked = 0;
  std::set<uint32_t> shards;
  for (const auto& m : *all) {
    if (m.block_num > pruner->last_pruned()) continue;
    const trie::NodeKey k = m.node.counter() == 0 ? trie::NodeKey::plain(m.node.hash())
                                                  : trie::NodeKey::from(m.node.view());
    if (!k.is_ext()) continue;  // plain keys may recur (see live_pruner.h)
    auto has = dbm->state_trie().has(k.view());
    ASSERT_TRUE(has);
    EXPECT_FALSE(*has) << "block " << m.block_num << " mark survived";
    shards.insert(k.view()[0] & 3u);
    ++checked;
  }
  EXPECT_GT(checked, 1000u);
  EXPECT_EQ(shards.size(), 4u);
  for (auto& [b, n] : marks_per_block(*dbm)) EXPECT_GT(b, pruner->last_pruned());
  for (uint64_t n = chain.head() - kRetention + 1; n <= chain.head(); ++n) {
    auto root = chain.root_at(n);
    ASSERT_TRUE(root);
    EXPECT_NO_THROW(reachable(dbm->state_trie(), *root)) << "block " << n;
  }
}

TEST(LivePruner, OpenDiscardsOrphanMarksPastTheHead) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, MiniChainOptions{});
  chain.add_blocks(5);
  const uint64_t head = chain.head();
  {
    rawdb::DirectWriter w(*dbm);
    std::vector<trie::NodeKey> keys{trie::NodeKey::ext(chain.head_root(), 77), trie::NodeKey::ext(chain.head_root(), 78)};
    ASSERT_TRUE(LivePruner::write_marks(w, head, keys));
    ASSERT_TRUE(LivePruner::write_marks(w, head + 3, keys));
  }
  auto before = marks_per_block(*dbm);
  EXPECT_EQ(before[head], 2u);
  auto pruner = open_pruner(*dbm, 2, head);
  ASSERT_TRUE(pruner);
  auto after = marks_per_block(*dbm);
  EXPECT_EQ(after.count(head), 0u);
  EXPECT_EQ(after.count(head + 3), 0u);
  EXPECT_EQ(after.at(head - 1), before.at(head - 1));
}

TEST(LivePruner, ProtectedZeroExtensionRootIsNeverDeleted) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, MiniChainOptions{});
  chain.add_blocks(4);
  // A recurring account-trie root (plain key) marked at block 1.
  {
    rawdb::DirectWriter w(*dbm);
    std::vector<trie::NodeKey> keys{trie::NodeKey::plain(chain.head_root())};
    ASSERT_TRUE(LivePruner::write_marks(w, 1, keys));
  }
  auto pruner = open_pruner(*dbm, 1, chain.head());
  auto r = pruner->prune_all(chain.position());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->protected_skips, 1u);
  EXPECT_NO_THROW(reachable(dbm->state_trie(), chain.head_root()));
}

TEST(LivePruner, StateAndRewindChecksNameTheLimits) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, MiniChainOptions{});
  chain.add_blocks(20);
  auto pruner = open_pruner(*dbm, 8, chain.head());
  EXPECT_TRUE(pruner->check_state_available(1));  // nothing pruned yet
  EXPECT_TRUE(pruner->check_rewind(1));
  ASSERT_TRUE(pruner->prune_all(chain.position()));
  EXPECT_EQ(pruner->last_pruned(), 12u);
  Status s = pruner->check_state_available(12);
  EXPECT_EQ(s.message(), "state at block 12 is pruned (live pruning keeps the last 8 blocks; last pruned block 12)");
  EXPECT_TRUE(pruner->check_state_available(13));
  Status rw = pruner->check_rewind(12);
  EXPECT_EQ(rw.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(rw.message().find("cannot rewind the head to block 12"), std::string::npos) << rw.message();
  EXPECT_NE(rw.message().find("oldest block to rewind to is 13"), std::string::npos) << rw.message();
  EXPECT_TRUE(pruner->check_rewind(13));
  // Bad positions and options.
  ChainPosition bad;
  bad.head = 3;
  bad.durable_state_block = 4;
  EXPECT_FALSE(pruner->prune(bad));
  LivePrunerOptions zero;
  zero.retention = 0;
  EXPECT_FALSE(LivePruner::open(*dbm, zero, chain.head()));
}

TEST(LivePruningRules, EnablingOnlyAtInit) {
  ScratchDir plain_dir, live_dir;
  auto plain = testing::open_manager(plain_dir.path());
  MiniChainOptions po;
  po.ext_hash = false;
  MiniChain pc(*plain, po);
  // Not recorded, at genesis.
  EXPECT_EQ(*resolve_live_pruning(*plain, false), false);
  auto at_genesis = resolve_live_pruning(*plain, true);
  ASSERT_FALSE(at_genesis);
  EXPECT_NE(at_genesis.status().message().find("must be chosen when the datadir is initialised"), std::string::npos);
  // Not recorded, advanced.
  pc.add_blocks(3);
  auto advanced = resolve_live_pruning(*plain, true);
  ASSERT_FALSE(advanced);
  EXPECT_NE(advanced.status().message().find("already advanced to block 3"), std::string::npos)
      << advanced.status().message();
  EXPECT_FALSE(LivePruner::open(*plain, LivePrunerOptions{}, pc.head()));
  // Recorded: on whatever the flag says.
  auto live = testing::open_manager(live_dir.path());
  MiniChain lc(*live, MiniChainOptions{});
  lc.add_blocks(2);
  EXPECT_EQ(*resolve_live_pruning(*live, true), true);
  EXPECT_EQ(*resolve_live_pruning(*live, false), true);
}

TEST(LivePruner, BackgroundThreadCatchesUpAndStopsCleanly) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, MiniChainOptions{});
  auto pruner = open_pruner(*dbm, 5, chain.head(), 0, 30);
  const uint64_t coalesce = pruner->options().min_blocks_per_pass;
  pruner->start_background();
  for (int i = 0; i < 80; ++i) {
    chain.add_block();
    pruner->notify(chain.position());
  }
  pruner->wait_idle();
  EXPECT_TRUE(pruner->background_status());
  // Idle may leave fewer than min_blocks_per_pass blocks for a later pass ...
  EXPECT_LT(chain.head() - 5 - (pruner->any_pruned() ? pruner->last_pruned() : 0), coalesce);
  // ... which drain() processes.
  pruner->drain();
  EXPECT_TRUE(pruner->background_status());
  EXPECT_EQ(pruner->last_pruned(), chain.head() - 5);
  pruner->stop_background();
  pruner->stop_background();  // idempotent
  for (uint64_t n = chain.head() - 4; n <= chain.head(); ++n)
    EXPECT_NO_THROW(reachable(dbm->state_trie(), *chain.root_at(n)));
}

// Background passes start only once min_blocks_per_pass blocks are due, then
// take everything due: lastPrunedBlockNumber jumps by at least that many
// blocks and never lags the limit by as many; drain() takes the rest.
TEST(LivePruner, BackgroundPassesAreCoalescedAndDrainTakesTheRest) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, MiniChainOptions{});
  constexpr uint64_t kRetention = 5;
  constexpr uint64_t kCoalesce = 10;
  LivePrunerOptions o;
  o.retention = kRetention;
  o.min_blocks_per_pass = kCoalesce;
  auto opened = LivePruner::open(*dbm, o, chain.head());
  ASSERT_TRUE(opened) << opened.status().message();
  LivePruner& pruner = **opened;
  pruner.drain();  // not started: returns at once
  pruner.start_background();
  std::optional<uint64_t> last;  // nullopt: nothing pruned yet
  int passes = 0;
  for (int i = 0; i < 75; ++i) {
    chain.add_block();
    pruner.notify(chain.position());
    pruner.wait_idle();
    ASSERT_TRUE(pruner.background_status()) << pruner.background_status().message();
    if (chain.head() < kRetention) continue;
    const uint64_t limit = chain.head() - kRetention;
    const std::optional<uint64_t> now =
        pruner.any_pruned() ? std::optional<uint64_t>(pruner.last_pruned()) : std::nullopt;
    if (now != last) {
      ++passes;
      EXPECT_EQ(*now, limit) << "a pass takes everything due";
      EXPECT_GE(*now - (last ? *last : uint64_t{0}) + (last ? 0 : 1), kCoalesce) << "at block " << chain.head();
      last = now;
    }
    const uint64_t unprocessed = last ? limit - *last : limit + 1;
    EXPECT_LT(unprocessed, kCoalesce) << "at block " << chain.head();
  }
  EXPECT_GE(passes, 5);
  EXPECT_LT(pruner.last_pruned(), chain.head() - kRetention) << "the test should end between two passes";
  pruner.drain();
  EXPECT_EQ(pruner.last_pruned(), chain.head() - kRetention);
  pruner.stop_background();
  pruner.drain();  // stopped: returns at once
  // The outcome is the synchronous one: retained states complete, older ones gone, no processed mark left.
  for (uint64_t n = chain.head() - kRetention + 1; n <= chain.head(); ++n)
    EXPECT_NO_THROW(reachable(dbm->state_trie(), *chain.root_at(n))) << "block " << n;
  EXPECT_THROW(reachable(dbm->state_trie(), *chain.root_at(chain.head() - kRetention - 1)), std::runtime_error);
  for (auto& [b, n] : marks_per_block(*dbm)) EXPECT_GT(b, pruner.last_pruned());
}

}  // namespace
}  // namespace klay::pruning
