// `kchaindata migrate`: the offline state-trie migration of a stopped node.
//
//   kchaindata migrate --datadir D [--block N] [--threads T] [--json]
//                      [--db.type T] [--db.single] [--db.num-statetrie-shards N]
//
// Keeps only the state at block N (default: the newest block at or below the
// head whose state is present), with the same engine the node runs online
// (migration/migrator.h): copy with checkpoints, verify, swap, delete the old
// state trie. An interrupted run continues from its checkpoint when rerun
// (a --block that differs from the interrupted one is refused).
// Refuses, with one sentence and exit code 3: a datadir in use (locked),
// single-DB mode, and a block whose state is missing.
// Output: a summary (or one JSON object with --json) on ctx.out; progress on
// ctx.err (a bar on a terminal, a line every 10 s otherwise; none with --json).
#pragma once

#include "tools/common/command.h"

namespace klay::cli {

Command migrate_command();

}  // namespace klay::cli
