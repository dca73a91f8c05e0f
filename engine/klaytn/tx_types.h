// Klaytn transaction types and the field layout of each.
//
// Type numbering: base type = n << 3; +1 fee-delegated (FD), +2 fee-delegated
// with a fee ratio. Ethereum typed transactions are 0x78 << 8 | ethType.
// Account creation (0x18) is defined by the protocol but no longer decoded
// by the reference (its NewTxInternalData case is disabled); it is rejected.
//
// "Sign fields" are a type's fields in wire order, without signatures, fee
// payer and fee payer signatures. The fee ratio goes last, except for smart
// contract deploy where it precedes codeFormat (reference:
// blockchain/types/tx_internal_data_*.go).
//
// Pure functions over constant tables; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace klay {

enum class TxType : uint16_t {
  kLegacy = 0x00,
  kValueTransfer = 0x08,
  kFeeDelegatedValueTransfer = 0x09,
  kFeeDelegatedValueTransferWithRatio = 0x0a,
  kValueTransferMemo = 0x10,
  kFeeDelegatedValueTransferMemo = 0x11,
  kFeeDelegatedValueTransferMemoWithRatio = 0x12,
  kAccountCreation = 0x18,
  kAccountUpdate = 0x20,
  kFeeDelegatedAccountUpdate = 0x21,
  kFeeDelegatedAccountUpdateWithRatio = 0x22,
  kSmartContractDeploy = 0x28,
  kFeeDelegatedSmartContractDeploy = 0x29,
  kFeeDelegatedSmartContractDeployWithRatio = 0x2a,
  kSmartContractExecution = 0x30,
  kFeeDelegatedSmartContractExecution = 0x31,
  kFeeDelegatedSmartContractExecutionWithRatio = 0x32,
  kCancel = 0x38,
  kFeeDelegatedCancel = 0x39,
  kFeeDelegatedCancelWithRatio = 0x3a,
  kChainDataAnchoring = 0x48,
  kFeeDelegatedChainDataAnchoring = 0x49,
  kFeeDelegatedChainDataAnchoringWithRatio = 0x4a,
  kEthereumAccessList = 0x7801,
  kEthereumDynamicFee = 0x7802,
};

inline constexpr uint8_t kEthereumTxTypeEnvelope = 0x78;

enum class TxField : uint8_t {
  kNonce,
  kGasPrice,
  kGas,
  kTo,        // 20-byte address, required
  kToOrNil,   // 20-byte address or empty string (contract creation)
  kValue,
  kFrom,
  kData,      // payload, memo or anchored data
  kHumanReadable,
  kKey,       // serialized account key carried as a byte string
  kFeeRatio,
  kCodeFormat,
};

// True for the Klaytn types this library decodes (not legacy, not Ethereum typed).
bool is_klaytn_type(TxType t);
bool is_ethereum_typed(TxType t);
bool is_fee_delegated(TxType t);     // FD and FD-with-ratio
bool has_fee_ratio(TxType t);        // FD-with-ratio
// Maps a number to a decodable type; false for undefined or unsupported ones.
bool tx_type_from(uint16_t value, TxType* out);
std::string to_string(TxType t);

// The sign fields of a Klaytn type, in order. REQUIRES: is_klaytn_type(t).
const std::vector<TxField>& klaytn_sign_fields(TxType t);

}  // namespace klay
