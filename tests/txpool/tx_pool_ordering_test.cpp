// Nonce ordering, promotion, replacement and the order pending() hands out.
#include "tests/txpool/pool_test_util.h"

namespace klay::txpool::test {
namespace {

struct OrderingTest : PoolTest {
  std::vector<uint64_t> pending_nonces(const Address& a) {
    std::vector<uint64_t> out;
    for (const auto& t : pool->pending())
      if (t->sender == a) out.push_back(t->nonce());
    return out;
  }
};

TEST_F(OrderingTest, GapsQueueAndPromoteWhenFilled) {
  state->accounts[alice.address()].nonce = 3;
  EXPECT_EQ(add(legacy(alice, 5)), "accepted");
  EXPECT_EQ(add(legacy(alice, 4)), "accepted");
  EXPECT_EQ(pool->stats().pending, 0u);
  EXPECT_EQ(pool->stats().queued, 2u);
  EXPECT_EQ(pool->status(tx_hash(legacy(alice, 5))), TxStatus::kQueued);
  EXPECT_EQ(*pool->pending_nonce(alice.address()), 3u);
  EXPECT_TRUE(pool->pending().empty());

  std::vector<uint64_t> announced;
  pool->on_new_pending([&](const std::vector<PooledTxRef>& txs) {
    for (const auto& t : txs) announced.push_back(t->nonce());
  });
  EXPECT_EQ(add(legacy(alice, 3)), "accepted");
  EXPECT_EQ(pool->stats().pending, 3u);
  EXPECT_EQ(pool->stats().queued, 0u);
  EXPECT_EQ(pending_nonces(alice.address()), (std::vector<uint64_t>{3, 4, 5}));
  EXPECT_EQ(announced, (std::vector<uint64_t>{3, 4, 5}));
  EXPECT_EQ(*pool->pending_nonce(alice.address()), 6u);
  EXPECT_EQ(pool->status(tx_hash(legacy(alice, 5))), TxStatus::kPending);
  expect_consistent(*pool);

  // A later gap stays queued.
  EXPECT_EQ(add(legacy(alice, 8)), "accepted");
  EXPECT_EQ(pool->stats().queued, 1u);
  EXPECT_EQ(pool->stats().senders, 1u);
}

TEST_F(OrderingTest, PendingInterleavesSendersByPriceThenArrival) {
  make_pool(chain_config(0), PoolHead{1, kUnitPrice});
  const uint256 p = kUnitPrice;
  EXPECT_EQ(add(legacy(alice, 0, p * uint256(4))), "accepted");
  EXPECT_EQ(add(legacy(alice, 1, p)), "accepted");
  EXPECT_EQ(add(legacy(bob, 0, p * uint256(2))), "accepted");
  EXPECT_EQ(add(legacy(bob, 1, p * uint256(2))), "accepted");
  EXPECT_EQ(add(legacy(carol, 0, p * uint256(2))), "accepted");  // same price as bob, later
  std::vector<std::pair<Address, uint64_t>> got;
  for (const auto& t : pool->pending()) got.emplace_back(t->sender, t->nonce());
  const std::vector<std::pair<Address, uint64_t>> want = {
      {alice.address(), 0}, {bob.address(), 0}, {bob.address(), 1}, {carol.address(), 0}, {alice.address(), 1}};
  EXPECT_EQ(got, want);
  auto two = pool->pending(2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1]->sender, bob.address());
}

TEST_F(OrderingTest, PendingTiesFollowArrivalBeforeMagma) {
  EXPECT_EQ(add(legacy(bob, 0)), "accepted");
  EXPECT_EQ(add(legacy(alice, 0)), "accepted");
  EXPECT_EQ(add(legacy(bob, 1)), "accepted");
  auto txs = pool->pending();
  ASSERT_EQ(txs.size(), 3u);
  EXPECT_EQ(txs[0]->sender, bob.address());
  EXPECT_EQ(txs[1]->sender, alice.address());
  EXPECT_EQ(txs[2]->sender, bob.address());
}

TEST_F(OrderingTest, NoReplacementBeforeMagmaExceptCancel) {
  const Transaction first = legacy(alice, 0);
  EXPECT_EQ(add(first), "accepted");
  // Same nonce, different content (value): refused, even at the same price.
  EXPECT_EQ(add(legacy(alice, 0, kUnitPrice, 21000, uint256(2))),
            "there is another tx which has the same nonce in the tx pool");
  EXPECT_EQ(add(value_transfer(alice, 0)), "there is another tx which has the same nonce in the tx pool");
  // A queued one is protected the same way.
  EXPECT_EQ(add(legacy(alice, 5)), "accepted");
  EXPECT_EQ(add(legacy(alice, 5, kUnitPrice, 21000, uint256(2))),
            "there is another tx which has the same nonce in the tx pool");

  // A cancel replaces both.
  std::vector<Hash> announced;
  pool->on_new_pending([&](const std::vector<PooledTxRef>& txs) {
    for (const auto& t : txs) announced.push_back(t->hash);
  });
  const Transaction c0 = cancel(alice, 0), c5 = cancel(alice, 5);
  EXPECT_EQ(add(c0), "accepted");
  EXPECT_EQ(add(c5), "accepted");
  EXPECT_EQ(pool->get(tx_hash(first)), nullptr);
  EXPECT_EQ(pool->status(tx_hash(c0)), TxStatus::kPending);
  EXPECT_EQ(pool->status(tx_hash(c5)), TxStatus::kQueued);
  EXPECT_EQ(announced, std::vector<Hash>{tx_hash(c0)});
  EXPECT_EQ(pool->stats().pending, 1u);
  EXPECT_EQ(pool->stats().queued, 1u);
  expect_consistent(*pool);
}

TEST_F(OrderingTest, MagmaReplacesOnlyWithHigherPrice) {
  make_pool(chain_config(0), PoolHead{1, kUnitPrice});
  const Transaction first = legacy(alice, 0, kUnitPrice * uint256(2));
  EXPECT_EQ(add(first), "accepted");
  EXPECT_EQ(add(legacy(alice, 0, kUnitPrice * uint256(2), 21000, uint256(7))),
            "there is another tx which has the same nonce in the tx pool");
  EXPECT_EQ(add(legacy(alice, 0, kUnitPrice)), "there is another tx which has the same nonce in the tx pool");
  const Transaction better = legacy(alice, 0, kUnitPrice * uint256(2) + uint256(1));
  EXPECT_EQ(add(better), "accepted");
  EXPECT_EQ(pool->get(tx_hash(first)), nullptr);
  ASSERT_NE(pool->get(tx_hash(better)), nullptr);
  EXPECT_EQ(pool->stats().pending, 1u);
  EXPECT_EQ(pool->stats().slots, 1u);
  // Queued: same rule.
  EXPECT_EQ(add(legacy(alice, 3, kUnitPrice)), "accepted");
  EXPECT_EQ(add(legacy(alice, 3, kUnitPrice, 21000, uint256(3))),
            "there is another tx which has the same nonce in the tx pool");
  EXPECT_EQ(add(legacy(alice, 3, kUnitPrice + uint256(1))), "accepted");
  EXPECT_EQ(pool->stats().queued, 1u);
  expect_consistent(*pool);
}

TEST_F(OrderingTest, ReplacementThatCannotPayIsRefused) {
  const PrivateKey poor = key(20);
  state->fund(poor.address(), kUnitPrice * uint256(100000));
  EXPECT_EQ(add(legacy(poor, 0)), "accepted");
  Transaction c = cancel(poor, 0);
  c.gas = 200000;
  sign_sender(c, poor);
  EXPECT_EQ(add(c), "insufficient funds for gas * price + value");
  EXPECT_EQ(pool->stats().pending, 1u);
}

}  // namespace
}  // namespace klay::txpool::test
