// The block reward paid at the end of every block (reference: reward/
// reward_distributor.go CalcDeferredRewardSimple / CalcDeferredReward, called
// from the Istanbul engine's Finalize).
//
// Inputs from the genesis config (this node has no governance voting):
// reward.mintingAmount (absent: 0), reward.deferredTxFee, reward.ratio,
// reward.kip82ratio, unitPrice, istanbul.policy.
//   total fee = gas used × (base fee from Magma on, else unitPrice)
// Simple policies (round robin, sticky):
//   not deferred and Magma: rewardbase += minted
//   otherwise:              rewardbase += minted + fee (half of the fee from
//                           Magma on). Before Magma this pays the fee even
//                           when not deferred, as the reference does (its
//                           klaytn#1692 behaviour, kept for compatibility).
// Weighted random: the reference splits minted + fee between the proposer,
// stakers (by stake), KFF and KCF using staking information read from the
// AddressBook contract. This node has no EVM and so no staking information;
// the reference then gives every share to the proposer, which this does:
//   rewardbase += minted + fee, where fee is 0 when not deferred, halved from
//   Magma on, and from Kore on further reduced by the proposer's KIP-82 share
//   of the CN part of minted (burnt).
// Not implemented: KIP-103/KIP-160 treasury rebalancing and the Randao
// registry installation at their fork blocks.
//
// Pure and thread-safe except apply_block_reward (which mutates the StateDB).
#pragma once

#include <cstdint>

#include "engine/core/status.h"
#include "engine/core/uint256.h"
#include "engine/state/state_db.h"
#include "node/execution/block_env.h"

namespace klay::execution {

struct RewardSpec {
  uint256 minted;     // newly minted
  uint256 total_fee;  // fee counted in this reward (0 when already paid during execution)
  uint256 burnt_fee;
  uint256 proposer;   // paid to env.rewardbase: minted + total_fee - burnt_fee
};

// InvalidArgument for a malformed ratio / kip82ratio, or Magma without a base fee.
// REQUIRES: env.config != nullptr.
Result<RewardSpec> block_reward(const BlockEnv& env, uint64_t gas_used);

// Adds block_reward(env, gas_used).proposer to env.rewardbase (not finalised).
Result<RewardSpec> apply_block_reward(state::StateDB& state, const BlockEnv& env, uint64_t gas_used);

}  // namespace klay::execution
