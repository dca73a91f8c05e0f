// knode's command table and entry point.
//
// `run` is what main() calls: it dispatches to a command (tools/common/
// command.h), prints the command list for --help (exit 0) and for no command
// (exit 2). Commands are testable in-process through it.
#pragma once

#include <string>
#include <vector>

#include "tools/common/command.h"

namespace klay::node {

std::vector<cli::Command> commands();
int run(const std::vector<std::string>& argv, cli::Context& ctx);

}  // namespace klay::node
