// `kchaindata migrate --to-live-pruning`: the runner the migrate command calls
// (migration/cli/migrate_command.h) to convert a stopped node's datadir
// without live pruning into a live-pruning one with
// pruning::convert_to_live_pruning. Opens the datadir writable (a running
// node's lock is refused with one sentence), prints a summary (or one JSON
// object) on ctx.out and a start line on ctx.err.
#pragma once

#include "migration/cli/migrate_command.h"

namespace klay::kchaindata {

int run_to_live_pruning(const cli::ToLivePruningRequest& request, cli::Context& ctx);

}  // namespace klay::kchaindata
