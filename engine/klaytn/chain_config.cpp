#include "engine/klaytn/chain_config.h"

#include <map>
#include <variant>

#include <nlohmann/json.hpp>

#include "engine/core/rlp.h"
#include "engine/klaytn/json_util.h"

namespace klay {

using nlohmann::json;

namespace {

// Protocol defaults (reference: params/governance_params.go).
constexpr uint64_t kDefaultEpoch = 604800;
constexpr uint64_t kDefaultProposerPolicy = 0;  // round robin
constexpr uint64_t kDefaultSubGroupSize = 21;
constexpr uint64_t kDefaultStakeUpdateInterval = 86400;
constexpr uint64_t kDefaultProposerRefreshInterval = 3600;
constexpr uint64_t kDefaultMinimumStake = 2000000;
constexpr const char* kDefaultGovernanceMode = "none";
constexpr const char* kDefaultRatio = "100/0/0";

template <typename T, typename F>
Status read_opt(const json& obj, const char* key, F&& reader, T& out) {
  const json* v = json_field(obj, key);
  if (!v) return Status::ok();
  auto r = reader(*v, key);
  if (!r) return r.status();
  out = std::move(*r);
  return Status::ok();
}

Status read_big(const json& obj, const char* key, std::optional<uint256>& out) {
  const json* v = json_field(obj, key);
  if (!v) return Status::ok();
  auto r = json_uint256(*v, key);
  if (!r) return r.status();
  out = *r;
  return Status::ok();
}

#define KLAY_TRY(expr)                  \
  do {                                  \
    if (auto _s = (expr); !_s) return _s; \
  } while (0)

Result<RewardConfig> parse_reward(const json& obj) {
  if (!obj.is_object()) return Status::invalid_argument("config.governance.reward: expected an object");
  RewardConfig r;
  KLAY_TRY(read_big(obj, "mintingAmount", r.minting_amount));
  KLAY_TRY(read_opt(obj, "ratio", json_string, r.ratio));
  KLAY_TRY(read_opt(obj, "kip82ratio", json_string, r.kip82_ratio));
  KLAY_TRY(read_opt(obj, "useGiniCoeff", json_bool, r.use_gini_coeff));
  KLAY_TRY(read_opt(obj, "deferredTxFee", json_bool, r.deferred_tx_fee));
  KLAY_TRY(read_opt(obj, "stakingUpdateInterval", json_uint64, r.staking_update_interval));
  KLAY_TRY(read_opt(obj, "proposerUpdateInterval", json_uint64, r.proposer_update_interval));
  KLAY_TRY(read_big(obj, "minimumStake", r.minimum_stake));
  return r;
}

Result<Kip71Config> parse_kip71(const json& obj) {
  if (!obj.is_object()) return Status::invalid_argument("config.governance.kip71: expected an object");
  Kip71Config k;
  KLAY_TRY(read_opt(obj, "lowerboundbasefee", json_uint64, k.lower_bound_base_fee));
  KLAY_TRY(read_opt(obj, "upperboundbasefee", json_uint64, k.upper_bound_base_fee));
  KLAY_TRY(read_opt(obj, "gastarget", json_uint64, k.gas_target));
  KLAY_TRY(read_opt(obj, "maxblockgasusedforbasefee", json_uint64, k.max_block_gas_used_for_base_fee));
  KLAY_TRY(read_opt(obj, "basefeedenominator", json_uint64, k.base_fee_denominator));
  return k;
}

Result<GovernanceConfig> parse_governance(const json& obj) {
  if (!obj.is_object()) return Status::invalid_argument("config.governance: expected an object");
  GovernanceConfig g;
  KLAY_TRY(read_opt(obj, "governingNode", json_address, g.governing_node));
  KLAY_TRY(read_opt(obj, "governanceMode", json_string, g.governance_mode));
  KLAY_TRY(read_opt(obj, "govParamContract", json_address, g.gov_param_contract));
  if (const json* r = json_field(obj, "reward")) {
    auto reward = parse_reward(*r);
    if (!reward) return reward.status();
    g.reward = std::move(*reward);
  }
  if (const json* k = json_field(obj, "kip71")) {
    auto kip71 = parse_kip71(*k);
    if (!kip71) return kip71.status();
    g.kip71 = *kip71;
  }
  return g;
}

// A governance value as Go's json.Marshal writes it.
using GovValue = std::variant<std::string, uint64_t, bool>;

std::string encode_value(const GovValue& v) {
  if (auto s = std::get_if<std::string>(&v)) return go_json_quote(*s);
  if (auto u = std::get_if<uint64_t>(&v)) return std::to_string(*u);
  return std::get<bool>(v) ? "true" : "false";
}

std::string big_string(const std::optional<uint256>& v) {
  return v ? v->to_string() : "<nil>";  // Go's (*big.Int)(nil).String()
}

}  // namespace

Result<ChainConfig> parse_chain_config(const json& obj) {
  if (!obj.is_object()) return Status::invalid_argument("config: expected an object");
  ChainConfig c;
  KLAY_TRY(read_big(obj, "chainId", c.chain_id));
  KLAY_TRY(read_big(obj, "istanbulCompatibleBlock", c.istanbul_compatible_block));
  KLAY_TRY(read_big(obj, "londonCompatibleBlock", c.london_compatible_block));
  KLAY_TRY(read_big(obj, "ethTxTypeCompatibleBlock", c.eth_tx_type_compatible_block));
  KLAY_TRY(read_big(obj, "magmaCompatibleBlock", c.magma_compatible_block));
  KLAY_TRY(read_big(obj, "koreCompatibleBlock", c.kore_compatible_block));
  KLAY_TRY(read_big(obj, "shanghaiCompatibleBlock", c.shanghai_compatible_block));
  KLAY_TRY(read_big(obj, "cancunCompatibleBlock", c.cancun_compatible_block));
  KLAY_TRY(read_big(obj, "dragonCompatibleBlock", c.dragon_compatible_block));
  KLAY_TRY(read_big(obj, "randaoCompatibleBlock", c.randao_compatible_block));
  if (const json* ist = json_field(obj, "istanbul")) {
    if (!ist->is_object()) return Status::invalid_argument("config.istanbul: expected an object");
    IstanbulConfig i;
    KLAY_TRY(read_opt(*ist, "epoch", json_uint64, i.epoch));
    KLAY_TRY(read_opt(*ist, "policy", json_uint64, i.policy));
    KLAY_TRY(read_opt(*ist, "sub", json_uint64, i.sub));
    c.istanbul = i;
  }
  if (const json* cl = json_field(obj, "clique")) {
    if (!cl->is_object()) return Status::invalid_argument("config.clique: expected an object");
    CliqueConfig q;
    KLAY_TRY(read_opt(*cl, "period", json_uint64, q.period));
    KLAY_TRY(read_opt(*cl, "epoch", json_uint64, q.epoch));
    c.clique = q;
  }
  KLAY_TRY(read_opt(obj, "unitPrice", json_uint64, c.unit_price));
  if (const json* d = json_field(obj, "deriveShaImpl")) {
    if (!d->is_number_integer()) return Status::invalid_argument("config.deriveShaImpl: expected an integer");
    c.derive_sha_impl = d->get<int64_t>();
  }
  if (const json* g = json_field(obj, "governance")) {
    auto gov = parse_governance(*g);
    if (!gov) return gov.status();
    c.governance = std::move(*gov);
  }
  return c;
}

void set_genesis_defaults(ChainConfig& c) {
  if (!c.clique && !c.istanbul)
    c.istanbul = IstanbulConfig{kDefaultEpoch, kDefaultProposerPolicy, kDefaultSubGroupSize};
  if (!c.governance) {
    GovernanceConfig g;
    g.governance_mode = kDefaultGovernanceMode;
    c.governance = g;
  }
  if (!c.governance->reward) {
    RewardConfig r;
    r.minting_amount = uint256(0);
    r.ratio = kDefaultRatio;
    r.staking_update_interval = kDefaultStakeUpdateInterval;
    r.proposer_update_interval = kDefaultProposerRefreshInterval;
    r.minimum_stake = uint256(kDefaultMinimumStake);
    c.governance->reward = r;
  }
  auto& r = *c.governance->reward;
  if (r.staking_update_interval == 0) r.staking_update_interval = kDefaultStakeUpdateInterval;
  if (r.proposer_update_interval == 0) r.proposer_update_interval = kDefaultProposerRefreshInterval;
}

std::string genesis_governance_json(const ChainConfig& c) {
  std::map<std::string, GovValue> items;  // std::map: sorted like Go's map encoding
  if (c.governance) {
    const auto& g = *c.governance;
    items["governance.governancemode"] = g.governance_mode;
    items["governance.governingnode"] = g.governing_node.hex();
    items["governance.unitprice"] = c.unit_price;
    if (g.reward) {
      const auto& r = *g.reward;
      items["reward.mintingamount"] = big_string(r.minting_amount);
      items["reward.ratio"] = r.ratio;
      items["reward.useginicoeff"] = r.use_gini_coeff;
      items["reward.deferredtxfee"] = r.deferred_tx_fee;
      items["reward.minimumstake"] = big_string(r.minimum_stake);
      items["reward.stakingupdateinterval"] = r.staking_update_interval;
      items["reward.proposerupdateinterval"] = r.proposer_update_interval;
    }
  }
  if (c.istanbul) {
    items["istanbul.epoch"] = c.istanbul->epoch;
    items["istanbul.policy"] = c.istanbul->policy;
    items["istanbul.committeesize"] = c.istanbul->sub;
  }
  if (c.is_magma(0) && c.governance && c.governance->kip71) {
    const auto& k = *c.governance->kip71;
    items["kip71.lowerboundbasefee"] = k.lower_bound_base_fee;
    items["kip71.upperboundbasefee"] = k.upper_bound_base_fee;
    items["kip71.gastarget"] = k.gas_target;
    items["kip71.maxblockgasusedforbasefee"] = k.max_block_gas_used_for_base_fee;
    items["kip71.basefeedenominator"] = k.base_fee_denominator;
  }
  if (c.is_kore(0) && c.governance) {
    items["governance.deriveshaimpl"] = static_cast<uint64_t>(c.derive_sha_impl);
    if (!c.governance->gov_param_contract.is_zero())
      items["governance.govparamcontract"] = c.governance->gov_param_contract.hex();
    if (c.governance->reward && !c.governance->reward->kip82_ratio.empty())
      items["reward.kip82ratio"] = c.governance->reward->kip82_ratio;
  }
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : items) {
    if (!first) out += ',';
    first = false;
    out += go_json_quote(key);
    out += ':';
    out += encode_value(value);
  }
  out += '}';
  return out;
}

Bytes genesis_governance_field(const ChainConfig& c) {
  Bytes out;
  rlp::encode_string(out, as_view(genesis_governance_json(c)));
  return out;
}

}  // namespace klay
