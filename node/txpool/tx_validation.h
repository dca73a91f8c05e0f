// The pool's admission checks, in three stages so that the expensive one
// (signature recovery) runs without the pool's lock:
//
//   prepare_tx      stateless: size, anchoring policy, chain id, fee ratio,
//                   signature recovery; builds the PooledTx.
//   check_rules     the fork rules and gas price policy of the next block.
//   check_state     against the head state: account keys, nonce, balances,
//                   intrinsic gas, recipient (program accounts, precompiles, EVM).
//
// Errors carry the reference's message where it has one (pool_errors.h).
// Pure functions over their arguments; thread-safe except that check_state
// calls the PoolState (which the caller must serialise).
#pragma once

#include <cstdint>

#include "engine/core/status.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/chain_config.h"
#include "engine/klaytn/tx.h"
#include "node/execution/fork_rules.h"
#include "node/txpool/pool_config.h"
#include "node/txpool/pool_state.h"
#include "node/txpool/pooled_tx.h"

namespace klay::txpool {

// The rules the pool applies: those of the block after the head.
struct PoolRules {
  uint64_t block_num = 0;      // the next block's number
  uint256 chain_id;
  execution::ForkRules forks;  // the forks active at block_num
  bool eth_tx_types = false;   // == forks.eth_tx_type: 0x7801/0x7802 accepted
  bool magma = false;          // == forks.magma: KIP-71 dynamic base fee
  // Before Magma: the unit price every transaction must pay exactly.
  // After Magma: the base fee the price (fee cap) must reach.
  uint256 gas_price;
};

// Derives the rules of head.block_num + 1 from the chain config.
// REQUIRES: config.chain_id is set.
PoolRules rules_for(const ChainConfig& config, const PoolHead& head);

// The reference's IsPrecompiledContractAddress: 0x..01 to 0x..03ff.
bool is_precompiled_address(const Address& addr);

// Stateless checks and signature recovery; returns the PooledTx without
// seq/added (the pool stamps those). `size` is the encoded size.
Result<PooledTx> prepare_tx(Transaction tx, uint64_t size, const TxPoolConfig& config, const uint256& chain_id);

Status check_rules(const PooledTx& ptx, const PoolRules& rules);

// Balance rule of the reference (tx_pool.go validateTx and txList.Filter):
// the sender pays value + gas * price; for fee-delegated types the fee payer
// pays gas * price (or its share, gas * price * ratio / 100, for the ratio
// types) and the sender the rest. When sender and fee payer are the same
// account it must cover the whole cost.
Status check_funds(const PooledTx& ptx, const PoolAccount& sender, const PoolAccount& fee_payer);

// Checks of a transaction that depend on state that may change while it waits
// (reference: ValidateMutableValue and the balance filter): keys still valid,
// recipient still acceptable, funds still sufficient. Used on admission (via
// check_state) and when the head changes.
Status check_mutable(const PooledTx& ptx, const PoolRules& rules, PoolState& state);

// Every admission check against the head state, nonce included.
Status check_state(const PooledTx& ptx, const PoolRules& rules, PoolState& state);

}  // namespace klay::txpool
