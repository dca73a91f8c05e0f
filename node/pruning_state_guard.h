// Live pruning's state guard for the JSON-RPC API (api::ApiBackend::state_guard):
// a state read at a block live pruning no longer keeps answers -32000 "state at
// block N is pruned (live pruning keeps the last R blocks; ...)".
#pragma once

#include "node/api/api_backend.h"
#include "node/chain/blockchain.h"
#include "node/pruning_host.h"

namespace klay::node {

// Borrows `running` and `chain`: both must outlive every call of the guard
// (stop the RPC server before resetting the RunningPruning). Thread-safe.
inline api::StateGuard pruning_state_guard(const RunningPruning& running, const chain::BlockChain& chain) {
  const pruning::LivePruner* pruner = &running.pruner();
  const chain::BlockChain* c = &chain;
  return [pruner, c](uint64_t block_num) { return pruner->check_state_available(block_num, c->head().number); };
}

}  // namespace klay::node
