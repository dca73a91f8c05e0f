// TxPoolConfig: the pool's limits and clock; PoolHead: what the pool needs to
// know about the chain head besides its state.
//
// Defaults are the reference's DefaultTxPoolConfig (klaytn/kaia
// blockchain/tx_pool.go): 16/4096 executable slots per account/overall,
// 64/1024 non-executable slots per account/overall, a 5-minute lifetime for
// queued transactions, 128 KiB (4 slots of 32 KiB) per transaction.
//
// Value types; thread-safe as values. The clock is called under the pool's
// mutex and must be safe to call from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "engine/core/uint256.h"

namespace klay::txpool {

using Clock = std::chrono::steady_clock;

// The reference's txSlotSize: a transaction takes ceil(size / 32 KiB) slots.
inline constexpr uint64_t kTxSlotSize = 32 * 1024;
// The reference's MaxTxDataSize (the whole encoded transaction, not its data).
inline constexpr uint64_t kMaxTxSize = 4 * kTxSlotSize;

inline uint64_t num_slots(uint64_t tx_size) { return (tx_size + kTxSlotSize - 1) / kTxSlotSize; }

struct TxPoolConfig {
  // Pending (executable) transactions each sender keeps even when the pool
  // is over exec_slots_all (fairness floor of the pending cap). Default 16.
  uint64_t exec_slots_account = 16;
  // Pending transactions overall before the largest senders are trimmed. Default 4096.
  uint64_t exec_slots_all = 4096;
  // Queued (non-executable, nonce gap) transactions per sender. Default 64.
  uint64_t non_exec_slots_account = 64;
  // Queued transactions overall. Default 1024.
  uint64_t non_exec_slots_all = 1024;
  // The pool refuses new transactions once its slots reach
  // exec_slots_all + non_exec_slots_all (reference: "txpool is full").

  // A sender's queued transactions are dropped when it has had no activity
  // (first queued transaction, or a promotion) for this long. Default 5 minutes.
  std::chrono::nanoseconds lifetime = std::chrono::minutes(5);
  // Largest encoded transaction accepted, in bytes. Default 128 KiB.
  uint64_t max_tx_size = kMaxTxSize;
  // Chain-data anchoring transactions are refused unless true (reference:
  // AllowLocalAnchorTx, default false). Default false.
  bool allow_anchor_txs = false;
  // Time source for lifetimes; Clock::now when empty. Tests inject a fake.
  std::function<Clock::time_point()> now;
};

// The chain head the pool validates against.
struct PoolHead {
  // Number of the head block; rules (forks) are those of block_num + 1.
  uint64_t block_num = 0;
  // Base fee of the next block when Magma is active there (KIP-71); the pool
  // then requires gas price >= this. Ignored before Magma, where the pool
  // requires gas price == the chain config's unit price. When Magma is active
  // and this is empty, the KIP-71 lower bound (or the unit price) is used.
  std::optional<uint256> next_base_fee;
};

}  // namespace klay::txpool
