// Head changes: remove_included, reset (stale nonces, re-checked balances
// and keys, base fee demotion), drop, and an unreadable state.
#include "tests/txpool/pool_test_util.h"

namespace klay::txpool::test {
namespace {

struct HeadTest : PoolTest {
  // A copy of the current state for the next head, edited by `edit`.
  template <typename F>
  void new_head(uint64_t block_num, F edit, std::optional<uint256> base_fee = std::nullopt) {
    auto next = std::make_unique<FakeState>(*state);
    edit(*next);
    state = next.get();
    pool->reset(std::move(next), PoolHead{block_num, base_fee});
  }
  std::vector<uint64_t> nonces(bool pending, const Address& a) {
    auto c = pool->content();
    auto& m = pending ? c.pending : c.queued;
    std::vector<uint64_t> out;
    if (auto it = m.find(a); it != m.end())
      for (const auto& t : it->second) out.push_back(t->nonce());
    return out;
  }
};

TEST_F(HeadTest, RemoveIncludedDropsIncludedAndStaleNonces) {
  for (uint64_t n = 0; n < 4; ++n) EXPECT_EQ(add(legacy(alice, n)), "accepted");
  EXPECT_EQ(add(value_transfer(bob, 0)), "accepted");
  EXPECT_EQ(add(value_transfer(bob, 2)), "accepted");  // queued
  // The block holds alice 0..1 and a bob nonce-1 tx the pool never saw.
  const std::vector<Transaction> block = {legacy(alice, 0), legacy(alice, 1), value_transfer(bob, 0),
                                          value_transfer(bob, 1, uint256(9))};
  std::vector<uint64_t> announced;
  pool->on_new_pending([&](const std::vector<PooledTxRef>& txs) {
    for (const auto& t : txs) announced.push_back(t->nonce());
  });
  pool->remove_included(block);
  EXPECT_EQ(nonces(true, alice.address()), (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(nonces(true, bob.address()), (std::vector<uint64_t>{2}));  // promoted: its gap was filled on chain
  EXPECT_EQ(announced, std::vector<uint64_t>{2});
  EXPECT_EQ(pool->get(tx_hash(legacy(alice, 0))), nullptr);
  EXPECT_EQ(*pool->pending_nonce(alice.address()), 4u);
  // Until the next reset the included nonces count as used.
  EXPECT_EQ(add(legacy(alice, 1, kUnitPrice, 21000, uint256(3))), "nonce too low");
  expect_consistent(*pool);
}

TEST_F(HeadTest, RemoveIncludedWithGivenSenders) {
  EXPECT_EQ(add(legacy(alice, 0)), "accepted");
  EXPECT_EQ(add(legacy(alice, 1)), "accepted");
  const std::vector<Transaction> block = {legacy(alice, 0)};
  const std::vector<Address> senders = {alice.address()};
  pool->remove_included(block, senders);
  EXPECT_EQ(nonces(true, alice.address()), std::vector<uint64_t>{1});
}

TEST_F(HeadTest, ResetDropsStaleAndRechecksFunds) {
  for (uint64_t n = 0; n < 4; ++n) EXPECT_EQ(add(legacy(alice, n, kUnitPrice, 21000, uint256(1000))), "accepted");
  EXPECT_EQ(add(legacy(bob, 0)), "accepted");
  EXPECT_EQ(add(legacy(bob, 1)), "accepted");
  EXPECT_EQ(add(legacy(carol, 3)), "accepted");  // queued, waits for 1 and 2
  // New head: alice's 0 and 1 were mined; bob spent nearly everything.
  const uint256 one_tx = kUnitPrice * uint256(21000) + uint256(1);
  new_head(1, [&](FakeState& s) {
    s.accounts[alice.address()].nonce = 2;
    s.accounts[bob.address()].balance = one_tx - uint256(1);
    s.accounts[carol.address()].nonce = 3;
  });
  EXPECT_EQ(nonces(true, alice.address()), (std::vector<uint64_t>{2, 3}));
  EXPECT_TRUE(nonces(true, bob.address()).empty());  // both unaffordable now
  EXPECT_TRUE(nonces(false, bob.address()).empty());
  EXPECT_EQ(nonces(true, carol.address()), std::vector<uint64_t>{3});  // promoted by the new nonce
  expect_consistent(*pool);
  // The included_nonce floor is gone after a reset: the state decides again.
  EXPECT_EQ(add(legacy(alice, 1)), "nonce too low");
}

TEST_F(HeadTest, ResetDemotesSuccessorsOfAnInvalidatedTransaction) {
  const PrivateKey dave = key(4);
  state->fund(dave.address(), kRich);
  for (uint64_t n = 0; n < 3; ++n) EXPECT_EQ(add(legacy(dave, n)), "accepted");
  // dave's key becomes a public key: its legacy txs can no longer execute.
  new_head(1, [&](FakeState& s) { s.accounts[dave.address()].key = AccountKey::public_key(carol.public_key()); });
  EXPECT_EQ(pool->stats().pending, 0u);
  EXPECT_EQ(pool->stats().queued, 0u);

  // Funds: a value larger than the new balance invalidates nonce 1 only; 2 goes back to the queue.
  for (uint64_t n = 0; n < 3; ++n)
    EXPECT_EQ(add(legacy(alice, n, kUnitPrice, 21000, n == 1 ? uint256(10'000) : uint256(1))), "accepted");
  new_head(2, [&](FakeState& s) { s.accounts[alice.address()].balance = kUnitPrice * uint256(21000) + uint256(100); });
  EXPECT_EQ(nonces(true, alice.address()), std::vector<uint64_t>{0});
  EXPECT_EQ(nonces(false, alice.address()), std::vector<uint64_t>{2});
  // Refilling nonce 1 promotes 2 again.
  EXPECT_EQ(add(legacy(alice, 1, kUnitPrice, 21000, uint256(2))), "accepted");
  EXPECT_EQ(nonces(true, alice.address()), (std::vector<uint64_t>{0, 1, 2}));
  expect_consistent(*pool);
}

TEST_F(HeadTest, ResetRechecksRecipients) {
  EXPECT_EQ(add(value_transfer(alice, 0, uint256(1), nullptr, 0, kUnitPrice, 100000, addr(9))), "accepted");
  EXPECT_EQ(add(legacy(bob, 0, kUnitPrice, 21000, uint256(1), addr(9))), "accepted");
  // addr(9) became a contract.
  new_head(1, [&](FakeState& s) {
    s.accounts[addr(9)].program_account = true;
    s.accounts[addr(9)].has_code = true;
  });
  EXPECT_EQ(pool->stats().pending, 0u);
}

TEST_F(HeadTest, MagmaBaseFeeRiseDemotesCheapTransactions) {
  make_pool(chain_config(0), PoolHead{1, kUnitPrice});
  const uint256 p = kUnitPrice;
  EXPECT_EQ(add(legacy(alice, 0, p * uint256(3))), "accepted");
  EXPECT_EQ(add(legacy(alice, 1, p)), "accepted");
  EXPECT_EQ(add(legacy(alice, 2, p * uint256(3))), "accepted");
  new_head(2, [](FakeState&) {}, p * uint256(2));
  EXPECT_EQ(nonces(true, alice.address()), std::vector<uint64_t>{0});
  EXPECT_EQ(nonces(false, alice.address()), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(pool->gas_price(), p * uint256(2));
  // New txs must meet the new base fee; a pricier replacement of 1 promotes 1 and 2.
  EXPECT_EQ(add(legacy(alice, 3, p)), "invalid gas price. It must be set to value greater than or equal to baseFee");
  EXPECT_EQ(add(legacy(alice, 1, p * uint256(2))), "accepted");
  EXPECT_EQ(nonces(true, alice.address()), (std::vector<uint64_t>{0, 1, 2}));
  // The base fee falls back: everything stays pending.
  new_head(3, [](FakeState&) {}, p);
  EXPECT_EQ(pool->stats().pending, 3u);
  expect_consistent(*pool);
}

TEST_F(HeadTest, DropMovesSuccessorsToTheQueue) {
  for (uint64_t n = 0; n < 3; ++n) EXPECT_EQ(add(legacy(alice, n)), "accepted");
  EXPECT_TRUE(pool->drop(tx_hash(legacy(alice, 1))));
  EXPECT_FALSE(pool->drop(tx_hash(legacy(alice, 1))));
  EXPECT_EQ(nonces(true, alice.address()), std::vector<uint64_t>{0});
  EXPECT_EQ(nonces(false, alice.address()), std::vector<uint64_t>{2});
  EXPECT_TRUE(pool->drop(tx_hash(legacy(alice, 2))));
  EXPECT_EQ(pool->stats().queued, 0u);
  expect_consistent(*pool);
}

TEST_F(HeadTest, UnreadableStateKeepsTransactions) {
  for (uint64_t n = 0; n < 2; ++n) EXPECT_EQ(add(legacy(alice, n)), "accepted");
  EXPECT_EQ(add(legacy(bob, 3)), "accepted");
  new_head(1, [](FakeState& s) { s.unreadable = true; });
  EXPECT_EQ(pool->stats().pending, 2u);
  EXPECT_EQ(pool->stats().queued, 1u);
  EXPECT_EQ(*pool->pending_nonce(alice.address()), 2u);  // from the pending run
  EXPECT_FALSE(pool->pending_nonce(carol.address()));     // needs the state
  new_head(2, [](FakeState& s) { s.unreadable = false; });
  EXPECT_EQ(pool->stats().pending, 2u);
}

}  // namespace
}  // namespace klay::txpool::test
