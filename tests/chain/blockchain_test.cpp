#include "node/chain/blockchain.h"

#include <gtest/gtest.h>

#include "engine/rawdb/accessors_chain.h"
#include "node/chain/block_checks.h"
#include "node/chain/seal.h"
#include "tests/chain/chain_test_support.h"

namespace klay::chain {
namespace {

using testing::DevChain;

TEST(BlockChain, OpensAtGenesisWithTheGenesisValidator) {
  DevChain dev;
  const ChainHead head = dev.chain->head();
  EXPECT_EQ(head.number, 0u);
  EXPECT_EQ(head.hash, dev.chain->genesis_hash());
  ASSERT_EQ(dev.chain->validators().size(), 1u);
  EXPECT_EQ(dev.chain->validators()[0], dev.validator.address());
  EXPECT_EQ(dev.chain->chain_id(), uint256(testing::kChainId));
  EXPECT_EQ(dev.chain->derive_sha(), DeriveShaImpl::kConcat);
}

TEST(BlockChain, RefusesADatadirWithoutGenesis) {
  testing::ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), kv::Backend::kMemory);
  auto bc = BlockChain::open(*dbm);
  ASSERT_FALSE(bc);
  EXPECT_NE(bc.status().message().find("knode init"), std::string::npos);
}

TEST(BlockChain, ProducedBlocksAreStoredWithReceiptsLookupsAndState) {
  DevChain dev;
  const auto blocks = dev.produce(5, 6);
  const ChainHead head = dev.chain->head();
  ASSERT_EQ(head.number, 5u);
  EXPECT_EQ(head.hash, header_hash(blocks.back().header));

  for (const Block& b : blocks) {
    const Hash hash = header_hash(b.header);
    auto stored = dev.chain->block_by_number(b.header.number);
    ASSERT_TRUE(stored) << stored.status().message();
    EXPECT_EQ(*stored, b);
    auto receipts = dev.chain->receipts_by_hash(hash);
    ASSERT_TRUE(receipts);
    ASSERT_EQ(receipts->size(), b.transactions.size());
    for (size_t i = 0; i < b.transactions.size(); ++i) {
      const Hash th = tx_hash(b.transactions[i]);
      EXPECT_EQ((*receipts)[i].tx_hash, th);
      EXPECT_EQ((*receipts)[i].status, 1u);
      EXPECT_EQ((*receipts)[i].gas_used, 21000u);
      auto lookup = dev.chain->tx_lookup(th);
      ASSERT_TRUE(lookup);
      EXPECT_EQ(lookup->block_hash, hash);
      EXPECT_EQ(lookup->index, i);
    }
    auto seal = verify_seal(b.header, dev.chain->validators());
    EXPECT_TRUE(seal) << seal.status().message();
  }
  auto score = dev.chain->total_score(head.hash);
  ASSERT_TRUE(score);
  EXPECT_EQ(*score, uint256(1 + 5));  // genesis blockScore 1, then 1 per block

  auto st = dev.chain->state_reader_at(5);
  ASSERT_TRUE(st) << st.status().message();
  uint64_t total_value = 0;
  for (size_t i = 0; i < 30; ++i) total_value += 1000 + i % 6;
  EXPECT_EQ(*st->balance(dev.recipient), uint256(total_value));
  uint64_t nonces = 0;
  for (const auto& k : dev.senders) nonces += *st->nonce(k.address());
  EXPECT_EQ(nonces, 30u);
  // The rewardbase received the block rewards and fees.
  EXPECT_NE(*st->balance(dev.validator.address()), uint256(0));
}

TEST(BlockChain, KnownBlocksAreSkippedAndSideChainsRefused) {
  DevChain dev;
  const auto blocks = dev.produce(3, 2);
  auto stats = dev.chain->insert_blocks(blocks);
  ASSERT_TRUE(stats) << stats.status().message();
  EXPECT_EQ(stats->skipped, 3u);
  EXPECT_EQ(stats->inserted, 0u);

  // A different block 2 (another time) is a side chain.
  Block other = blocks[1];
  other.header.time += 1;
  ASSERT_TRUE(seal_header(other.header, dev.validator));
  Status s = dev.chain->insert_block(other);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("side chains are not supported"), std::string::npos) << s.message();

  // A block far ahead has an unknown parent.
  Block ahead = blocks[2];
  ahead.header.number = 10;
  s = dev.chain->insert_block(ahead);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("unknown parent"), std::string::npos) << s.message();
}

