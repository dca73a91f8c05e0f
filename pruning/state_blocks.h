// Which blocks' states are on disk: small reads shared by the offline pruner
// and the conversion to live pruning. A state is "on disk" when its root node
// is in the state trie (deeper nodes are checked by the walks themselves).
// Reads only; thread-safe.
#pragma once

#include <cstdint>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay::pruning {

// The state root in the header of canonical block `block_num`.
Result<Hash> state_root_at(const chaindata::DBManager& dbm, uint64_t block_num);
// True when `root` is the empty root or its node is in `state_trie`.
Result<bool> state_root_on_disk(kv::Database& state_trie, const Hash& root);
// The newest block, from the head (LastBlock) back to genesis, whose state root
// is on disk. NotFound with one sentence when there is none.
Result<uint64_t> newest_state_block(const chaindata::DBManager& dbm);
// `block_num` itself after checking it is canonical, at most the head, and its
// state root is on disk (NotFound naming what is missing otherwise).
Result<uint64_t> checked_state_block(const chaindata::DBManager& dbm, uint64_t block_num);

}  // namespace klay::pruning
