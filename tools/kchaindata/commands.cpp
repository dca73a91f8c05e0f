#include "tools/kchaindata/commands.h"

#include "migration/cli/migrate_command.h"
#include "pruning/cli/prune_command.h"
#include "tools/kchaindata/to_live_pruning_runner.h"

namespace klay::kchaindata {

std::vector<cli::Command> all_commands() {
  return {
      inspect_command(),    verify_command(),     compact_command(),     convert_command(),
      get_command(),        scan_command(),       dump_command(),        trie_root_command(),
      trie_proof_command(), block_show_command(), dev_gen_state_command(), dev_put_command(), dev_delete_command(),
      // The offline fronts of the migration and pruning engines live with them.
      cli::migrate_command(run_to_live_pruning), cli::prune_command(),
  };
}

int run(const std::vector<std::string>& argv, cli::Context& ctx) {
  return cli::run_commands("kchaindata",
                           "inspect, verify, repair and convert Klaytn chaindata offline",
                           all_commands(), argv, ctx);
}

}  // namespace klay::kchaindata
