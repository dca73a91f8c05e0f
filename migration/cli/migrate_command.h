// `kchaindata migrate`: the offline state-trie migration of a stopped node.
//
//   kchaindata migrate --datadir D [--block N] [--threads T] [--json]
//                      [--db.type T] [--db.single] [--db.num-statetrie-shards N]
//   kchaindata migrate --datadir D --to-live-pruning [--block N]
//                      [--state.live-pruning-retention SECONDS] [--json]
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
//
// --to-live-pruning converts a datadir without live pruning into a
// live-pruning one instead (the state at block N rewritten in ExtHash form,
// then the settings file flipped). That engine lives in pruning/, which this
// library does not depend on: the tool that lists the command passes it in as
// `to_live_pruning`; without it the flag is refused with one sentence.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "engine/chaindata/config.h"
#include "tools/common/command.h"

namespace klay::cli {

struct ToLivePruningRequest {
  std::string datadir;
  chaindata::Config config;        // the datadir's settings with any --db.* overrides applied
  std::optional<uint64_t> block;   // nullopt: the newest block with its state on disk
  std::optional<uint64_t> retention;  // nullopt: the engine's default
  bool json = false;
};
// Runs the conversion and prints its summary; returns the exit code.
using ToLivePruningRunner = std::function<int(const ToLivePruningRequest&, Context&)>;

Command migrate_command(ToLivePruningRunner to_live_pruning = {});

}  // namespace klay::cli
