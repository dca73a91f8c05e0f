// TxPoolSource: a txpool::TxPool as the producer's PendingSource. Lives in
// its own library (klay_chain_txpool) so klay_chain does not depend on the pool.
//
// After each produced block it removes the block's transactions from the pool
// and resets the pool to the new head's state (a StateReader of the chain).
// Threading: as thread-safe as TxPool (fully).
// Ownership: borrows the pool and the chain (must outlive it).
#pragma once

#include "node/chain/blockchain.h"
#include "node/chain/pending_source.h"
#include "node/txpool/tx_pool.h"

namespace klay::chain {

class TxPoolSource : public PendingSource {
 public:
  TxPoolSource(txpool::TxPool& pool, const BlockChain& chain) : pool_(pool), chain_(chain) {}

  std::vector<Transaction> pending(size_t max) override;
  void remove_included(const Block& block) override;
  void remove_invalid(const std::vector<Hash>& txn_hashes) override;

  // Resets the pool to the chain's current head (also done by remove_included).
  Status reset_to_head();

 private:
  txpool::TxPool& pool_;
  const BlockChain& chain_;
};

}  // namespace klay::chain
