// The transaction object of eth_call / eth_estimateGas, and the checks this
// node can make without an EVM.
//
// Accepted members (all optional): type, from, to, gas, gasPrice,
// maxFeePerGas, maxPriorityFeePerGas, value, data / input, feePayer,
// feeRatio, key (serialized account key, account updates). "type" is the
// Ethereum number (0, 1, 2) or a Klaytn type number (0x8, 0x10, ...); absent,
// it is 2 when maxFeePerGas is given, else 0 (legacy).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "engine/klaytn/tx.h"
#include "engine/state/state_reader.h"
#include "node/execution/fork_rules.h"
#include "node/rpc/rpc_error.h"

namespace klay::api {

struct CallArgs {
  Transaction tx;              // type, to, gas (0 when absent), prices, value, data, fee payer/ratio, key
  std::optional<Address> from;
  bool gas_given = false;
};

// -32602 naming the member for a malformed value or an unknown type.
rpc::RpcExpected<CallArgs> parse_call_args(const nlohmann::json& obj);

// What execution would refuse before running anything, as far as a call can
// tell: EVM types and calls to code ("EVM not supported yet: ..."), contract
// creation, pre-compiled recipients, Klaytn value transfers to program
// accounts, and (when `from` is set) a balance below value (+ gas × price
// when both are given and the sender pays). -32000 with the reason.
rpc::RpcExpected<bool> check_call(state::StateReader& reader, const CallArgs& args);

// The gas the transaction needs: its type's intrinsic gas plus signature
// validation gas for the sender's (and fee payer's) current keys.
rpc::RpcExpected<uint64_t> estimate_gas(state::StateReader& reader, const CallArgs& args,
                                        const execution::ForkRules& rules);

}  // namespace klay::api
