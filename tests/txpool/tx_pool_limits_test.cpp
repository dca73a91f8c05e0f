// Limits: per-sender and global caps of pending and queued transactions,
// the full-pool rule, and expiry of queued transactions with injected time.
#include "tests/txpool/pool_test_util.h"

namespace klay::txpool::test {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

struct LimitsTest : ::testing::Test {
  FakeClock clock;
  FakeState* state = nullptr;
  std::unique_ptr<TxPool> pool;
  PrivateKey alice = key(1), bob = key(2), carol = key(3), dave = key(4);

  void make_pool(TxPoolConfig config) {
    auto st = std::make_unique<FakeState>();
    state = st.get();
    for (const auto& k : {alice, bob, carol, dave}) state->fund(k.address(), kRich);
    config.now = clock.fn();
    pool = std::make_unique<TxPool>(chain_config(), std::move(config), std::move(st), PoolHead{});
  }
  std::string add(const Transaction& tx) { return reject_reason(pool->add(tx)); }
  size_t count(const std::unordered_map<Address, std::vector<PooledTxRef>, FixedBytesHasher>& m, const Address& a) {
    auto it = m.find(a);
    return it == m.end() ? 0 : it->second.size();
  }
};

TEST_F(LimitsTest, QueuedPerSenderKeepsLowestNonces) {
  TxPoolConfig c;
  c.non_exec_slots_account = 4;
  make_pool(c);
  for (uint64_t n = 15; n >= 10; --n) EXPECT_EQ(add(legacy(alice, n)), "accepted");
  auto content = pool->content();
  ASSERT_EQ(count(content.queued, alice.address()), 4u);
  EXPECT_EQ(content.queued.at(alice.address()).front()->nonce(), 10u);
  EXPECT_EQ(content.queued.at(alice.address()).back()->nonce(), 13u);
  EXPECT_EQ(pool->get(tx_hash(legacy(alice, 15))), nullptr);
  expect_consistent(*pool);
}

TEST_F(LimitsTest, QueuedGlobalCapDropsMostRecentlyActiveSenderFirst) {
  TxPoolConfig c;
  c.non_exec_slots_all = 5;
  make_pool(c);
  for (uint64_t n = 1; n <= 3; ++n) EXPECT_EQ(add(legacy(alice, n)), "accepted");
  clock.advance(seconds(1));
  for (uint64_t n = 1; n <= 2; ++n) EXPECT_EQ(add(legacy(bob, n)), "accepted");
  clock.advance(seconds(1));
  for (uint64_t n = 1; n <= 2; ++n) EXPECT_EQ(add(legacy(carol, n)), "accepted");  // queued would be 7
  EXPECT_EQ(pool->stats().queued, 5u);
  auto content = pool->content();
  EXPECT_EQ(count(content.queued, alice.address()), 3u);
  EXPECT_EQ(count(content.queued, bob.address()), 2u);
  EXPECT_EQ(count(content.queued, carol.address()), 0u);
  expect_consistent(*pool);
}

TEST_F(LimitsTest, PendingGlobalCapTrimsLargestSenders) {
  TxPoolConfig c;
  c.exec_slots_all = 6;
  c.exec_slots_account = 2;
  make_pool(c);
  EXPECT_EQ(add(legacy(carol, 0)), "accepted");
  // Queued behind nonce 0, which a new head then confirms: 9 become pending at once.
  for (uint64_t n = 1; n <= 5; ++n) EXPECT_EQ(add(legacy(alice, n)), "accepted");
  for (uint64_t n = 1; n <= 3; ++n) EXPECT_EQ(add(legacy(bob, n)), "accepted");
  EXPECT_EQ(pool->stats().pending, 1u);
  auto next = std::make_unique<FakeState>(*state);
  next->accounts[alice.address()].nonce = 1;
  next->accounts[bob.address()].nonce = 1;
  state = next.get();
  pool->reset(std::move(next), PoolHead{1});

  auto content = pool->content();
  EXPECT_EQ(pool->stats().pending, 6u);
  EXPECT_EQ(pool->stats().queued, 0u);
  EXPECT_EQ(count(content.pending, carol.address()), 1u);  // at or below the per-sender floor
  EXPECT_EQ(count(content.pending, alice.address()), 3u);  // 5 -> 3
  EXPECT_EQ(count(content.pending, bob.address()), 2u);    // 3 -> 2 (tie with alice, later arrival)
  EXPECT_EQ(content.pending.at(alice.address()).back()->nonce(), 3u);
  EXPECT_EQ(*pool->pending_nonce(alice.address()), 4u);
  expect_consistent(*pool);
  // Sending the trimmed nonce again is accepted, then trimmed again (the
  // reference behaves alike: the cap applies after admission).
  EXPECT_EQ(add(legacy(alice, 4)), "accepted");
  EXPECT_EQ(pool->stats().pending, 6u);
  EXPECT_EQ(pool->get(tx_hash(legacy(alice, 4))), nullptr);
}

TEST_F(LimitsTest, FullPoolAdmitsOnlyMissingNonces) {
  TxPoolConfig c;
  c.exec_slots_all = 2;
  c.exec_slots_account = 1;
  c.non_exec_slots_all = 2;
  c.non_exec_slots_account = 2;
  make_pool(c);
  EXPECT_EQ(add(legacy(alice, 0)), "accepted");
  EXPECT_EQ(add(legacy(alice, 1)), "accepted");
  EXPECT_EQ(add(legacy(bob, 5)), "accepted");
  EXPECT_EQ(add(legacy(bob, 7)), "accepted");
  EXPECT_EQ(pool->stats().slots, 4u);

  EXPECT_EQ(add(legacy(carol, 0)), "txpool is full: 4");
  EXPECT_EQ(add(legacy(alice, 2)), "txpool is full: 4");  // alice has no queue
  EXPECT_EQ(add(legacy(bob, 9)), "txpool is full and the new tx does not have missing nonce: 4");
  EXPECT_EQ(add(cancel(bob, 7)), "txpool is full and the new tx does not have missing nonce: 4");
  EXPECT_EQ(add(legacy(bob, 6)), "accepted");  // fills a gap: bob's highest (7) goes
  EXPECT_EQ(pool->get(tx_hash(legacy(bob, 7))), nullptr);
  EXPECT_EQ(pool->stats().queued, 2u);
  EXPECT_EQ(pool->stats().slots, 4u);
  expect_consistent(*pool);
}

TEST_F(LimitsTest, MultiSlotTransactionsCountBySize) {
  TxPoolConfig c;
  c.exec_slots_all = 2;
  c.non_exec_slots_all = 1;
  make_pool(c);
  Transaction big = legacy(alice, 0);
  big.data = Bytes(kTxSlotSize + 10, 0x01);  // two slots
  big.gas = 10'000'000;
  sign_sender(big, alice);
  EXPECT_EQ(add(big), "accepted");
  EXPECT_EQ(pool->stats().slots, 2u);
  EXPECT_EQ(add(legacy(bob, 0)), "accepted");
  EXPECT_EQ(add(legacy(carol, 0)), "txpool is full: 2");
}

TEST_F(LimitsTest, QueuedExpireAfterLifetime) {
  TxPoolConfig c;
  c.lifetime = minutes(5);
  make_pool(c);
  EXPECT_EQ(add(legacy(alice, 2)), "accepted");  // queued
  EXPECT_EQ(add(legacy(bob, 0)), "accepted");    // pending
  clock.advance(minutes(4));
  EXPECT_EQ(pool->evict_expired(), 0u);
  EXPECT_EQ(pool->stats().queued, 1u);
  clock.advance(minutes(2));
  EXPECT_EQ(pool->evict_expired(), 1u);
  EXPECT_EQ(pool->stats().queued, 0u);
  EXPECT_EQ(pool->stats().pending, 1u);  // pending never expires
  EXPECT_EQ(pool->evict_expired(), 0u);
  expect_consistent(*pool);
}

TEST_F(LimitsTest, PromotionRefreshesActivity) {
  TxPoolConfig c;
  c.lifetime = minutes(5);
  make_pool(c);
  EXPECT_EQ(add(legacy(carol, 1)), "accepted");
  clock.advance(minutes(4));
  EXPECT_EQ(add(legacy(carol, 0)), "accepted");  // promotes 0 and 1: activity now
  EXPECT_EQ(add(legacy(carol, 3)), "accepted");  // queued behind a gap
  clock.advance(minutes(2));                     // 6 minutes after the first, 2 after the promotion
  EXPECT_EQ(pool->evict_expired(), 0u);
  clock.advance(minutes(4));
  EXPECT_EQ(pool->evict_expired(), 1u);
  EXPECT_EQ(pool->stats().pending, 2u);
  EXPECT_EQ(pool->stats().queued, 0u);
}

}  // namespace
}  // namespace klay::txpool::test
