// The block context a transaction executes in. Value type; the config it
// points to is borrowed and must outlive every use of the BlockEnv.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/chain_config.h"

namespace klay::execution {

struct BlockEnv {
  uint64_t block_num = 0;
  uint64_t time = 0;
  // The header's Rewardbase: receives the block reward and (from Magma on,
  // when fees are not deferred) half of every transaction fee.
  Address rewardbase;
  // The header's BaseFee (set from Magma on). When set it is the effective gas
  // price of every transaction, whatever the transaction's own price
  // (reference: NewEVMTxContext). Default: none.
  std::optional<uint256> base_fee;
  // REQUIRES: non-null, with chain_id set, for apply_transaction/process_block.
  const ChainConfig* config = nullptr;
  // Optional per-block gas cap (Klaytn itself has no block gas limit; it caps
  // block *computation cost* per EVM opcode, which a non-EVM node never
  // reaches). When set, cumulative gas + a transaction's gas limit above it
  // makes the transaction non-includable. Default: none.
  std::optional<uint64_t> gas_limit;
  // The block proposer (the address that sealed the block; the reference's
  // Coinbase/author). Before Magma with fees not deferred, transaction fees
  // go to it; none means the rewardbase. Default: none.
  std::optional<Address> proposer;
};

}  // namespace klay::execution
