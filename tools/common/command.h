// The shape of a command-line tool's subcommand.
//
// Each command is a small unit: a name (one or more words, e.g. "trie root"),
// a one-line summary, and a run function over already-split arguments. Commands
// parse their own options (cxxopts), write results to ctx.out and diagnostics to
// ctx.err, and return an exit code. `run_commands` maps everything that escapes
// (usage errors, unexpected exceptions) to an exit code and one sentence, so
// `main` stays a single call and commands are testable in-process.
#pragma once

#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace klay::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitProblemsFound = 1,  // the command ran and found problems (e.g. verify)
  kExitUsage = 2,          // bad flags or arguments
  kExitFailure = 3,        // could not do the work (I/O, locked datadir, corrupt input)
};

struct Context {
  FILE* out = stdout;
  FILE* err = stderr;
};

// Thrown by commands for a user mistake in the arguments; becomes kExitUsage.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Command {
  std::string name;     // words separated by single spaces
  std::string summary;  // one line for the command list
  std::function<int(const std::vector<std::string>& args, Context& ctx)> run;
};

// Finds the command whose name matches the longest prefix of `argv` (after the
// program name), runs it with the remaining words, and returns its exit code.
int run_commands(const std::string& program, const std::string& description,
                 const std::vector<Command>& commands, const std::vector<std::string>& argv,
                 Context& ctx);

// argv-style view for option parsers. The returned pointers borrow `args`.
std::vector<char*> make_argv(const std::string& program, const std::vector<std::string>& args,
                             std::vector<std::string>& storage);

}  // namespace klay::cli
