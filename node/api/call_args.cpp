#include "node/api/call_args.h"

#include <algorithm>

#include "node/execution/intrinsic_gas.h"
#include "node/execution/state_transition.h"
#include "node/rpc/hex_codec.h"

namespace klay::api {

using nlohmann::json;
using rpc::RpcError;
using rpc::RpcExpected;

namespace {

RpcError member_error(const char* name, const RpcError& e) {
  return RpcError::invalid_params("invalid argument 0: " + std::string(name) + ": " + e.message);
}

template <typename T, typename Parse>
std::optional<RpcError> read(const json& obj, const char* name, Parse parse, T* out, bool* present = nullptr) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  auto v = parse(*it);
  if (!v) return member_error(name, v.error());
  *out = std::move(v).value();
  if (present) *present = true;
  return std::nullopt;
}

bool is_value_transfer(TxType t) {
  const uint16_t base = static_cast<uint16_t>(t) & ~uint16_t{7};
  return base == 0x08 || base == 0x10;
}

bool is_ethereum_kind(TxType t) { return t == TxType::kLegacy || is_ethereum_typed(t); }

// The number of signatures a key of this shape needs at most (multisig: all keys).
size_t signatures_for(const AccountKey& key, KeyRole role) {
  if (key.type() == AccountKeyType::kRoleBased) {
    const auto& roles = key.roles();
    const size_t i = static_cast<size_t>(role);
    return signatures_for(i < roles.size() ? roles[i] : roles.front(), KeyRole::kTransaction);
  }
  if (key.type() == AccountKeyType::kWeightedMultiSig) return std::max<size_t>(1, key.weighted_keys().size());
  return 1;
}

}  // namespace

RpcExpected<CallArgs> parse_call_args(const json& obj) {
  if (!obj.is_object()) return RpcError::invalid_params("invalid argument 0: expected a transaction object");
  CallArgs a;
  Transaction& tx = a.tx;
  uint64_t type_num = 0;
  bool type_given = false, fee_cap_given = false;
  Address to, from, fee_payer;
  bool to_given = false, from_given = false;
  uint64_t fee_ratio = 0;
  Bytes key_bytes;
  bool key_given = false;
  std::optional<RpcError> e;
  if ((e = read(obj, "type", rpc::parse_quantity_u64, &type_num, &type_given))) return *e;
  if ((e = read(obj, "from", rpc::parse_address, &from, &from_given))) return *e;
  if ((e = read(obj, "to", rpc::parse_address, &to, &to_given))) return *e;
  if ((e = read(obj, "gas", rpc::parse_quantity_u64, &tx.gas, &a.gas_given))) return *e;
  if ((e = read(obj, "gasPrice", rpc::parse_quantity_u256, &tx.gas_price))) return *e;
  if ((e = read(obj, "maxFeePerGas", rpc::parse_quantity_u256, &tx.gas_fee_cap, &fee_cap_given))) return *e;
  if ((e = read(obj, "maxPriorityFeePerGas", rpc::parse_quantity_u256, &tx.gas_tip_cap))) return *e;
  if ((e = read(obj, "value", rpc::parse_quantity_u256, &tx.value))) return *e;
  if ((e = read(obj, "input", rpc::parse_data, &tx.data))) return *e;
  if (tx.data.empty() && (e = read(obj, "data", rpc::parse_data, &tx.data))) return *e;
  if ((e = read(obj, "feePayer", rpc::parse_address, &fee_payer))) return *e;
  if ((e = read(obj, "feeRatio", rpc::parse_quantity_u64, &fee_ratio))) return *e;
  if ((e = read(obj, "key", rpc::parse_data, &key_bytes, &key_given))) return *e;

  if (!type_given) {
    tx.type = fee_cap_given ? TxType::kEthereumDynamicFee : TxType::kLegacy;
  } else if (type_num == 1 || type_num == 2) {
    tx.type = type_num == 1 ? TxType::kEthereumAccessList : TxType::kEthereumDynamicFee;
  } else if (type_num > 0xffff || !tx_type_from(static_cast<uint16_t>(type_num), &tx.type)) {
    return RpcError::invalid_params("invalid argument 0: type: unsupported transaction type " +
                                    rpc::encode_quantity(type_num));
  }
  if (to_given) tx.to = to;
  if (from_given) {
    a.from = from;
    tx.from = from;
  }
  tx.fee_payer = fee_payer;
  if (fee_ratio > 255) return RpcError::invalid_params("invalid argument 0: feeRatio: out of range");
  tx.fee_ratio = static_cast<uint8_t>(fee_ratio);
  if (key_given) {
    auto key = AccountKey::decode(key_bytes);
    if (!key) return RpcError::invalid_params("invalid argument 0: key: " + key.status().message());
    tx.key = *key;
  }
  return a;
}

