// When a datadir runs with live pruning: the reference's enabling rules.
//
// Live pruning changes how every state node is keyed (ExtHash), so it is fixed
// when the datadir is initialised: `knode init --state.live-pruning` records
// "PruningEnabled" in misc (and live_pruning in the datadir settings file).
// At startup the node calls resolve_live_pruning() with its flag:
//   recorded        flag on or off  -> true (the datadir decides; the flag is
//                                      only needed at init)
//   not recorded    flag off        -> false
//   not recorded    flag on         -> InvalidArgument: at genesis "choose it
//                                      at init" (the genesis state was written
//                                      with plain keys, whose nodes may be shared);
//                                      past genesis "the chain already advanced
//                                      to block N", both naming the way out
//                                      (`kchaindata migrate --to-live-pruning`).
// Reads only; thread-safe.
#pragma once

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"

namespace klay::pruning {

Result<bool> resolve_live_pruning(const chaindata::DBManager& dbm, bool flag_requested);

// The head block number (LastBlock), or 0 for a datadir without a head.
Result<uint64_t> read_head_block_number(const chaindata::DBManager& dbm);

}  // namespace klay::pruning
