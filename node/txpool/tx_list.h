// TxList: one sender's transactions keyed by nonce (the pool keeps one for
// the sender's pending run and one for its queued, gapped ones), and the
// reference's same-nonce replacement rule.
//
// Not thread-safe; owned by TxPool and used under its mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "engine/core/uint256.h"
#include "node/txpool/pooled_tx.h"

namespace klay::txpool {

// May `replacement` take the place of `old` (same sender and nonce)?
// Reference (tx_list.go txList.Add): a Cancel transaction (plain or
// fee-delegated) always replaces; after Magma a transaction replaces only with
// a strictly higher gas price (the configured PriceBump is not used); before
// Magma (fixed unit price) nothing else replaces.
bool can_replace(const PooledTx& old, const PooledTx& replacement, bool magma);

class TxList {
 public:
  using Map = std::map<uint64_t, PooledTxRef>;

  bool empty() const { return txs_.empty(); }
  size_t size() const { return txs_.size(); }
  const Map& items() const { return txs_; }
  PooledTxRef get(uint64_t nonce) const;
  // REQUIRES: !empty().
  uint64_t first_nonce() const { return txs_.begin()->first; }
  uint64_t last_nonce() const { return txs_.rbegin()->first; }

  struct AddResult {
    bool inserted = false;
    PooledTxRef replaced;  // the transaction it displaced, if any
  };
  // Inserts `tx`, or replaces the one with its nonce when can_replace allows.
  AddResult add(PooledTxRef tx, bool magma);
  // Puts `tx` in, replacing whatever holds its nonce (internal moves).
  PooledTxRef put(PooledTxRef tx);
  // Removes the transaction with this nonce; nullptr when none.
  PooledTxRef remove(uint64_t nonce);
  // Removes and returns every transaction with nonce < threshold.
  std::vector<PooledTxRef> forward(uint64_t threshold);
  // Removes and returns every transaction for which `drop` is true.
  std::vector<PooledTxRef> filter(const std::function<bool(const PooledTx&)>& drop);
  // Removes and returns every transaction with nonce > nonce.
  std::vector<PooledTxRef> remove_above(uint64_t nonce);
  // Removes and returns the consecutive run starting at `start` (nothing when
  // the first nonce is not `start`). With `min_price`, the run stops before
  // the first transaction priced below it.
  std::vector<PooledTxRef> ready(uint64_t start, const std::optional<uint256>& min_price);
  // Keeps the `limit` lowest nonces; removes and returns the rest (highest first).
  std::vector<PooledTxRef> cap(size_t limit);
  // All transactions, nonce ascending.
  std::vector<PooledTxRef> flatten() const;

 private:
  Map txs_;
};

}  // namespace klay::txpool
