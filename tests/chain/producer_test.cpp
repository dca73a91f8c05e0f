#include "node/chain/producer.h"

#include <gtest/gtest.h>

#include <thread>

#include "node/chain/seal.h"
#include "node/chain/txpool_source.h"
#include "tests/chain/chain_test_support.h"

namespace klay::chain {
namespace {

using testing::DevChain;

TEST(Producer, RefusesAKeyOutsideTheValidatorSet) {
  DevChain dev(kv::Backend::kMemory);
  auto p = BlockProducer::create(*dev.chain, testing::key_from_seed("stranger"), &dev.source);
  ASSERT_FALSE(p);
  EXPECT_NE(p.status().message().find("not a validator"), std::string::npos);
}

TEST(Producer, BuildsSealedBlocksWithTheValidatorAsRewardbase) {
  DevChain dev(kv::Backend::kMemory);
  auto blocks = dev.produce(2, 3);
  for (const Block& b : blocks) {
    EXPECT_EQ(b.header.rewardbase, dev.validator.address());
    EXPECT_EQ(b.header.block_score, uint256(1));
    auto ist = decode_istanbul_extra(b.header.extra);
    ASSERT_TRUE(ist);
    EXPECT_EQ(ist->validators, std::vector<Address>{dev.validator.address()});
    EXPECT_EQ(*verify_seal(b.header, dev.chain->validators()), dev.validator.address());
    EXPECT_EQ(b.transactions.size(), 3u);
    EXPECT_EQ(b.header.gas_used, 3u * 21000u);
  }
  EXPECT_EQ(dev.source.size(), 0u);
  EXPECT_EQ(dev.producer->produced(), 2u);
}

TEST(Producer, DropsNonIncludableTransactions) {
  DevChain dev(kv::Backend::kMemory);
  const Address to = dev.recipient;
  dev.source.add(testing::make_transfer(dev.senders[0], 0, to, 5));
  dev.source.add(testing::make_transfer(dev.senders[0], 7, to, 5));  // nonce gap
  dev.source.add(testing::make_transfer(testing::key_from_seed("broke"), 0, to, 5));  // no funds
  Transaction wrong_chain = testing::make_transfer(dev.senders[1], 0, to, 5);
  wrong_chain.signatures[0].v = eip155_v(0, uint256(1));
  dev.source.add(wrong_chain);
  auto b = dev.producer->produce_now();
  ASSERT_TRUE(b) << b.status().message();
  EXPECT_EQ(b->block.transactions.size(), 1u);
  EXPECT_EQ(b->dropped, 3u);
  EXPECT_EQ(dev.source.invalid(), 3u);
  EXPECT_EQ(dev.source.size(), 0u);
  EXPECT_EQ(dev.chain->head().number, 1u);
}

TEST(Producer, EmptyBlocksCanBeDisabled) {
  DevChain dev(kv::Backend::kMemory);
  ProducerOptions o;
  o.empty_blocks = false;
  o.now_ms = testing::stepping_clock();
  auto p = BlockProducer::create(*dev.chain, dev.validator, &dev.source, o);
  ASSERT_TRUE(p);
  auto r = (*p)->produce_now();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_not_found());
  EXPECT_EQ(dev.chain->head().number, 0u);
}

TEST(Producer, BackgroundLoopProducesOnItsPeriod) {
  DevChain dev(kv::Backend::kMemory);
  ProducerOptions o;
  o.period = std::chrono::milliseconds(20);
  o.now_ms = testing::stepping_clock();
  auto p = BlockProducer::create(*dev.chain, dev.validator, &dev.source, o);
  ASSERT_TRUE(p);
  (*p)->start();
  for (int i = 0; i < 200 && dev.chain->head().number < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  (*p)->stop();
  EXPECT_GE(dev.chain->head().number, 3u);
  const uint64_t after_stop = dev.chain->head().number;
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_EQ(dev.chain->head().number, after_stop);
}

TEST(Producer, TakesTransactionsFromTheTxPool) {
  DevChain dev(kv::Backend::kMemory);
  auto head_reader = dev.chain->state_reader_at(0);
  ASSERT_TRUE(head_reader);
  txpool::TxPool pool(dev.chain->config(), {}, std::make_unique<txpool::StateReaderPoolState>(std::move(*head_reader)),
                      txpool::PoolHead{0, std::nullopt});
  for (uint64_t n = 0; n < 4; ++n) {
    auto added = pool.add(testing::make_transfer(dev.senders[n % 2], n / 2, dev.recipient, 10, n % 2 == 1));
    ASSERT_TRUE(added) << added.status().message();
  }
  TxPoolSource source(pool, *dev.chain);
  ProducerOptions o;
  o.now_ms = testing::stepping_clock();
  auto p = BlockProducer::create(*dev.chain, dev.validator, &source, o);
  ASSERT_TRUE(p);
  auto b = (*p)->produce_now();
  ASSERT_TRUE(b) << b.status().message();
  EXPECT_EQ(b->block.transactions.size(), 4u);
  EXPECT_EQ(pool.stats().pending, 0u);
  // The pool moved to the new head: the next nonce of sender 0 is 2.
  EXPECT_EQ(*pool.pending_nonce(dev.senders[0].address()), 2u);
}

}  // namespace
}  // namespace klay::chain
