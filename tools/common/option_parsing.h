// Parsing a subcommand's options with cxxopts, and reporting its failure, the
// same way in every CLI (kchaindata, knode).
#pragma once

#include <cxxopts.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"
#include "tools/common/command.h"

namespace klay::cli {

// Parses `args` (the words after the command's name) with `parser`. With
// -h/--help: prints the help (only `groups` when given) to ctx.out and
// returns nullopt. Throws UsageError for a stray positional argument;
// cxxopts' own errors (unknown option, bad value) propagate, and
// run_commands reports them as usage errors too.
std::optional<cxxopts::ParseResult> parse_options(cxxopts::Options& parser, const std::vector<std::string>& args,
                                                  Context& ctx, const std::vector<std::string>& groups = {});

// The help/stray-argument half of parse_options, for a result parsed already.
// Returns true when the help was printed.
bool handle_help(const cxxopts::Options& parser, const cxxopts::ParseResult& parsed, Context& ctx,
                 const std::vector<std::string>& groups = {});

// Prints "<program>: <message>." (trailing dots and newlines of the message
// dropped, no dot after a '?' or '!', so it stays one sentence) to ctx.err
// and returns kExitFailure.
int print_failure(Context& ctx, std::string_view program, const Status& status);

}  // namespace klay::cli
