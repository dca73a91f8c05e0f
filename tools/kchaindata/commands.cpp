#include "tools/kchaindata/commands.h"

namespace klay::kchaindata {

std::vector<cli::Command> all_commands() {
  return {
      trie_root_command(),
  };
}

int run(const std::vector<std::string>& argv, cli::Context& ctx) {
  return cli::run_commands("kchaindata",
                           "inspect, verify, repair and convert Klaytn chaindata offline",
                           all_commands(), argv, ctx);
}

}  // namespace klay::kchaindata
