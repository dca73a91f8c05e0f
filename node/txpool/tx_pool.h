// TxPool: the node's transaction pool. Validates incoming transactions,
// keeps each sender's transactions ordered by nonce in a pending run (the
// nonces that can execute now, contiguous from the account nonce) and a
// queue (nonces after a gap), promotes queued ones when gaps fill, applies the
// reference's replacement rule and limits, and hands the block producer
// executable transactions.
//
// Reference: klaytn/klaytn and kaiachain/kaia blockchain/tx_pool.go,
// tx_list.go. Differences: one kind of submission (no local/remote
// distinction, no journal, no spam throttler); a full pool admits a
// transaction only by the reference's missing-nonce rule (no price-based
// discard: before Magma every price is the unit price); a sender's activity
// time is forgotten with its last transaction; the fee payer's keys are
// validated together with the sender's, before the nonce check.
//
// Life:
//   TxPool pool(chain_config, {}, std::make_unique<StateReaderPoolState>(head_reader), {head_num, base_fee});
//   pool.add(raw)                      // RPC threads
//   auto txs = pool.pending(max);      // block producer
//   ... block inserted ...
//   pool.remove_included(block.transactions);   // optional fast path
//   pool.reset(new_head_state, {new_head_num, next_base_fee});
//   pool.evict_expired();              // periodically (reference: every minute)
//
// Threading: every public method is thread-safe. One mutex guards all pool
// data and the PoolState (which is only called under it). Signature recovery
// in add() runs before the mutex is taken, so concurrent adds recover in
// parallel. New-pending callbacks run after the mutex is released, on the
// thread whose call promoted the transactions; they may call back into the pool.
//
// Ownership: the pool owns its PoolState. Returned PooledTxRefs are shared,
// immutable and stay valid after the pool drops them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/klaytn/chain_config.h"
#include "engine/klaytn/tx.h"
#include "node/txpool/pool_config.h"
#include "node/txpool/pool_state.h"
#include "node/txpool/pooled_tx.h"
#include "node/txpool/tx_list.h"
#include "node/txpool/tx_validation.h"

namespace klay::txpool {

enum class TxStatus { kUnknown, kQueued, kPending };

struct PoolStats {
  size_t pending = 0;  // executable transactions
  size_t queued = 0;   // transactions waiting for a nonce gap to fill
  uint64_t slots = 0;  // 32 KiB slots in use (capacity: exec_slots_all + non_exec_slots_all)
  size_t senders = 0;  // accounts with at least one transaction
};

class TxPool {
 public:
  using NewPendingCallback = std::function<void(const std::vector<PooledTxRef>&)>;

  // REQUIRES: chain_config.chain_id is set; state != nullptr.
  TxPool(ChainConfig chain_config, TxPoolConfig config, std::unique_ptr<PoolState> state, PoolHead head);
  TxPool(const TxPool&) = delete;
  TxPool& operator=(const TxPool&) = delete;

  // Decodes and adds one raw transaction (Klaytn wire form or Ethereum
  // envelope). Returns its hash, or InvalidArgument with the reason (decode
  // error, "oversized data", "invalid chain id", "invalid sender: ...",
  // "nonce too low", "insufficient funds for gas * price + value",
  // "intrinsic gas too low", "known transaction: 0x..", "txpool is full: n",
  // "there is another tx which has the same nonce in the tx pool",
  // "EVM not supported yet", ...). A state that cannot be read gives its
  // NotFound "state not available ..." error.
  Result<Hash> add(ByteView raw);
  // The same for a decoded transaction (its size is that of its wire form).
  Result<Hash> add(Transaction tx);

  // Executable transactions for a block, at most `max_txs` (0: all): each
  // sender's in nonce order, senders interleaved by descending price, then
  // by arrival. Does not remove them.
  std::vector<PooledTxRef> pending(size_t max_txs = 0) const;
  // Every pending and queued transaction per sender, nonce ascending
  // (txpool_content).
  struct Content {
    std::unordered_map<Address, std::vector<PooledTxRef>, FixedBytesHasher> pending;
    std::unordered_map<Address, std::vector<PooledTxRef>, FixedBytesHasher> queued;
  };
  Content content() const;

