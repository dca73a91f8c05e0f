// `knode import` and `knode export`: blocks as a stream of block RLPs
// (node/chain import_export.h), the reference's `ken import` / `ken export`
// format.
//
//   knode import --datadir D FILE
//       Inserts every block of FILE with full verification (seals, roots,
//       execution); blocks already in the chain are skipped. D must be
//       initialised with the same genesis (`knode init`). Prints a progress
//       line per batch on stderr and, at the end, "imported N blocks (M
//       skipped, T transactions); head B 0xHASH, state root 0xROOT" on stdout.
//   knode export --datadir D FILE [FROM [TO]]
//       Writes canonical blocks FROM..TO (default 0..head) to FILE
//       (atomically), progress on stderr, "exported N blocks (FROM..TO) to
//       FILE" on stdout.
// Both take the datadir lock: stop the node first.
// Exit codes: 0 ok, 2 usage error, 3 failure (the message names the block or file).
#pragma once

#include <string>
#include <vector>

#include "tools/common/command.h"

namespace klay::node {

int run_import_command(const std::vector<std::string>& args, cli::Context& ctx);
int run_export_command(const std::vector<std::string>& args, cli::Context& ctx);

}  // namespace klay::node
