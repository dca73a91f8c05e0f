#include "node/commands.h"

#include "node/import_export_commands.h"
#include "node/init_command.h"
#include "node/run_command.h"

namespace klay::node {

std::vector<cli::Command> commands() {
  return {
      {"init", "write a genesis block into a new data directory", run_init_command},
      {"run", "run the node: chain, transaction pool, JSON-RPC and metrics (--dev: a dev chain)", run_run_command},
      {"import", "insert the blocks of an export file into a data directory", run_import_command},
      {"export", "write canonical blocks of a data directory to a file", run_export_command},
  };
}

int run(const std::vector<std::string>& argv, cli::Context& ctx) {
  return cli::run_commands("knode", "the Klaytn-compatible executing node", commands(), argv, ctx);
}

}  // namespace klay::node
