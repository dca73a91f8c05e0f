// A generated chaindata for the migrate / prune / convert workloads, written
// with the kchaindata helper's DevChain (genesis through rawdb's genesis
// commit, blocks with signed transfers, receipts and heads through rawdb).
//
// The state (gen/state_content.h: accounts, contracts with storage, half
// of them clones) arrives over `blocks` blocks, and every block also
// re-funds about 1% of the accounts created before it, so older versions of
// trie nodes accumulate on disk as on an archive node: what a migration or a
// pruning run then leaves behind. Usable at tiny sizes (tests, CTest smoke).
#pragma once

#include <cstdint>
#include <filesystem>

#include "engine/chaindata/config.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay::kbench::gen {

struct ChainSpec {
  uint64_t accounts = 1000;
  uint64_t contracts = 10;
  uint64_t slots = 64;   // storage slots per contract
  uint64_t blocks = 10;  // blocks carrying the state (at least 1)
};

struct GeneratedChain {
  uint64_t head = 0;
  Hash state_root;
};

// Writes a new datadir (it must hold no chaindata) and closes it.
Result<GeneratedChain> generate_chaindata(const std::filesystem::path& datadir, const chaindata::Config& config,
                                          const ChainSpec& spec);

}  // namespace klay::kbench::gen
