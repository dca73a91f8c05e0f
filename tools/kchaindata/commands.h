// kchaindata: the operator's offline toolbox for a stopped node's datadir.
// Each command lives in its own file and is listed in commands.cpp.
#pragma once

#include <string>
#include <vector>

#include "tools/common/command.h"

namespace klay::kchaindata {

std::vector<cli::Command> all_commands();
// Runs the tool in-process (argv without the program name). Used by main and tests.
int run(const std::vector<std::string>& argv, cli::Context& ctx);

cli::Command trie_root_command();
cli::Command inspect_command();
cli::Command verify_command();
cli::Command compact_command();
cli::Command convert_command();
cli::Command get_command();
cli::Command scan_command();
cli::Command dump_command();
cli::Command trie_proof_command();
cli::Command block_show_command();
cli::Command dev_gen_state_command();
cli::Command dev_put_command();
cli::Command dev_delete_command();

}  // namespace klay::kchaindata
