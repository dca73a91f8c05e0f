// PendingSource: what the block producer needs from a transaction pool, so
// klay_chain does not depend on klay_txpool (txpool_source.h adapts TxPool).
//
// Threading: the producer calls these from its own thread; implementations
// must be thread-safe if anything else uses the pool concurrently.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/core/types.h"
#include "engine/klaytn/block.h"
#include "engine/klaytn/tx.h"

namespace klay::chain {

class PendingSource {
 public:
  virtual ~PendingSource() = default;
  // Up to `max` executable transactions in inclusion order (each sender's by
  // nonce). Must not remove them.
  virtual std::vector<Transaction> pending(size_t max) = 0;
  // `block` became the head: forget its transactions and move to the new state.
  virtual void remove_included(const Block& block) = 0;
  // Transactions the producer found non-includable (bad nonce, funds, key...).
  virtual void remove_invalid(const std::vector<Hash>& txn_hashes) = 0;
};

}  // namespace klay::chain
