// The state commit cadence: archive keeps every state; full keeps the last
// tries_in_memory states in memory and every block_interval-th on disk.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "engine/state/state_errors.h"
#include "node/chain/blockchain.h"
#include "tests/chain/chain_test_support.h"

namespace klay::chain {
namespace {

using testing::DevChain;

BlockChainOptions full(uint64_t interval, uint64_t in_memory) {
  BlockChainOptions o;
  o.gc_mode = GcMode::kFull;
  o.state_block_interval = interval;
  o.tries_in_memory = in_memory;
  return o;
}

TEST(GcMode, ParsesFlagValues) {
  EXPECT_EQ(*parse_gc_mode("full"), GcMode::kFull);
  EXPECT_EQ(*parse_gc_mode("ARCHIVE"), GcMode::kArchive);
  EXPECT_FALSE(parse_gc_mode("light"));
}

TEST(GcMode, ArchiveKeepsEveryStateOnDisk) {
  BlockChainOptions o;
  o.gc_mode = GcMode::kArchive;
  std::vector<uint64_t> committed;
  o.on_state_commit = [&](const StateCommitEvent& e) { committed.push_back(e.block_num); };
  DevChain dev(kv::Backend::kLevelDB, o);
  dev.produce(10, 2);
  EXPECT_EQ(committed.size(), 10u);
  EXPECT_EQ(dev.chain->state_on_disk_block(), 10u);
  // Reopen without a clean close of the state: everything is already on disk.
  dev.chain.reset();
  dev.chain = testing::open_chain(*dev.dbm, o);
  EXPECT_EQ(dev.chain->recovered_blocks(), 0u);
  for (uint64_t n = 0; n <= 10; ++n) {
    auto st = dev.chain->state_reader_at(n);
    ASSERT_TRUE(st) << "block " << n << ": " << st.status().message();
    uint64_t nonces = 0;
    for (const auto& k : dev.senders) nonces += *st->nonce(k.address());
    EXPECT_EQ(nonces, 2 * n);
  }
}

TEST(GcMode, FullDropsOldStatesAndCommitsEveryInterval) {
  std::vector<uint64_t> committed;
  BlockChainOptions o = full(4, 4);
  o.on_state_commit = [&](const StateCommitEvent& e) {
    if (!e.at_close) committed.push_back(e.block_num);
  };
  DevChain dev(kv::Backend::kLevelDB, o);
  dev.produce(18, 2);
  EXPECT_EQ(committed, (std::vector<uint64_t>{4, 8, 12, 16}));
  EXPECT_EQ(dev.chain->state_on_disk_block(), 16u);

  for (uint64_t n = 0; n <= 18; ++n) {
    auto st = dev.chain->state_reader_at(n);
    const bool kept = n == 0 || n % 4 == 0 || n + 4 > 18;
    if (kept) {
      ASSERT_TRUE(st) << "block " << n << ": " << st.status().message();
      uint64_t nonces = 0;
      for (const auto& k : dev.senders) nonces += *st->nonce(k.address());
      EXPECT_EQ(nonces, 2 * n);
    } else {
      ASSERT_FALSE(st) << "block " << n << " should be pruned from memory";
      EXPECT_TRUE(state::is_state_unavailable(st.status())) << st.status().message();
      EXPECT_NE(st.status().message().find("state not available"), std::string::npos);
    }
  }
}

TEST(GcMode, FullReopenAfterCleanCloseHasTheHeadState) {
  DevChain dev(kv::Backend::kLevelDB, full(128, 128));
  dev.produce(6, 3);
  EXPECT_EQ(dev.chain->state_on_disk_block(), 0u);
  const ChainHead head = dev.chain->head();
  dev.chain.reset();  // close(): the head state goes to disk
  dev.chain = testing::open_chain(*dev.dbm, full(128, 128));
  EXPECT_EQ(dev.chain->recovered_blocks(), 0u);
  EXPECT_EQ(dev.chain->head().hash, head.hash);
  EXPECT_TRUE(dev.chain->state_reader_at(6));
  EXPECT_FALSE(dev.chain->state_reader_at(5));  // never written to disk
}

TEST(GcMode, MemoryCapFlushesWithoutMovingTheMarker) {
  BlockChainOptions o = full(1000, 1000);
  o.trie_dirty_limit = 1;  // flush everything dirty after each block
  DevChain dev(kv::Backend::kMemory, o);
  dev.produce(5, 2);
  EXPECT_EQ(dev.chain->trie_stats().dirty_nodes, 0u);
  EXPECT_GT(dev.chain->trie_stats().flushed_nodes, 0u);
  EXPECT_EQ(dev.chain->state_on_disk_block(), 0u);
  for (uint64_t n = 0; n <= 5; ++n) EXPECT_TRUE(dev.chain->state_reader_at(n)) << n;
}

}  // namespace
}  // namespace klay::chain

namespace klay::chain {
namespace {

TEST(ChainHooks, BlockInsertedReportsEachBlocksCommit) {
  BlockChainOptions o;
  std::vector<std::pair<uint64_t, Hash>> seen;
  o.on_block_inserted = [&](const BlockInsertedEvent& e) {
    EXPECT_EQ(e.commit.root, e.block.header.root);
    EXPECT_EQ(e.receipts.size(), e.block.transactions.size());
    // Every block after the first changes accounts the previous block wrote.
    if (e.block.header.number > 1) {
      EXPECT_FALSE(e.commit.obsolete.empty());
    }
    seen.emplace_back(e.block.header.number, e.hash);
  };
  testing::DevChain dev(kv::Backend::kMemory, o);
  auto blocks = dev.produce(3, 2);
  ASSERT_EQ(seen.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(seen[i].second, header_hash(blocks[i].header));
}

TEST(ChainConcurrency, ReadersSeeConsistentHeadsWhileBlocksAreInserted) {
  BlockChainOptions o;
  o.state_block_interval = 4;
  o.tries_in_memory = 16;  // a reader holds a head state far shorter than 16 blocks
  testing::DevChain dev(kv::Backend::kLevelDB, o);
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, failures{0};
  auto reader = [&] {
    while (!done.load()) {
      const ChainHead head = dev.chain->head();
      auto st = dev.chain->state_reader_at_root(head.header.root);
      auto block = dev.chain->block_by_number(head.number);
      if (!st || !block || header_hash(block->header) != head.hash) {
        ++failures;
        continue;
      }
      uint64_t nonces = 0;
      for (const auto& k : dev.senders) nonces += *st->nonce(k.address());
      if (nonces != 2 * head.number) ++failures;
      ++reads;
    }
  };
  std::thread r1(reader), r2(reader);
  dev.produce(30, 2);
  done = true;
  r1.join();
  r2.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace klay::chain
