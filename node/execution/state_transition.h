// The state transition of one transaction of every non-EVM type
// (reference: blockchain/state_transition.go TransitionDb, ApplyTransaction
// and the Validate/Execute methods of tx_internal_data_*.go).
//
// Steps, in the reference's order:
//   1. static checks: type supported (EVM types → NotSupported "EVM not
//      supported yet: ..."), Ethereum typed types only after the EthTxType
//      fork, fee ratio in [1, 99], recipient not a precompiled address
//      (0x..01..0x..03ff), Klaytn value transfers not to a program account,
//      legacy/Ethereum calls not to a program account (→ EVM not supported),
//      account update: the new key replaceable;
//   2. intrinsic gas = type gas + signature validation gas (the signers are
//      validated against the state's keys here);
//   3. nonce == state nonce; optional block gas cap;
//   4. buy gas: gas × price from the fee payer (FD), split fee_ratio% payer /
//      rest sender (FD with ratio), else from the sender. The price is the
//      block's base fee when set, else the txn's gas price (0x7802 before
//      Magma: its fee cap);
//   5. gas limit >= intrinsic gas; sender balance >= value;
//   6. the type's effect: nonce + 1, then value transfer (absent recipient
//      and zero value: nothing), key update, or nothing (cancel, anchoring);
//   7. refund (gas - used) × price to who paid, split the same way;
//   8. fees: unless the governance defers them, from Magma on rewardbase +=
//      floor(used × price / 2) (the rest is burnt); before Magma the proposer
//      gets used × price;
//   9. StateDB::finalise().
// Any failure in steps 1–5 is a Status and the state is left exactly as it
// was: the transaction cannot be included (block producers drop it, block
// import rejects the block). Non-EVM types use exactly their intrinsic gas.
// An account update whose key change fails during execution (e.g. a Legacy-
// type account, which has no key field) still consumes gas: receipt status
// 2 (the reference's ReceiptStatusErrDefault), effects reverted except the
// nonce and the fee.
//
// Threading: not thread-safe; one StateDB per thread (StateDB's contract).
#pragma once

#include <cstdint>

#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/klaytn/receipt.h"
#include "engine/klaytn/tx.h"
#include "engine/state/state_db.h"
#include "node/execution/block_env.h"
#include "node/execution/sender_validation.h"

namespace klay::execution {

inline constexpr uint64_t kReceiptStatusFailed = 0;
inline constexpr uint64_t kReceiptStatusSuccessful = 1;
inline constexpr uint64_t kReceiptStatusErrDefault = 2;

// Applies `txn` whose signatures were recovered into `recovered` (see
// recover_tx / recover_senders). `cumulative_gas` is the gas used by the
// block's earlier transactions (for BlockEnv::gas_limit). Returns the receipt
// (status, gas used, no logs, empty bloom, tx_hash set).
// REQUIRES: env.config != nullptr.
Result<Receipt> apply_transaction(state::StateDB& state, const BlockEnv& env, const Transaction& txn,
                                  const RecoveredTx& recovered, uint64_t cumulative_gas);

// As above, recovering the signatures first (chain id from env.config); the
// recovered sender must equal `sender` (InvalidArgument otherwise).
Result<Receipt> apply_transaction(state::StateDB& state, const BlockEnv& env, const Transaction& txn,
                                  const Address& sender, uint64_t cumulative_gas);

// The effective gas price of `txn` in `env`: the base fee when set, else the
// gas fee cap (0x7802) or the gas price.
uint256 effective_gas_price(const BlockEnv& env, const Transaction& txn);

// True for 0x00..01 .. 0x00..03ff (the reference's precompiled range).
bool is_precompiled_address(const Address& addr);

// A fee split for FD-with-ratio types (reference: CalcFeeWithRatio):
// fee_payer = fee × ratio / 100 (rounded down), sender = fee - fee_payer.
struct FeeSplit {
  uint256 fee_payer;
  uint256 sender;
};
FeeSplit split_fee(uint8_t fee_ratio, const uint256& fee);

// Whether the governance defers transaction fees to the block reward
// (governance.reward.deferredTxFee; false when absent).
bool fees_deferred(const ChainConfig& config);

}  // namespace klay::execution
