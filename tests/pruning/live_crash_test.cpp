// Crash safety of live pruning: prune_driver imports blocks and prunes in a
// child process that is SIGKILLed at random moments; after every kill the
// parent reopens the datadir, recovers, finishes pruning and checks that every
// retained root (and the durable root) is still complete.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "pruning/live_pruner.h"
#include "tests/pruning/crash_support.h"
#include "tests/pruning/pruning_test_support.h"

namespace klay::pruning {
namespace {

using testing::MiniChain;
using testing::MiniChainOptions;
using testing::reachable;
using testing::ScratchDir;

void verify_after_crash(const std::filesystem::path& dir, bool archive, uint64_t retention, uint64_t* head_out) {
  auto dbm = testing::open_manager(dir);
  MiniChainOptions o;
  o.archive = archive;
  MiniChain chain(*dbm, o);  // recovery (full mode re-executes in-memory blocks)
  LivePrunerOptions po;
  po.retention = retention;
  po.memory_window = archive ? 0 : o.window;
  auto pruner = LivePruner::open(*dbm, po, chain.head());
  ASSERT_TRUE(pruner) << pruner.status().message();
  auto r = (*pruner)->prune_all(chain.position());
  ASSERT_TRUE(r) << r.status().message();
  const uint64_t head = chain.head();
  const uint64_t lp = (*pruner)->last_pruned();
  EXPECT_LT(lp, chain.durable() == 0 ? 1 : chain.durable());
  EXPECT_NO_THROW(reachable(dbm->state_trie(), *chain.root_at(chain.durable()))) << "durable " << chain.durable();
  for (uint64_t n = (head > retention ? head - retention + 1 : 0); n <= head; ++n) {
    if (!archive && n % o.interval != 0 && n != chain.durable()) continue;  // never on disk
    if (n > chain.durable()) continue;
    EXPECT_NO_THROW(reachable(dbm->state_trie(), *chain.root_at(n))) << "retained block " << n;
  }
  // The chain keeps going on top of the recovered state.
  chain.add_blocks(2);
  EXPECT_NO_THROW(reachable(dbm->state_trie(), *chain.root_at(chain.durable())));
  *head_out = chain.head();
}

// background: prune_driver live-bg (coalesced background passes).
void crash_trials(bool archive, int trials, bool background = false) {
  ScratchDir dir;
  const uint64_t retention = 5;
  std::mt19937_64 rng(archive ? 42 : 43);
  uint64_t head = 0;
  int killed = 0;
  for (int t = 0; t < trials; ++t) {
    const uint64_t target = head + 2000;  // never reached before the kill
    testing::Child child({background ? "live-bg" : "live", dir.path().string(), archive ? "archive" : "full", std::to_string(target),
                          std::to_string(retention), "7"});
    // Wait until it opened the datadir, then let it run a random while.
    ASSERT_TRUE(child.wait_for_line("start", std::chrono::seconds(60))) << "driver did not start";
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 400));
    if (child.kill9()) ++killed;
    uint64_t new_head = 0;
    verify_after_crash(dir.path(), archive, retention, &new_head);
    if (::testing::Test::HasFailure()) return;
    EXPECT_GE(new_head, head);
    head = new_head;
  }
  EXPECT_GE(killed, trials - 1);
  EXPECT_GT(head, 20u) << "the driver made too little progress to test anything";
}

TEST(LivePruningCrash, ArchiveSurvivesTwelveKills) { crash_trials(true, 12); }
TEST(LivePruningCrash, FullModeSurvivesTenKills) { crash_trials(false, 10); }
TEST(LivePruningCrash, ArchiveCoalescedBackgroundPassesSurviveEightKills) { crash_trials(true, 8, true); }

}  // namespace
}  // namespace klay::pruning
