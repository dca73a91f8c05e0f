// Block processing: parallel signature recovery, then every transaction in
// order, then the block reward (reference: StateProcessor.Process + the
// Istanbul engine's Finalize).
//
// Threading: recover_senders runs a tbb::parallel_for over the transactions
// (pure work, no shared state). process_block is single-threaded over one
// StateDB (not thread-safe, per StateDB's contract).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/receipt.h"
#include "engine/klaytn/tx.h"
#include "engine/state/state_db.h"
#include "node/execution/block_env.h"
#include "node/execution/block_reward.h"
#include "node/execution/sender_validation.h"
#include "node/execution/state_transition.h"

namespace klay::execution {

// Recovers the signer keys of every transaction in parallel. The result has
// one entry per transaction, in order. The first failing transaction (lowest
// index) fails the call: InvalidArgument "transaction <i> (0x<hash>): <reason>".
Result<std::vector<RecoveredTx>> recover_senders(std::span<const Transaction> txns, const uint256& chain_id);

// One entry per transaction: the sender addresses only (the design contract's
// form; Klaytn types yield their `from`).
Result<std::vector<Address>> recover_sender_addresses(std::span<const Transaction> txns, const uint256& chain_id);

struct BlockResult {
  std::vector<Receipt> receipts;  // one per transaction
  uint64_t gas_used = 0;          // sum of receipts' gas_used
  RewardSpec reward;
};

// Applies every transaction (apply_transaction) then the block reward, then
// StateDB::finalise(). Any transaction that cannot be included fails the call:
// the Status names its index and hash ("transaction <i> (0x<hash>): <reason>",
// the reason's code kept). On failure the StateDB holds a partial block and
// must be discarded. The caller computes the root and commits.
// REQUIRES: recovered.size() == txns.size(); env.config != nullptr.
Result<BlockResult> process_block(state::StateDB& state, const BlockEnv& env, std::span<const Transaction> txns,
                                  std::span<const RecoveredTx> recovered);

}  // namespace klay::execution
