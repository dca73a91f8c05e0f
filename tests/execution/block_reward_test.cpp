// The block reward under each policy, fork and fee mode.
#include "node/execution/block_reward.h"

#include "tests/execution/exec_test_util.h"

namespace klay::execution {
namespace {

using test::must;

struct RewardCase {
  ChainConfig cfg;
  BlockEnv env;
  RewardCase(bool magma, bool kore, bool deferred, uint64_t policy) : cfg(test::config(magma, kore)) {
    cfg.istanbul->policy = policy;
    cfg.governance = GovernanceConfig{};
    cfg.governance->reward = RewardConfig{};
    cfg.governance->reward->minting_amount = uint256(1000);
    cfg.governance->reward->deferred_tx_fee = deferred;
    cfg.governance->reward->ratio = "50/40/10";
    cfg.governance->reward->kip82_ratio = "20/80";
    env = test::env_for(cfg);
    if (magma) env.base_fee = uint256(25);
  }
  RewardSpec reward(uint64_t gas_used = 10) { return must(block_reward(env, gas_used)); }
};

TEST(BlockReward, SimplePolicy) {
  // Before Magma the fee (gas used × unitPrice 25) is paid whatever deferredTxFee says.
  EXPECT_EQ(RewardCase(false, false, false, 0).reward().proposer, uint256(1250));
  EXPECT_EQ(RewardCase(false, false, true, 1).reward().proposer, uint256(1250));
  // From Magma on, non-deferred fees were paid during execution: minted only.
  auto r = RewardCase(true, false, false, 0).reward();
  EXPECT_EQ(r.proposer, uint256(1000));
  EXPECT_EQ(r.total_fee, uint256(0));
  // Deferred with Magma: half of 250 burnt (rounded down), the rest paid.
  r = RewardCase(true, false, true, 0).reward();
  EXPECT_EQ(r.total_fee, uint256(250));
  EXPECT_EQ(r.burnt_fee, uint256(125));
  EXPECT_EQ(r.proposer, uint256(1125));
  r = RewardCase(true, false, true, 0).reward(11);  // 275: burn 137, pay 138
  EXPECT_EQ(r.proposer, uint256(1138));
}

TEST(BlockReward, WeightedRandomWithoutStakingInformation) {
  EXPECT_EQ(RewardCase(false, false, false, 2).reward().proposer, uint256(1000));  // fees not deferred: none here
  EXPECT_EQ(RewardCase(false, false, true, 2).reward().proposer, uint256(1250));
  EXPECT_EQ(RewardCase(true, false, true, 2).reward().proposer, uint256(1125));
  // Kore: also burn up to the proposer's share of the CN part of minted:
  // cn = 1000 × 50/100 = 500, proposer share = 500 × 20/100 = 100 → burn min(125, 100).
  auto r = RewardCase(true, true, true, 2).reward();
  EXPECT_EQ(r.burnt_fee, uint256(225));
  EXPECT_EQ(r.proposer, uint256(1025));
  // A small fee is burnt entirely.
  r = RewardCase(true, true, true, 2).reward(4);  // 100 → 50 after Magma, all burnt
  EXPECT_EQ(r.proposer, uint256(1000));
}

TEST(BlockReward, ErrorsAndApplication) {
  RewardCase bad(true, false, true, 0);
  bad.env.base_fee.reset();
  EXPECT_FALSE(block_reward(bad.env, 1));
  RewardCase ratio(false, false, false, 0);
  ratio.cfg.governance->reward->ratio = "1/2";
  EXPECT_FALSE(block_reward(ratio.env, 1));
  ratio.cfg.governance->reward->ratio = "34/54/x";
  EXPECT_FALSE(block_reward(ratio.env, 1));
  ChainConfig bare = test::config();
  BlockEnv e = test::env_for(bare);
  EXPECT_EQ(must(block_reward(e, 10)).proposer, uint256(250));  // no minting configured

  trie::MemoryNodeStore nodes;
  auto st = must(state::StateDB::open(&nodes, nullptr, empty_root().view()));
  RewardCase ok(false, false, false, 0);
  must(apply_block_reward(st, ok.env, 10));
  EXPECT_EQ(must(st.balance(ok.env.rewardbase)), uint256(1250));
}

}  // namespace
}  // namespace klay::execution
