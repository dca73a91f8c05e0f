// eth_/klay_ methods over the state at a block: balances, nonces, code,
// storage, EIP-1186 proofs and Klaytn accounts and keys.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "engine/core/keccak.h"
#include "node/api/api.h"
#include "node/api/chain_reads.h"
#include "node/api/method_helpers.h"
#include "node/rpc/hex_codec.h"

namespace klay::api {

namespace {

using nlohmann::json;
using rpc::MethodResult;
using rpc::ParamList;
using rpc::RpcError;
using rpc::RpcException;

// A storage slot argument: hex of at most 32 bytes, "0x" optional, odd
// length allowed, left-padded (as geth's decodeHash reads it).
Hash parse_slot(const json& v, size_t index) {
  const auto bad = [index](const std::string& why) {
    return RpcException(RpcError::invalid_params("invalid argument " + std::to_string(index) + ": " + why));
  };
  if (!v.is_string()) throw bad("storage slot must be a hex string");
  std::string text = v.get<std::string>();
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text = text.substr(2);
  if (text.size() % 2) text = "0" + text;
  Bytes b;
  if (!from_hex(text, b)) throw bad("invalid hex string");
  if (b.size() > 32) throw bad("hex string too long, want at most 32 bytes");
  Hash h;
  std::copy(b.begin(), b.end(), h.data() + (32 - b.size()));
  return h;
}

json key_json(const AccountKey& key) {
  json o = {{"keyType", static_cast<int>(key.type())}, {"key", json::object()}};
  const auto xy = [](const PublicKey& pk) {
    const ByteView v = pk.xy();
    return json{{"x", rpc::encode_data(v.subspan(0, 32))}, {"y", rpc::encode_data(v.subspan(32, 32))}};
  };
  switch (key.type()) {
    case AccountKeyType::kPublic: o["key"] = xy(key.key()); break;
    case AccountKeyType::kWeightedMultiSig: {
      json keys = json::array();
      for (const auto& w : key.weighted_keys()) keys.push_back({{"weight", w.weight}, {"key", xy(w.key)}});
      o["key"] = {{"threshold", key.threshold()}, {"keys", std::move(keys)}};
      break;
    }
    case AccountKeyType::kRoleBased: {
      json roles = json::array();
      for (const AccountKey& r : key.roles()) roles.push_back(key_json(r));
      o["key"] = std::move(roles);
      break;
    }
    default: break;
  }
  return o;
}

json account_json(const Account& a) {
  json body = {{"nonce", a.nonce}, {"balance", rpc::encode_quantity(a.balance)}};
  if (a.type != AccountType::kLegacy) {
    body["humanReadable"] = a.human_readable;
    body["key"] = key_json(a.key);
  }
  if (a.is_program_account()) {
    body["storageRoot"] = rpc::encode_data(a.storage_root.hash());
    body["codeHash"] = rpc::encode_data(a.code_hash);
  }
  if (a.type == AccountType::kSCA) {
    body["codeFormat"] = a.code_format();
    body["vmVersion"] = a.vm_version();
  }
  return {{"accType", static_cast<int>(a.type)}, {"account", std::move(body)}};
}

json proof_json(const std::vector<Bytes>& nodes) {
  json out = json::array();
  for (const Bytes& n : nodes) out.push_back(rpc::encode_data(n));
  return out;
}

MethodResult get_proof(const chain::BlockChain& chain, const StateGuard& guard, const json& params) {
  auto args = ParamList::from(params, 2, 3).value_or_throw();
  const Address addr = args.address(0).value_or_throw();
  const json& keys = args.raw(1);
  if (!keys.is_array()) return RpcError::invalid_params("invalid argument 1: storage keys must be an array");
  std::vector<std::pair<std::string, Hash>> slots;
  for (const json& k : keys) {
    if (!k.is_string()) return RpcError::invalid_params("invalid argument 1: storage keys must be hex strings");
    slots.emplace_back(k.get<std::string>(), parse_slot(k, 1));
  }
  state::StateReader reader = state_at(chain, guard, selector_or_latest(args, 2)).value_or_throw();
  auto account = value_or_server_error(reader.account(addr));
  json out;
  out["address"] = rpc::encode_data(addr);
  out["accountProof"] = proof_json(value_or_server_error(reader.account_proof(addr)));
  const bool program = account && account->is_program_account();
  out["balance"] = rpc::encode_quantity(account ? account->balance : uint256());
  out["nonce"] = rpc::encode_quantity(account ? account->nonce : 0);
  out["codeHash"] = rpc::encode_data(program ? account->code_hash : empty_code_hash());
  out["storageHash"] = rpc::encode_data(program ? account->storage_root.hash() : empty_root());
  json storage = json::array();
  for (const auto& [text, slot] : slots) {
    const Hash value = value_or_server_error(reader.storage(addr, slot));
    storage.push_back({{"key", text},
                       {"value", rpc::encode_quantity(uint256::from_be32(value))},
                       {"proof", proof_json(value_or_server_error(reader.storage_proof(addr, slot)))}});
  }
  out["storageProof"] = std::move(storage);
  return out;
}

}  // namespace

Status register_state_methods(rpc::MethodRegistry& m, const ApiBackend& b) {
  const chain::BlockChain* chain = b.chain;
  const txpool::TxPool* pool = b.pool;
  const StateGuard guard = b.state_guard;
  Status s = register_eth_klay(m, "getBalance", [chain, guard](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 2).value_or_throw();
    const Address addr = args.address(0).value_or_throw();
    auto reader = state_at(*chain, guard, selector_or_latest(args, 1)).value_or_throw();
    return rpc::encode_quantity(value_or_server_error(reader.balance(addr)));
  });
  if (!s) return s;
  s = register_eth_klay(m, "getTransactionCount", [chain, pool, guard](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 2).value_or_throw();
    const Address addr = args.address(0).value_or_throw();
    const rpc::BlockSelector sel = selector_or_latest(args, 1);
    if (sel.tag && sel.tag->kind == rpc::BlockTag::Kind::kPending)
      return rpc::encode_quantity(value_or_server_error(pool->pending_nonce(addr)));
    auto reader = state_at(*chain, guard, sel).value_or_throw();
    return rpc::encode_quantity(value_or_server_error(reader.nonce(addr)));
  });
  if (!s) return s;
  s = register_eth_klay(m, "getCode", [chain, guard](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 2).value_or_throw();
    const Address addr = args.address(0).value_or_throw();
    auto reader = state_at(*chain, guard, selector_or_latest(args, 1)).value_or_throw();
    return rpc::encode_data(value_or_server_error(reader.code(addr)));
  });
  if (!s) return s;
  s = register_eth_klay(m, "getStorageAt", [chain, guard](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 2, 3).value_or_throw();
    const Address addr = args.address(0).value_or_throw();
    const Hash slot = parse_slot(args.raw(1), 1);
    auto reader = state_at(*chain, guard, selector_or_latest(args, 2)).value_or_throw();
    return rpc::encode_data(value_or_server_error(reader.storage(addr, slot)));
  });
  if (!s) return s;
  s = register_eth_klay(m, "getProof", [chain, guard](const json& params) { return get_proof(*chain, guard, params); });
  if (!s) return s;
  s = m.register_method("klay_getAccount", [chain, guard](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 2).value_or_throw();
    const Address addr = args.address(0).value_or_throw();
    auto reader = state_at(*chain, guard, selector_or_latest(args, 1)).value_or_throw();
    auto account = value_or_server_error(reader.account(addr));
    if (!account) return nullptr;
    return account_json(*account);
  });
  if (!s) return s;
  return m.register_method("klay_getAccountKey", [chain, guard](const json& params) -> MethodResult {
    auto args = ParamList::from(params, 1, 2).value_or_throw();
    const Address addr = args.address(0).value_or_throw();
    auto reader = state_at(*chain, guard, selector_or_latest(args, 1)).value_or_throw();
    auto account = value_or_server_error(reader.account(addr));
    if (!account) return nullptr;
    return key_json(value_or_server_error(reader.account_key(addr)));
  });
}

}  // namespace klay::api
