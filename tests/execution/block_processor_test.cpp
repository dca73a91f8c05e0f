// Block processing: parallel recovery, 1000 random transfers against an
// independent balance model and against one-by-one application, error
// reporting and the reward at the end.
#include "node/execution/block_processor.h"

#include <map>
#include <random>

#include "tests/execution/exec_test_util.h"

namespace klay::execution {
namespace {

using test::addr;
using test::key;
using test::must;

struct BlockProcessorTest : test::StateFixture {
  std::vector<PrivateKey> senders;
  std::map<Address, uint256> model;  // expected balances
  static constexpr uint64_t kFunds = 1'000'000'000'000;

  void SetUp() override {
    StateFixture::SetUp();
    cfg.governance = GovernanceConfig{};
    cfg.governance->reward = RewardConfig{};
    cfg.governance->reward->minting_amount = uint256(9'600'000'000ULL);
    for (uint64_t i = 1; i <= 50; ++i) {
      senders.push_back(key(i));
      fund(senders.back().address(), kFunds);
      model[senders.back().address()] = uint256(kFunds);
    }
  }

  // 1000 transfers of mixed types among senders and fresh addresses.
  std::vector<Transaction> random_block(uint32_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<uint64_t> nonces(senders.size(), 0);
    std::vector<Transaction> txns;
    for (int i = 0; i < 1000; ++i) {
      const size_t s = rng() % senders.size();
      const Address to = rng() % 2 ? senders[rng() % senders.size()].address() : addr(1000 + rng() % 300);
      const uint64_t value = rng() % 1'000'000;
      const uint64_t price = 25 + rng() % 3;
      Transaction t;
      switch (rng() % 3) {
        case 0:
          t = test::value_transfer(senders[s], to, value, nonces[s], 21000 + rng() % 5000, price);
          break;
        case 1:
          t = test::klaytn_tx(TxType::kValueTransferMemo, senders[s].address(), nonces[s], 30000, price);
          t.to = to;
          t.value = uint256(value);
          t.data = Bytes(rng() % 20, 0x5a);
          test::sign(t, {senders[s]});
          break;
        default:
          t.type = TxType::kLegacy;
          t.nonce = nonces[s];
          t.gas = 21000;
          t.gas_price = uint256(price);
          t.to = to;
          t.value = uint256(value);
          test::sign(t, {senders[s]});
          break;
      }
      ++nonces[s];
      // The model: value moves, the fee (intrinsic gas × price) goes to the rewardbase.
      const uint64_t gas = 21000 + (t.type == TxType::kValueTransferMemo ? 100 * t.data.size() : 0);
      model[senders[s].address()] -= uint256(value + gas * price);
      model[to] += uint256(value);
      model[env.rewardbase] += uint256(gas * price);
      txns.push_back(std::move(t));
    }
    return txns;
  }
};

TEST_F(BlockProcessorTest, ParallelRecoveryEqualsSequential) {
  const auto txns = random_block(7);
  auto parallel = must(recover_senders(txns, uint256(test::kChainId)));
  ASSERT_EQ(parallel.size(), txns.size());
  for (size_t i = 0; i < txns.size(); ++i) {
    auto one = must(recover_tx(txns[i], uint256(test::kChainId)));
    EXPECT_EQ(parallel[i].sender, one.sender) << i;
    EXPECT_EQ(parallel[i].sender_keys, one.sender_keys) << i;
    EXPECT_EQ(parallel[i].sender, must(tx_sender(txns[i], uint256(test::kChainId)))) << i;
  }
  auto addrs = must(recover_sender_addresses(txns, uint256(test::kChainId)));
  EXPECT_EQ(addrs[10], parallel[10].sender);
}

TEST_F(BlockProcessorTest, RecoveryFailureNamesTheFirstBadTransaction) {
  auto txns = random_block(8);
  txns[500].signatures[0].s = secp256k1_order() - uint256(1);  // high s
  txns[700].signatures[0].s = secp256k1_order() - uint256(1);
  auto r = recover_senders(txns, uint256(test::kChainId));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message().rfind("transaction 500 (" + tx_hash(txns[500]).hex() + "): ", 0), 0u)
      << r.status().message();
}

TEST_F(BlockProcessorTest, ThousandTransfersMatchModelAndSequentialApplication) {
  const auto txns = random_block(9);
  auto recovered = must(recover_senders(txns, uint256(test::kChainId)));

  // A second state, built identically, applied one by one.
  trie::MemoryNodeStore nodes2;
  state::MemoryCodeStore codes2;
  auto st2 = must(state::StateDB::open(&nodes2, &codes2, empty_root().view()));
  for (const auto& s : senders) ASSERT_OK(st2.add_balance(s.address(), uint256(kFunds)));
  ASSERT_OK(st2.finalise());

  auto block = must(process_block(*st, env, txns, recovered));
  ASSERT_EQ(block.receipts.size(), txns.size());

  uint64_t gas = 0;
  for (size_t i = 0; i < txns.size(); ++i) {
    auto r = must(apply_transaction(st2, env, txns[i], recovered[i].sender, gas));
    EXPECT_EQ(r, block.receipts[i]) << i;
    gas += r.gas_used;
  }
  EXPECT_EQ(gas, block.gas_used);
  auto reward = must(apply_block_reward(st2, env, gas));
  ASSERT_OK(st2.finalise());
  EXPECT_EQ(must(st->intermediate_root()), must(st2.intermediate_root()));

  // Minted amount plus (pre-Magma, simple policy) the unit-price fee again, as the reference pays it.
  EXPECT_EQ(reward.minted, uint256(9'600'000'000ULL));
  EXPECT_EQ(reward.proposer, uint256(9'600'000'000ULL) + uint256(block.gas_used) * uint256(25));
  model[env.rewardbase] += reward.proposer;
  for (const auto& [a, expected] : model) EXPECT_EQ(must(st->balance(a)), expected) << a.hex();
}

TEST_F(BlockProcessorTest, NonIncludableTransactionFailsTheBlock) {
  auto txns = random_block(10);
  // Make transaction 321 a replay of 320's sender nonce.
  const Address from = must(tx_sender(txns[321], uint256(test::kChainId)));
  size_t earlier = 0;
  for (size_t i = 0; i < 321; ++i)
    if (must(tx_sender(txns[i], uint256(test::kChainId))) == from) earlier = i;
  txns[321] = txns[earlier];
  auto recovered = must(recover_senders(txns, uint256(test::kChainId)));
  auto r = process_block(*st, env, txns, recovered);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message().rfind("transaction 321 (" + tx_hash(txns[321]).hex() + "): nonce too low", 0), 0u)
      << r.status().message();
  EXPECT_FALSE(process_block(*st, env, txns, std::span<const RecoveredTx>(recovered).subspan(1)));
}

TEST_F(BlockProcessorTest, EmptyBlockPaysOnlyTheReward) {
  auto block = must(process_block(*st, env, {}, {}));
  EXPECT_EQ(block.gas_used, 0u);
  EXPECT_TRUE(block.receipts.empty());
  EXPECT_EQ(balance(env.rewardbase), uint256(9'600'000'000ULL));
}

}  // namespace
}  // namespace klay::execution