RpcExpected<bool> check_call(state::StateReader& reader, const CallArgs& args) {
  const Transaction& tx = args.tx;
  const uint16_t base = static_cast<uint16_t>(tx.type) & ~uint16_t{7};
  if (is_klaytn_type(tx.type) && (base == 0x28 || base == 0x30))
    return RpcError::server("EVM not supported yet: " + to_string(tx.type));
  if (is_ethereum_kind(tx.type) || is_value_transfer(tx.type)) {
    if (!tx.to) {
      if (is_ethereum_kind(tx.type)) return RpcError::server("EVM not supported yet: contract creation");
      return RpcError::server(to_string(tx.type) + " has no recipient");
    }
    if (execution::is_precompiled_address(*tx.to))
      return RpcError::server("the address " + tx.to->hex() + " is reserved for pre-compiled contracts");
    auto account = reader.account(*tx.to);
    if (!account) return RpcError::server(account.status().message());
    const bool program = *account && (*account)->is_program_account();
    if (is_ethereum_kind(tx.type)) {
      if (program && (*account)->code_hash != empty_code_hash())
        return RpcError::server("EVM not supported yet: call to " + tx.to->hex() + ", which holds code");
    } else if (program) {
      return RpcError::server("this type transaction cannot be sent to contract addresses (" + tx.to->hex() +
                              " is a program account)");
    }
  }
  if (args.from) {
    auto balance = reader.balance(*args.from);
    if (!balance) return RpcError::server(balance.status().message());
    uint256 want = tx.value;
    const uint256 price = tx.type == TxType::kEthereumDynamicFee ? tx.gas_fee_cap : tx.gas_price;
    if (args.gas_given && !is_fee_delegated(tx.type)) want += price * uint256(tx.gas);
    if (*balance < want)
      return RpcError::server("insufficient funds for gas * price + value: address " + args.from->hex() + " have " +
                              balance->to_string() + " want " + want.to_string());
  }
  return true;
}

RpcExpected<uint64_t> estimate_gas(state::StateReader& reader, const CallArgs& args,
                                   const execution::ForkRules& rules) {
  if (auto ok = check_call(reader, args); !ok) return ok.error();
  const Transaction& tx = args.tx;
  auto gas = execution::type_intrinsic_gas(tx, rules);
  if (!gas) return RpcError::server(gas.status().message());
  uint64_t total = *gas;
  const auto add_sig_gas = [&](const Address& who, KeyRole role) -> std::optional<RpcError> {
    auto key = reader.account_key(who);
    if (!key) return RpcError::server(key.status().message());
    auto g = execution::sig_validation_gas(*key, role, signatures_for(*key, role), rules);
    if (!g) return RpcError::server(g.status().message());
    auto sum = execution::add_gas(total, *g);
    if (!sum) return RpcError::server(sum.status().message());
    total = *sum;
    return std::nullopt;
  };
  if (is_klaytn_type(tx.type) && args.from) {
    const KeyRole role = (static_cast<uint16_t>(tx.type) & ~uint16_t{7}) == 0x20 ? KeyRole::kAccountUpdate
                                                                                  : KeyRole::kTransaction;
    if (auto e = add_sig_gas(*args.from, role)) return *e;
  }
  if (is_fee_delegated(tx.type) && !tx.fee_payer.is_zero()) {
    if (auto e = add_sig_gas(tx.fee_payer, KeyRole::kFeePayer)) return *e;
  }
  if (args.gas_given && tx.gas < total)
    return RpcError::server("gas required exceeds allowance (" + std::to_string(tx.gas) + ")");
  return total;
}

}  // namespace klay::api
