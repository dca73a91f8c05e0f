// Gas constants of the Klaytn protocol that non-EVM execution needs
// (reference: klaytn/klaytn params/protocol_params.go; values unchanged in
// kaiachain/kaia). Plain constants; thread-safe.
#pragma once

#include <cstdint>

namespace klay::execution::gas {

inline constexpr uint64_t kTxGas = 21000;                  // legacy/Ethereum txn, not creating a contract
inline constexpr uint64_t kTxGasContractCreation = 53000;  // legacy/Ethereum/deploy txn creating a contract
inline constexpr uint64_t kTxGasValueTransfer = 21000;
inline constexpr uint64_t kTxGasContractExecution = 21000;
inline constexpr uint64_t kTxGasAccountUpdate = 21000;
inline constexpr uint64_t kTxGasCancel = 21000;
inline constexpr uint64_t kTxChainDataAnchoringGas = 21000;
inline constexpr uint64_t kTxGasFeeDelegated = 10000;           // extra for FD types
inline constexpr uint64_t kTxGasFeeDelegatedWithRatio = 15000;  // extra for FD-with-ratio types
inline constexpr uint64_t kTxGasHumanReadable = 4000000000;     // deploy with a human-readable address

// Payload gas. Klaytn types (memo, anchoring, deploy, execution) always pay
// a flat kTxDataGas per byte. Legacy and Ethereum typed txns pay the flat
// rate from Istanbul on and 68 per non-zero / 4 per zero byte before it.
inline constexpr uint64_t kTxDataGas = 100;
inline constexpr uint64_t kTxDataNonZeroGasFrontier = 68;
inline constexpr uint64_t kTxDataZeroGas = 4;
inline constexpr uint64_t kInitCodeWordGas = 2;          // Shanghai (EIP-3860), contract creation only
inline constexpr uint64_t kMaxInitCodeSize = 2 * 24576;  // Shanghai

// EIP-2930 access lists.
inline constexpr uint64_t kTxAccessListAddressGas = 2400;
inline constexpr uint64_t kTxAccessListStorageKeyGas = 1900;

// Account keys: a new key (account update) costs kTxAccountCreationGasPerKey
// per public key it holds; every sender/fee-payer signature beyond the first
// costs kTxValidationGasPerKey (see sig_validation_gas()).
inline constexpr uint64_t kTxAccountCreationGasPerKey = 20000;
inline constexpr uint64_t kTxValidationGasPerKey = 15000;
inline constexpr uint64_t kMaxNumKeysForMultiSig = 10;

}  // namespace klay::execution::gas
