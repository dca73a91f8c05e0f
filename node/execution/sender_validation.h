// Sender and fee-payer recovery and their validation against account keys.
//
// Recovery (recover_tx) needs only the transaction and the chain id, so it
// runs in parallel before execution (block_processor.h). Validation needs the
// accounts' keys, read from the state when the transaction is applied (or,
// in the pool, through a KeyLookup over the pool's state view).
//
// Thread-safety: recover_tx is pure and thread-safe. validate_signers calls
// `lookup` on the calling thread only.
#pragma once

#include <functional>
#include <vector>

#include "engine/core/secp256k1.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/klaytn/account_key.h"
#include "engine/klaytn/tx.h"
#include "node/execution/fork_rules.h"

namespace klay::execution {

struct RecoveredTx {
  // Legacy/Ethereum typed: the address of the recovered key. Klaytn types:
  // the transaction's `from` (which keys must sign depends on its account key).
  Address sender;
  std::vector<PublicKey> sender_keys;     // one per sender signature, in order
  // FD types: the `feePayer` field; other types: == sender.
  Address fee_payer;
  std::vector<PublicKey> fee_payer_keys;  // FD types only
};

// Recovers every signature's key. InvalidArgument when a signature does not
// recover, is for another chain, or has a high s; the message names the
// signature (sender / fee payer).
Result<RecoveredTx> recover_tx(const Transaction& txn, const uint256& chain_id);

// The current account key of an address (absent accounts: the legacy key).
using KeyLookup = std::function<Result<AccountKey>(const Address&)>;

// Validates the recovered keys against the accounts' keys and returns the
// signature validation gas (sender + fee payer; see sig_validation_gas()):
//   legacy / Ethereum typed: the sender's key must be legacy (0 gas);
//   Klaytn types: sender keys against the sender's key for validation_role();
//   FD types also: fee-payer keys against the fee payer's key for kFeePayer.
// InvalidArgument "invalid sender: ..." / "invalid fee payer: ..." on failure;
// lookup errors (e.g. state not available) are returned unchanged.
Result<uint64_t> validate_signers(const Transaction& txn, const RecoveredTx& recovered, const KeyLookup& lookup,
                                  const ForkRules& rules);

}  // namespace klay::execution
