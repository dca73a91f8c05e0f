// Which block's state an offline migration keeps.
//
// Reads headers and head pointers through rawdb; a state is "present" when
// its root node is in the live state trie (a cheap check: missing deeper
// nodes are found by the copy itself). Thread-safe (reads only).
#pragma once

#include <cstdint>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/trie/node_store.h"

namespace klay::migration {

struct StateBlock {
  uint64_t block_num = 0;
  Hash block_hash;
  trie::NodeKey root;  // the state root key (32 bytes; the account-trie root is never extended)
};

// The newest block, walking back from the head block (LastBlock), whose state
// root is present. NotFound with one sentence when there is no head or no
// block on the way back to genesis has its state.
Result<StateBlock> find_latest_state_block(const chaindata::DBManager& dbm);

// The canonical block `block_num`. NotFound when the block is unknown or its
// state is not in the state trie.
Result<StateBlock> state_block_at(const chaindata::DBManager& dbm, uint64_t block_num);

}  // namespace klay::migration
