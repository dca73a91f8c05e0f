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

}  // namespace klay::kchaindata
