// Pre-built, pre-signed blocks of value transfers for the import workload.
//
// A genesis funds `txns_per_block` senders; every block holds one transfer
// from each sender (half legacy, half Klaytn value-transfer type) to a fixed
// recipient. The blocks are produced and sealed by node/chain's dev block
// producer on a memory-backed chain in `scratch` (a directory that must not
// hold a datadir; only its lock file is written), so every block is valid
// for BlockChain::insert_blocks on a fresh datadir initialised with `genesis_json`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/klaytn/block.h"

namespace klay::kbench::gen {

struct TransferBlocks {
  std::string genesis_json;
  std::vector<Block> blocks;
  uint64_t txns = 0;
};

Result<TransferBlocks> build_transfer_blocks(const std::filesystem::path& scratch, uint64_t num_blocks,
                                             uint64_t txns_per_block);

}  // namespace klay::kbench::gen
