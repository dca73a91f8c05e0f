// `kchaindata prune`: the offline state prune of a stopped node without live
// pruning (pruning/offline_pruner.h).
//
//   kchaindata prune --datadir D [--block N] [--threads T] [--bits-per-key B]
//                    [--no-compact] [--json]
//                    [--db.type T] [--db.single] [--db.num-statetrie-shards N]
//
// Keeps the state at block N (default: the newest block with its state on
// disk) and every newer state on disk; deletes every other trie node and
// unreferenced code, then compacts the state trie. An interrupted run resumes
// its sweep from <datadir>/klay/prune-state.marker when rerun (the marker's
// block wins over --block).
// Refuses, with one sentence and exit code 3: a datadir in use (locked), a
// datadir with live pruning (it prunes itself), a block whose state is
// missing, too little free space.
// Output: a summary (or one JSON object with --json) on ctx.out; progress on
// ctx.err (none with --json).
#pragma once

#include "tools/common/command.h"

namespace klay::cli {

Command prune_command();

}  // namespace klay::cli
