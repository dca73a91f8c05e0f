#include "engine/klaytn/tx_types.h"

#include <array>

namespace klay {

namespace {

using F = TxField;

// Base layouts (without fee ratio), indexed by base type >> 3.
std::vector<TxField> base_layout(uint16_t base) {
  switch (base) {
    case 0x08: return {F::kNonce, F::kGasPrice, F::kGas, F::kTo, F::kValue, F::kFrom};
    case 0x10: return {F::kNonce, F::kGasPrice, F::kGas, F::kTo, F::kValue, F::kFrom, F::kData};
    case 0x20: return {F::kNonce, F::kGasPrice, F::kGas, F::kFrom, F::kKey};
    case 0x28:
      return {F::kNonce, F::kGasPrice, F::kGas, F::kToOrNil, F::kValue, F::kFrom, F::kData,
              F::kHumanReadable, F::kCodeFormat};
    case 0x30: return {F::kNonce, F::kGasPrice, F::kGas, F::kTo, F::kValue, F::kFrom, F::kData};
    case 0x38: return {F::kNonce, F::kGasPrice, F::kGas, F::kFrom};
    case 0x48: return {F::kNonce, F::kGasPrice, F::kGas, F::kFrom, F::kData};
  }
  return {};
}

std::vector<TxField> layout(uint16_t type) {
  std::vector<TxField> fields = base_layout(type & ~uint16_t{7});
  if ((type & 7) == 2) {
    if ((type & ~uint16_t{7}) == 0x28)
      fields.insert(fields.end() - 1, F::kFeeRatio);  // before codeFormat
    else
      fields.push_back(F::kFeeRatio);
  }
  return fields;
}

bool is_klaytn_value(uint16_t v) {
  const uint16_t base = v & ~uint16_t{7};
  const uint16_t sub = v & 7;
  if (sub > 2) return false;
  switch (base) {
    case 0x08: case 0x10: case 0x20: case 0x28: case 0x30: case 0x38: case 0x48: return true;
    default: return false;
  }
}

}  // namespace

bool is_klaytn_type(TxType t) { return is_klaytn_value(static_cast<uint16_t>(t)); }
bool is_ethereum_typed(TxType t) { return t == TxType::kEthereumAccessList || t == TxType::kEthereumDynamicFee; }
bool is_fee_delegated(TxType t) { return is_klaytn_type(t) && (static_cast<uint16_t>(t) & 7) != 0; }
bool has_fee_ratio(TxType t) { return is_klaytn_type(t) && (static_cast<uint16_t>(t) & 7) == 2; }

bool tx_type_from(uint16_t value, TxType* out) {
  if (value == 0 || value == 0x7801 || value == 0x7802 || is_klaytn_value(value)) {
    *out = static_cast<TxType>(value);
    return true;
  }
  return false;
}

std::string to_string(TxType t) {
  const uint16_t v = static_cast<uint16_t>(t);
  if (t == TxType::kLegacy) return "Legacy";
  if (t == TxType::kEthereumAccessList) return "EthereumAccessList";
  if (t == TxType::kEthereumDynamicFee) return "EthereumDynamicFee";
  std::string base;
  switch (v & ~uint16_t{7}) {
    case 0x08: base = "ValueTransfer"; break;
    case 0x10: base = "ValueTransferMemo"; break;
    case 0x18: base = "AccountCreation"; break;
    case 0x20: base = "AccountUpdate"; break;
    case 0x28: base = "SmartContractDeploy"; break;
    case 0x30: base = "SmartContractExecution"; break;
    case 0x38: base = "Cancel"; break;
    case 0x48: base = "ChainDataAnchoring"; break;
    default: return "Undefined(" + std::to_string(v) + ")";
  }
  if ((v & 7) == 1) return "FeeDelegated" + base;
  if ((v & 7) == 2) return "FeeDelegated" + base + "WithRatio";
  return base;
}

const std::vector<TxField>& klaytn_sign_fields(TxType t) {
  // One table for every value < 0x50; built once (thread-safe static init).
  static const std::array<std::vector<TxField>, 0x50> table = [] {
    std::array<std::vector<TxField>, 0x50> tab;
    for (uint16_t v = 0; v < 0x50; ++v)
      if (is_klaytn_value(v)) tab[v] = layout(v);
    return tab;
  }();
  static const std::vector<TxField> none;
  const uint16_t v = static_cast<uint16_t>(t);
  return v < table.size() ? table[v] : none;
}

}  // namespace klay