  // Forgets transactions a new block included, and every other transaction
  // of their senders with a nonce at or below theirs; the senders' next
  // nonces are taken as known until the next reset(). Senders of
  // transactions the pool does not hold are recovered (Klaytn types: `from`).
  void remove_included(std::span<const Transaction> txs);
  // The same with the block's recovered senders. REQUIRES: same sizes.
  void remove_included(std::span<const Transaction> txs, std::span<const Address> senders);

  // Moves the pool to a new head: takes the new state, drops transactions
  // whose nonce the state has passed, re-checks keys, recipients and balances
  // (dropping failures; their successors go back to the queue), demotes
  // pending transactions priced below a new base fee, then promotes and
  // applies the limits. REQUIRES: state != nullptr.
  void reset(std::unique_ptr<PoolState> state, PoolHead head);

  // Removes one transaction (e.g. the producer found it cannot execute); a
  // pending one's successors go back to the queue. False when unknown.
  bool drop(const Hash& hash);

  // Drops the queued transactions of every sender inactive for longer than
  // the configured lifetime (reference: checked every minute). Returns how
  // many were dropped.
  size_t evict_expired();

  PooledTxRef get(const Hash& hash) const;  // nullptr when unknown
  TxStatus status(const Hash& hash) const;
  // The nonce a sender's next transaction should use: after its pending run,
  // or the account nonce (eth_getTransactionCount "pending").
  Result<uint64_t> pending_nonce(const Address& addr) const;
  PoolStats stats() const;
  // The gas price new transactions must pay (before Magma: exactly; after: at least).
  uint256 gas_price() const;

  // Called with transactions that became pending (new, promoted or replacing).
  // Replaces any earlier callback; an empty function unsubscribes.
  void on_new_pending(NewPendingCallback cb);

 private:
  struct SenderTxs {
    TxList pending;
    TxList queued;
    std::optional<Clock::time_point> beat;  // last activity, for expiry and queue eviction
  };
  using Notes = std::vector<PooledTxRef>;

  Clock::time_point now() const;
  Status check_known(const Hash& hash) const;
  Result<Hash> add_prepared(PooledTx ptx);
  // The rest are called with mu_ held.
  Status insert_locked(const PooledTxRef& tx, Notes& notes);
  Result<uint64_t> account_nonce_locked(const Address& addr) const;
  SenderTxs& sender_locked(const Address& addr) { return senders_[addr]; }
  void forget_locked(const PooledTxRef& tx);  // out of all_ and the counters' slot sum
  void forget_all_locked(const std::vector<PooledTxRef>& txs, bool from_pending);
  void enqueue_locked(SenderTxs& s, const PooledTxRef& tx);
  void drop_locked(const PooledTxRef& tx);
  void promote_locked(const std::vector<Address>& addrs, Notes& notes);
  void promote_sender_locked(const Address& addr, Notes& notes);
  void demote_locked();
  void enforce_pending_cap_locked();
  void enforce_queued_cap_locked();
  size_t evict_expired_locked();
  void erase_if_empty_locked(const Address& addr);
  bool still_valid_locked(const PooledTx& tx);
  void notify(Notes notes);

  const ChainConfig chain_config_;
  const TxPoolConfig config_;
  const uint256 chain_id_;

  mutable std::mutex mu_;
  std::unique_ptr<PoolState> state_;
  PoolRules rules_;
  std::unordered_map<Hash, PooledTxRef, FixedBytesHasher> all_;
  std::unordered_map<Address, SenderTxs, FixedBytesHasher> senders_;
  // Next nonces learnt from remove_included(), until the next reset().
  std::unordered_map<Address, uint64_t, FixedBytesHasher> included_nonce_;
  size_t pending_count_ = 0;
  size_t queued_count_ = 0;
  uint64_t slots_ = 0;
  uint64_t next_seq_ = 0;

  std::mutex cb_mu_;
  NewPendingCallback callback_;
};

}  // namespace klay::txpool
