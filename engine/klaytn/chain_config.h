// The chain configuration of a genesis file ("config" object), as the
// reference's params.ChainConfig reads it, plus the genesis governance data.
//
// Absent pointer-typed fields of the reference (forks, governance, reward,
// kip71, istanbul, clique, chainId) are std::optional here, so "missing" and
// "zero" stay distinguishable exactly where the reference distinguishes them.
//
// Value types; thread-safe as values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"

namespace klay {

struct RewardConfig {
  std::optional<uint256> minting_amount;  // "mintingAmount"
  std::string ratio;                      // "ratio", e.g. "34/54/12"
  std::string kip82_ratio;                // "kip82ratio" (Kore)
  bool use_gini_coeff = false;            // "useGiniCoeff"
  bool deferred_tx_fee = false;           // "deferredTxFee"
  uint64_t staking_update_interval = 0;   // "stakingUpdateInterval"
  uint64_t proposer_update_interval = 0;  // "proposerUpdateInterval"
  std::optional<uint256> minimum_stake;   // "minimumStake"
};

struct Kip71Config {
  uint64_t lower_bound_base_fee = 0;
  uint64_t upper_bound_base_fee = 0;
  uint64_t gas_target = 0;
  uint64_t max_block_gas_used_for_base_fee = 0;
  uint64_t base_fee_denominator = 0;
};

struct GovernanceConfig {
  Address governing_node;       // "governingNode"
  std::string governance_mode;  // "governanceMode"
  Address gov_param_contract;   // "govParamContract"
  std::optional<RewardConfig> reward;
  std::optional<Kip71Config> kip71;
};

struct IstanbulConfig {
  uint64_t epoch = 0;   // "epoch"
  uint64_t policy = 0;  // "policy"
  uint64_t sub = 0;     // "sub" (committee size)
};

struct CliqueConfig {
  uint64_t period = 0;
  uint64_t epoch = 0;
};

struct ChainConfig {
  std::optional<uint256> chain_id;
  std::optional<uint256> istanbul_compatible_block;
  std::optional<uint256> london_compatible_block;
  std::optional<uint256> eth_tx_type_compatible_block;
  std::optional<uint256> magma_compatible_block;
  std::optional<uint256> kore_compatible_block;
  std::optional<uint256> shanghai_compatible_block;
  std::optional<uint256> cancun_compatible_block;
  std::optional<uint256> dragon_compatible_block;
  std::optional<uint256> randao_compatible_block;
  std::optional<CliqueConfig> clique;
  std::optional<IstanbulConfig> istanbul;
  uint64_t unit_price = 0;
  int64_t derive_sha_impl = 0;
  std::optional<GovernanceConfig> governance;

  static bool forked(const std::optional<uint256>& fork_block, uint64_t block_num) {
    return fork_block && *fork_block <= uint256(block_num);
  }
  bool is_magma(uint64_t block_num) const { return forked(magma_compatible_block, block_num); }
  bool is_kore(uint64_t block_num) const { return forked(kore_compatible_block, block_num); }
  bool is_randao(uint64_t block_num) const { return forked(randao_compatible_block, block_num); }
};

// Parses a "config" object. Unknown keys are ignored, as in the reference.
Result<ChainConfig> parse_chain_config(const nlohmann::json& config);

// The reference's SetDefaultsForGenesis (used by `ken init`): fills a missing
// Istanbul config (when Clique is absent too), governance, reward and zero
// update intervals with the protocol defaults.
void set_genesis_defaults(ChainConfig& config);

// The governance items effective at genesis, as a Go-style JSON object with
// sorted keys (reference: GetGovernanceItemsFromChainConfig + json.Marshal).
// Includes the base Cypress items when governance/istanbul are set, the
// KIP-71 items when Magma is active at block 0, and the Kore items
// (deriveShaImpl, govParamContract if non-zero, kip82Ratio if set) when Kore
// is active at block 0.
std::string genesis_governance_json(const ChainConfig& config);

// The header's Governance field for a genesis: rlp_string(genesis_governance_json()).
Bytes genesis_governance_field(const ChainConfig& config);

}  // namespace klay
