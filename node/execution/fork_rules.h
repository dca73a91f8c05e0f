// The hard forks active at a block, as execution needs them (reference:
// params.ChainConfig.Rules). Value type; thread-safe as a value.
#pragma once

#include <cstdint>

#include "engine/klaytn/chain_config.h"

namespace klay::execution {

struct ForkRules {
  bool istanbul = false;     // flat payload gas for legacy txns, multisig sig-count rules
  bool london = false;
  bool eth_tx_type = false;  // 0x7801 / 0x7802 accepted
  bool magma = false;        // KIP-71 base fee: effective gas price = base fee, half the fee burnt
  bool kore = false;         // KIP-82 reward split, fee burn up to the proposer's minted share
  bool shanghai = false;     // init-code word gas and size limit
  bool cancun = false;

  // Every fork active (tests and tools).
  static ForkRules all();
};

// The rules at `block_num` under `config`: a fork is active when its block is
// set and <= block_num.
ForkRules rules_at(const ChainConfig& config, uint64_t block_num);

}  // namespace klay::execution
