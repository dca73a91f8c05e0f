// PooledTx: a validated transaction as the pool holds it, with what the pool
// derived from it (hash, sender, fee payer, recovered keys, size, price,
// arrival order).
//
// Immutable once built and shared by std::shared_ptr<const PooledTx>, so the
// pool can hand the same object to callers (pending(), get()) without copying
// and without holding its lock while they read it. Thread-safe as a const value.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/core/secp256k1.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/tx.h"
#include "node/execution/sender_validation.h"
#include "node/txpool/pool_config.h"

namespace klay::txpool {

struct PooledTx {
  Transaction tx;
  Hash hash;                // tx_hash(tx)
  uint64_t size = 0;        // encoded (wire) size in bytes
  Address sender;           // recovered (legacy, Ethereum typed) or `from` (Klaytn types)
  Address fee_payer;        // the fee payer of FD types; == sender otherwise
  // The recovered signer keys (signers.sender == sender, signers.fee_payer ==
  // fee_payer), kept so that keys can be re-validated cheaply on a new head.
  execution::RecoveredTx signers;
  uint256 price;            // gas price; the fee cap for 0x7802 (the reference's GetPrice)
  uint64_t seq = 0;         // arrival order in this pool (ties in pending() ordering)
  Clock::time_point added;  // when the pool accepted it

  uint64_t nonce() const { return tx.nonce; }
  uint64_t slots() const { return num_slots(size); }
};

using PooledTxRef = std::shared_ptr<const PooledTx>;

}  // namespace klay::txpool