class TamperTest : public ::testing::Test {
 protected:
  // Produces 2 blocks on `a_`, then returns block 3 produced on a twin chain
  // with the same genesis and history (so it is a valid extension of a_'s head).
  void SetUp() override {
    a_.produce(2, 3);
    b_ = std::make_unique<DevChain>();
    // Same genesis (same keys, same seeds) and same blocks.
    ASSERT_EQ(b_->chain->genesis_hash(), a_.chain->genesis_hash());
    auto blocks = b_->produce(3, 3);
    ASSERT_EQ(header_hash(blocks[1].header), a_.chain->head().hash);
    next_ = blocks[2];
  }
  Status insert(const std::function<void(Block&)>& tamper, bool reseal) {
    Block b = next_;
    tamper(b);
    if (reseal) {
      EXPECT_TRUE(seal_header(b.header, a_.validator));
    }
    return a_.chain->insert_block(b);
  }
  DevChain a_;
  std::unique_ptr<DevChain> b_;
  Block next_;
};

TEST_F(TamperTest, UntamperedBlockIsAccepted) {
  EXPECT_TRUE(insert([](Block&) {}, false));
  EXPECT_EQ(a_.chain->head().number, 3u);
}

TEST_F(TamperTest, TamperedSealIsRejected) {
  Status s = insert(
      [](Block& b) {
        auto ist = *decode_istanbul_extra(b.header.extra);
        ist.seal[5] ^= 0x01;
        b.header.extra = make_header_extra(Bytes(32, 0), ist);
      },
      false);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("block 3"), std::string::npos) << s.message();
  EXPECT_TRUE(s.message().find("proposer seal") != std::string::npos ||
              s.message().find("unauthorized proposer") != std::string::npos)
      << s.message();
  EXPECT_EQ(a_.chain->head().number, 2u);
}

TEST_F(TamperTest, WrongStateRootIsRejected) {
  Status s = insert([](Block& b) { b.header.root.bytes[0] ^= 1; }, true);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("state root mismatch"), std::string::npos) << s.message();
  EXPECT_EQ(a_.chain->head().number, 2u);
  // The chain still accepts the valid block afterwards.
  EXPECT_TRUE(insert([](Block&) {}, false));
}

TEST_F(TamperTest, WrongTxRootIsRejected) {
  Status s = insert([](Block& b) { b.header.tx_hash.bytes[31] ^= 1; }, true);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("transaction root mismatch"), std::string::npos) << s.message();
}

TEST_F(TamperTest, DroppedTransactionIsATxRootMismatch) {
  Status s = insert([](Block& b) { b.transactions.pop_back(); }, false);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("transaction root mismatch"), std::string::npos) << s.message();
}

TEST_F(TamperTest, WrongGasUsedAndReceiptsRootAreRejected) {
  Status s = insert([](Block& b) { b.header.gas_used += 1; }, true);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("gas used mismatch"), std::string::npos) << s.message();
  s = insert([](Block& b) { b.header.receipt_hash.bytes[0] ^= 1; }, true);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("receipts root mismatch"), std::string::npos) << s.message();
}

TEST_F(TamperTest, TimeBeforeParentIsRejected) {
  Status s = insert([&](Block& b) { b.header.time = a_.chain->head().header.time - 1; }, true);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("invalid timestamp"), std::string::npos) << s.message();
}

TEST(BlockChain, CleanCloseKeepsHeadAndState) {
  DevChain dev;
  dev.produce(3, 2);
  const ChainHead before = dev.chain->head();
  dev.chain.reset();
  dev.chain = testing::open_chain(*dev.dbm);
  EXPECT_EQ(dev.chain->head().hash, before.hash);
  EXPECT_EQ(dev.chain->recovered_blocks(), 0u);
  EXPECT_EQ(dev.chain->state_on_disk_block(), 3u);
  auto st = dev.chain->state_reader_at(3);
  ASSERT_TRUE(st) << st.status().message();
}

}  // namespace
}  // namespace klay::chain
