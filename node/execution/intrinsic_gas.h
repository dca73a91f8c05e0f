// Intrinsic gas: what a transaction costs before any execution, per type
// (reference: blockchain/types/tx_internal_data_*.go IntrinsicGas and
// types.IntrinsicGas / IntrinsicGasPayload, plus the signature validation gas
// of accountkey.*.SigValidationGas).
//
// The gas a transaction is charged before execution is
//   type_intrinsic_gas(txn) + sig_validation_gas(sender key, sender sigs)
//                           + sig_validation_gas(fee payer key, fee payer sigs)   (FD only)
// The first part depends only on the transaction and the forks; the others
// need the accounts' keys (see sender_validation.h).
//
// Every function is pure and thread-safe. All sums are overflow-checked: an
// overflow is InvalidArgument "intrinsic gas overflows uint64".
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/klaytn/account_key.h"
#include "engine/klaytn/tx.h"
#include "node/execution/fork_rules.h"
#include "node/execution/gas_params.h"

namespace klay::execution {

// `base` plus the flat per-byte payload gas of `data` (Klaytn's
// IntrinsicGasPayload), plus init-code word gas when `contract_creation` and
// Shanghai is active.
Result<uint64_t> payload_gas(uint64_t base, ByteView data, bool contract_creation, const ForkRules& rules);

// Intrinsic gas of legacy and Ethereum typed transactions (types.IntrinsicGas):
// 21000 (53000 when creating a contract), payload gas (flat from Istanbul on,
// 68/4 per non-zero/zero byte before), 2400 per access-list address and 1900
// per storage key.
Result<uint64_t> ethereum_intrinsic_gas(ByteView data, const std::vector<AccessTuple>& access_list,
                                        bool contract_creation, const ForkRules& rules);

// The gas a new account key costs in an account update (AccountCreationGas):
// nil/legacy/fail 0; public 20000; multisig 20000 per key (more than 10 keys
// is InvalidArgument "the number of keys exceeds the limit"); role-based the
// sum over its roles.
Result<uint64_t> account_key_gas(const AccountKey& key);

// The gas for validating `num_sigs` signatures against the account key `key`
// in `role` (SigValidationGas): 0 for nil, legacy, public and fail keys;
// multisig: (num_sigs - 1) * 15000 from Istanbul on, (number of keys - 1) *
// 15000 before; role-based: the gas of the key used for `role` (the
// transaction key when the role is missing). A multisig key with more than 10
// keys, or none, is an error. REQUIRES: num_sigs >= 1.
Result<uint64_t> sig_validation_gas(const AccountKey& key, KeyRole role, size_t num_sigs, const ForkRules& rules);

// The type-dependent intrinsic gas of `txn` (without signature validation gas):
//   value transfer                    21000
//   value transfer memo               21000 + 100/byte
//   account update                    21000 + account_key_gas(new key)
//   cancel                            21000
//   chain data anchoring              21000 + 100/byte
//   smart contract deploy             53000 (+ 4e9 human readable) + 100/byte (+ init-code words)
//   smart contract execution          21000 + 100/byte
//   + 10000 for FD variants, + 15000 for FD-with-ratio variants
//   legacy / 0x7801 / 0x7802          ethereum_intrinsic_gas()
// NotSupported for account creation (0x18), which the protocol disabled.
Result<uint64_t> type_intrinsic_gas(const Transaction& txn, const ForkRules& rules);

// OK when gas_limit >= intrinsic; otherwise InvalidArgument
// "intrinsic gas too low: gas limit <g> is below the intrinsic gas <i>".
Status check_intrinsic_gas(uint64_t gas_limit, uint64_t intrinsic);

// Overflow-checked helpers (InvalidArgument "intrinsic gas overflows uint64").
Result<uint64_t> add_gas(uint64_t a, uint64_t b);
Result<uint64_t> mul_gas(uint64_t a, uint64_t b);

}  // namespace klay::execution
