#include "node/execution/intrinsic_gas.h"

#include <limits>
#include <string>

namespace klay::execution {

namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

Status overflow() { return Status::invalid_argument("intrinsic gas overflows uint64"); }

// The base gas of a Klaytn type without its FD extra, and whether its
// payload is charged.
struct KlaytnBase {
  uint64_t gas = 0;
  bool payload = false;
  bool creation = false;
};

uint64_t fee_delegation_gas(TxType t) {
  if (has_fee_ratio(t)) return gas::kTxGasFeeDelegatedWithRatio;
  if (is_fee_delegated(t)) return gas::kTxGasFeeDelegated;
  return 0;
}

// The base type (FD bits cleared) of a Klaytn type.
TxType base_type(TxType t) { return static_cast<TxType>(static_cast<uint16_t>(t) & ~uint16_t{7}); }

}  // namespace

Result<uint64_t> add_gas(uint64_t a, uint64_t b) {
  if (a > kMax - b) return overflow();
  return a + b;
}

Result<uint64_t> mul_gas(uint64_t a, uint64_t b) {
  if (a != 0 && b > kMax / a) return overflow();
  return a * b;
}

Result<uint64_t> payload_gas(uint64_t base, ByteView data, bool contract_creation, const ForkRules& rules) {
  const uint64_t len = data.size();
  if (len == 0) return base;
  auto bytes = mul_gas(len, gas::kTxDataGas);
  if (!bytes) return bytes;
  auto gas = add_gas(base, *bytes);
  if (!gas) return gas;
  if (contract_creation && rules.shanghai) {
    const uint64_t words = len / 32 + (len % 32 != 0);
    auto w = mul_gas(words, gas::kInitCodeWordGas);
    if (!w) return w;
    gas = add_gas(*gas, *w);
  }
  return gas;
}

Result<uint64_t> ethereum_intrinsic_gas(ByteView data, const std::vector<AccessTuple>& access_list,
                                        bool contract_creation, const ForkRules& rules) {
  const uint64_t base = contract_creation ? gas::kTxGasContractCreation : gas::kTxGas;
  Result<uint64_t> gas = base;
  if (rules.istanbul) {
    gas = payload_gas(base, data, contract_creation, rules);
  } else {
    uint64_t nonzero = 0;
    for (uint8_t b : data) nonzero += b != 0;
    auto nz = mul_gas(nonzero, gas::kTxDataNonZeroGasFrontier);
    auto z = mul_gas(data.size() - nonzero, gas::kTxDataZeroGas);
    if (!nz) return nz;
    if (!z) return z;
    gas = add_gas(base, *nz);
    if (gas) gas = add_gas(*gas, *z);
  }
  if (!gas) return gas;
  uint64_t keys = 0;
  for (const auto& t : access_list) keys += t.storage_keys.size();
  auto addr_gas = mul_gas(access_list.size(), gas::kTxAccessListAddressGas);
  auto key_gas = mul_gas(keys, gas::kTxAccessListStorageKeyGas);
  if (!addr_gas) return addr_gas;
  if (!key_gas) return key_gas;
  gas = add_gas(*gas, *addr_gas);
  if (gas) gas = add_gas(*gas, *key_gas);
  return gas;
}

Result<uint64_t> account_key_gas(const AccountKey& key) {
  switch (key.type()) {
    case AccountKeyType::kNil:
    case AccountKeyType::kLegacy:
    case AccountKeyType::kFail:
      return uint64_t{0};
    case AccountKeyType::kPublic:
      return gas::kTxAccountCreationGasPerKey;
    case AccountKeyType::kWeightedMultiSig: {
      const uint64_t n = key.weighted_keys().size();
      if (n > gas::kMaxNumKeysForMultiSig)
        return Status::invalid_argument("the number of keys exceeds the limit: " + std::to_string(n) + " keys, at most " +
                                        std::to_string(gas::kMaxNumKeysForMultiSig));
      return n * gas::kTxAccountCreationGasPerKey;
    }
    case AccountKeyType::kRoleBased: {
      uint64_t total = 0;
      for (const auto& role : key.roles()) {
        auto g = account_key_gas(role);
        if (!g) return g;
        auto sum = add_gas(total, *g);
        if (!sum) return sum;
        total = *sum;
      }
      return total;
    }
  }
  return Status::invalid_argument("undefined account key type");
}

