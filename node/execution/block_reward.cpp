#include "node/execution/block_reward.h"

#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "node/execution/fork_rules.h"
#include "node/execution/state_transition.h"

namespace klay::execution {

namespace {

constexpr uint64_t kWeightedRandomPolicy = 2;  // istanbul.policy: 0 round robin, 1 sticky, 2 weighted random
constexpr std::string_view kDefaultRatio = "100/0/0";
constexpr std::string_view kDefaultKip82Ratio = "20/80";

// Parses "a/b/..." into exactly `n` non-negative integers.
Result<std::vector<uint64_t>> parse_ratio(std::string_view text, size_t n, const char* what) {
  std::vector<uint64_t> parts;
  size_t start = 0;
  while (true) {
    const size_t slash = text.find('/', start);
    const std::string_view piece = text.substr(start, slash == std::string_view::npos ? slash : slash - start);
    uint64_t v = 0;
    auto [ptr, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), v);
    if (piece.empty() || ec != std::errc() || ptr != piece.data() + piece.size())
      return Status::invalid_argument(std::string("invalid ") + what + " \"" + std::string(text) + "\"");
    parts.push_back(v);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() != n)
    return Status::invalid_argument(std::string("invalid ") + what + " \"" + std::string(text) + "\": expected " +
                                    std::to_string(n) + " parts");
  return parts;
}

// The proposer's KIP-82 share of the CN part of `minted` (reference:
// getBurnAmountKore's bound).
Result<uint256> kore_proposer_share(const RewardConfig* reward, const uint256& minted) {
  const std::string_view ratio = reward && !reward->ratio.empty() ? std::string_view(reward->ratio) : kDefaultRatio;
  const std::string_view kip82 =
      reward && !reward->kip82_ratio.empty() ? std::string_view(reward->kip82_ratio) : kDefaultKip82Ratio;
  auto r = parse_ratio(ratio, 3, "reward ratio");
  if (!r) return r.status();
  auto k = parse_ratio(kip82, 2, "kip82 ratio");
  if (!k) return k.status();
  const uint64_t total = (*r)[0] + (*r)[1] + (*r)[2];
  const uint64_t kip82_total = (*k)[0] + (*k)[1];
  if (total == 0 || kip82_total == 0) return Status::invalid_argument("reward ratios must not sum to zero");
  const uint256 cn = divmod(minted * uint256((*r)[0]), uint256(total)).quot;
  return divmod(cn * uint256((*k)[0]), uint256(kip82_total)).quot;
}

}  // namespace

Result<RewardSpec> block_reward(const BlockEnv& env, uint64_t gas_used) {
  const ChainConfig& config = *env.config;
  const ForkRules rules = rules_at(config, env.block_num);
  const RewardConfig* reward =
      config.governance && config.governance->reward ? &*config.governance->reward : nullptr;
  const bool deferred = fees_deferred(config);
  const uint64_t policy = config.istanbul ? config.istanbul->policy : 0;

  if (rules.magma && !env.base_fee) return Status::invalid_argument("a Magma block must have a base fee");
  // Validate the ratios as the reference's NewRewardConfig does for every block.
  if (reward && !reward->ratio.empty())
    if (auto r = parse_ratio(reward->ratio, 3, "reward ratio"); !r) return r.status();

  RewardSpec spec;
  spec.minted = reward && reward->minting_amount ? *reward->minting_amount : uint256(0);
  const uint256 unit_price = rules.magma ? *env.base_fee : uint256(config.unit_price);
  const uint256 total_fee = uint256(gas_used) * unit_price;

  if (policy != kWeightedRandomPolicy) {
    if (!(!deferred && rules.magma)) {
      spec.total_fee = total_fee;
      if (rules.magma) spec.burnt_fee = total_fee >> 1;
    }
  } else if (deferred) {
    spec.total_fee = total_fee;
    uint256 reward_fee = total_fee;
    if (rules.magma) {
      spec.burnt_fee = total_fee >> 1;
      reward_fee -= spec.burnt_fee;
    }
    if (rules.kore) {
      auto bound = kore_proposer_share(reward, spec.minted);
      if (!bound) return bound.status();
      const uint256 burn = reward_fee >= *bound ? *bound : reward_fee;
      spec.burnt_fee += burn;
    }
  }
  spec.proposer = spec.minted + spec.total_fee - spec.burnt_fee;
  return spec;
}

Result<RewardSpec> apply_block_reward(state::StateDB& state, const BlockEnv& env, uint64_t gas_used) {
  auto spec = block_reward(env, gas_used);
  if (!spec) return spec;
  if (auto s = state.add_balance(env.rewardbase, spec->proposer); !s) return s;
  return spec;
}

}  // namespace klay::execution
