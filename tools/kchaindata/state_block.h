// Which block's state a command looks at.
#pragma once

#include <optional>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay::kchaindata {

struct StateBlock {
  uint64_t number = 0;
  Hash hash;
  Hash root;
};

// Block `block` of the canonical chain, or by default the newest block whose
// state is on disk ("LastStateBlock", written by knode's state cadence), else
// the head block (LastBlock). InvalidArgument with one sentence when absent.
Result<StateBlock> find_state_block(const chaindata::DBManager& dbm, std::optional<uint64_t> block);

}  // namespace klay::kchaindata