Result<uint64_t> sig_validation_gas(const AccountKey& key, KeyRole role, size_t num_sigs, const ForkRules& rules) {
  switch (key.type()) {
    case AccountKeyType::kNil:
    case AccountKeyType::kLegacy:
    case AccountKeyType::kPublic:
    case AccountKeyType::kFail:
      return uint64_t{0};
    case AccountKeyType::kWeightedMultiSig: {
      const uint64_t n = key.weighted_keys().size();
      if (n > gas::kMaxNumKeysForMultiSig)
        return Status::invalid_argument("the number of keys of the account exceeds the limit in validation: " +
                                        std::to_string(n) + " keys");
      if (n == 0) return Status::invalid_argument("multisig account key has no keys");
      if (num_sigs == 0) return Status::invalid_argument("no signatures to validate");
      const uint64_t counted = rules.istanbul ? num_sigs : n;
      return mul_gas(counted - 1, gas::kTxValidationGasPerKey);
    }
    case AccountKeyType::kRoleBased: {
      if (key.roles().empty()) return Status::invalid_argument("role-based account key has no roles");
      const size_t r = static_cast<size_t>(role);
      const AccountKey& k = r < key.roles().size() ? key.roles()[r] : key.roles()[0];
      return sig_validation_gas(k, role, num_sigs, rules);
    }
  }
  return Status::invalid_argument("undefined account key type");
}

Result<uint64_t> type_intrinsic_gas(const Transaction& txn, const ForkRules& rules) {
  if (txn.type == TxType::kLegacy || is_ethereum_typed(txn.type))
    return ethereum_intrinsic_gas(txn.data, txn.access_list, !txn.to.has_value(), rules);
  if (!is_klaytn_type(txn.type) || txn.type == TxType::kAccountCreation)
    return Status::not_supported(to_string(txn.type) + " is not a supported transaction type");

  const uint64_t fd = fee_delegation_gas(txn.type);
  switch (base_type(txn.type)) {
    case TxType::kValueTransfer:
      return add_gas(gas::kTxGasValueTransfer, fd);
    case TxType::kValueTransferMemo:
      return payload_gas(gas::kTxGasValueTransfer + fd, txn.data, false, rules);
    case TxType::kAccountUpdate: {
      auto key_gas = account_key_gas(txn.key);
      if (!key_gas) return key_gas;
      return add_gas(gas::kTxGasAccountUpdate + fd, *key_gas);
    }
    case TxType::kCancel:
      return gas::kTxGasCancel + fd;
    case TxType::kChainDataAnchoring:
      return payload_gas(gas::kTxChainDataAnchoringGas + fd, txn.data, false, rules);
    case TxType::kSmartContractDeploy: {
      uint64_t base = gas::kTxGasContractCreation + fd;
      if (txn.human_readable) base += gas::kTxGasHumanReadable;
      return payload_gas(base, txn.data, true, rules);
    }
    case TxType::kSmartContractExecution:
      return payload_gas(gas::kTxGasContractExecution + fd, txn.data, false, rules);
    default:
      break;
  }
  return Status::not_supported(to_string(txn.type) + " is not a supported transaction type");
}

Status check_intrinsic_gas(uint64_t gas_limit, uint64_t intrinsic) {
  if (gas_limit >= intrinsic) return Status::ok();
  return Status::invalid_argument("intrinsic gas too low: gas limit " + std::to_string(gas_limit) +
                                  " is below the intrinsic gas " + std::to_string(intrinsic));
}

}  // namespace klay::execution
