// eth_/klay_ methods that submit or simulate transactions, and fee queries.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "node/api/api.h"
#include "node/api/call_args.h"
#include "node/api/chain_reads.h"
#include "node/api/method_helpers.h"
#include "node/api/rpc_format.h"
#include "node/rpc/hex_codec.h"

namespace klay::api {

namespace {

using nlohmann::json;
using rpc::MethodResult;
using rpc::ParamList;
using rpc::RpcError;

// Blocks eth_feeHistory reports at most (as geth's default maxFeeHistory).
constexpr uint64_t kMaxFeeHistory = 1024;

uint64_t parse_block_count(const json& v) {
  // geth accepts a JSON number or a hex QUANTITY.
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  auto q = rpc::parse_quantity_u64(v);
  if (!q) throw rpc::RpcException(rpc::with_arg_index(0, q.error()));
  return q.value();
}

// The denominator of gasUsedRatio: KIP-71's max block gas used for the base
// fee when configured, else the reported block gas limit.
uint64_t gas_ratio_denominator(const ChainConfig& config) {
  if (config.governance && config.governance->kip71 && config.governance->kip71->max_block_gas_used_for_base_fee)
    return config.governance->kip71->max_block_gas_used_for_base_fee;
  return kReportedBlockGasLimit;
}

// The tip each transaction paid above the base fee, weighted by gas, at the
// given percentiles (geth's algorithm: sort by tip, walk cumulative gas).
json percentile_rewards(const Block& block, const std::vector<Receipt>& receipts, const std::vector<double>& pcts) {
  json out = json::array();
  const uint256 base = block.header.base_fee.value_or(uint256());
  std::vector<std::pair<uint256, uint64_t>> tips;  // tip, gas used
  for (size_t i = 0; i < block.transactions.size() && i < receipts.size(); ++i) {
    const Transaction& tx = block.transactions[i];
    const uint256 paid = reported_gas_price(tx, TxLocation{{}, 0, 0, block.header.base_fee});
    tips.emplace_back(paid > base ? paid - base : uint256(), receipts[i].gas_used);
  }
  std::sort(tips.begin(), tips.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  uint64_t total = 0;
  for (const auto& t : tips) total += t.second;
  for (double p : pcts) {
    if (tips.empty()) {
      out.push_back("0x0");
      continue;
    }
    const double threshold = static_cast<double>(total) * p / 100.0;
    uint64_t sum = 0;
    size_t idx = 0;
    for (; idx < tips.size(); ++idx) {
      sum += tips[idx].second;
      if (static_cast<double>(sum) >= threshold) break;
    }
    out.push_back(rpc::encode_quantity(tips[std::min(idx, tips.size() - 1)].first));
  }
  return out;
}

MethodResult fee_history(const chain::BlockChain& chain, const json& params) {
  auto args = ParamList::from(params, 2, 3).value_or_throw();
  uint64_t count = std::min(parse_block_count(args.raw(0)), kMaxFeeHistory);
  const rpc::BlockTag newest_tag = args.block_tag(1).value_or_throw();
  std::vector<double> pcts;
  if (args.has(2)) {
    const json& p = args.raw(2);
    if (!p.is_array()) return RpcError::invalid_params("invalid argument 2: expected an array of percentiles");
    for (const json& v : p) {
      if (!v.is_number()) return RpcError::invalid_params("invalid argument 2: percentiles must be numbers");
      const double d = v.get<double>();
      if (d < 0 || d > 100 || (!pcts.empty() && d < pcts.back()))
        return RpcError::invalid_params("invalid argument 2: invalid reward percentile " + v.dump());
      pcts.push_back(d);
    }
  }
  const uint64_t newest = resolve_block_num(chain, rpc::BlockSelector{newest_tag, std::nullopt, false}).value_or_throw();
  json out;
  if (count == 0) {
    out["oldestBlock"] = "0x0";
    out["baseFeePerGas"] = json::array();
    out["gasUsedRatio"] = json::array();
    return out;
  }
  count = std::min(count, newest + 1);
  const uint64_t oldest = newest + 1 - count;
  const double denom = static_cast<double>(gas_ratio_denominator(chain.config()));
  json base_fees = json::array(), ratios = json::array(), rewards = json::array();
  std::optional<uint256> last_base_fee;
  for (uint64_t n = oldest; n <= newest; ++n) {
    Block block = value_or_server_error(chain.block_by_number(n));
    base_fees.push_back(rpc::encode_quantity(block.header.base_fee.value_or(uint256())));
    ratios.push_back(static_cast<double>(block.header.gas_used) / denom);
    if (!pcts.empty()) {
      auto receipts = value_or_server_error(chain.receipts_by_hash(header_hash(block.header)));
      rewards.push_back(percentile_rewards(block, receipts, pcts));
    }
    last_base_fee = block.header.base_fee;
  }
  // The next block's base fee: KIP-71 adjustment is not implemented, so a
  // Magma block carries its parent's base fee.
  base_fees.push_back(rpc::encode_quantity(last_base_fee.value_or(uint256())));
  out["oldestBlock"] = rpc::encode_quantity(oldest);
  out["baseFeePerGas"] = std::move(base_fees);
  out["gasUsedRatio"] = std::move(ratios);
  if (!pcts.empty()) out["reward"] = std::move(rewards);
  return out;
}

}  // namespace

Status register_txn_methods(rpc::MethodRegistry& m, const ApiBackend& b) {
  const chain::BlockChain* chain = b.chain;
  txpool::TxPool* pool = b.pool;
  const StateGuard guard = b.state_guard;
  Status s = register_eth_klay(m, "sendRawTransaction", [pool](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 1).value_or_throw();
    const Bytes raw = args.data(0).value_or_throw();
    auto hash = pool->add(raw);
    if (!hash) return RpcError::server(hash.status().message());
    return rpc::encode_data(*hash);
  });
  if (!s) return s;
  // The price a new transaction must offer: the unit price before Magma, the
  // next block's base fee after it (which never changes here, see fee_history).
  s = register_eth_klay(m, "gasPrice", [pool](const json& params) -> MethodResult {
    (void)ParamList::from(params, 0, 0).value_or_throw();
    return rpc::encode_quantity(pool->gas_price());
  });
  if (!s) return s;
  // From Magma on every transaction pays exactly the base fee (tips are not
  // paid), so the useful tip is 0; before Magma the fixed unit price.
  s = register_eth_klay(m, "maxPriorityFeePerGas", [chain, pool](const json& params) -> MethodResult {
    (void)ParamList::from(params, 0, 0).value_or_throw();
    if (chain->config().is_magma(chain->head().number + 1)) return "0x0";
    return rpc::encode_quantity(pool->gas_price());
  });
  if (!s) return s;
  s = register_eth_klay(m, "feeHistory", [chain](const json& params) { return fee_history(*chain, params); });
  if (!s) return s;
  s = register_eth_klay(m, "estimateGas", [chain, guard](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 2).value_or_throw();
    const CallArgs call = parse_call_args(args.raw(0)).value_or_throw();
    const rpc::BlockSelector sel = selector_or_latest(args, 1);
    const uint64_t num = resolve_block_num(*chain, sel).value_or_throw();
    auto reader = state_at(*chain, guard, sel).value_or_throw();
    const uint64_t gas = estimate_gas(reader, call, execution::rules_at(chain->config(), num + 1)).value_or_throw();
    return rpc::encode_quantity(gas);
  });
  if (!s) return s;
  return register_eth_klay(m, "call", [chain, guard](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 3).value_or_throw();
    const CallArgs call = parse_call_args(args.raw(0)).value_or_throw();
    auto reader = state_at(*chain, guard, selector_or_latest(args, 1)).value_or_throw();
    (void)check_call(reader, call).value_or_throw();
    return "0x";  // a transfer to an account without code returns no data
  });
}

}  // namespace klay::api
