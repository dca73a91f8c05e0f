// Opening an operator's datadir from kchaindata: the settings file written by
// `knode init` (<datadir>/klay/chaindata-settings.json) fixes the backend and
// layout, and the Klaytn flags --db.type, --db.single and
// --db.num-statetrie-shards override it when given.
//
// Every failure becomes one sentence (Busy for a datadir a running node
// holds, InvalidArgument for a wrong path or a flag that does not match what
// is on disk).
#pragma once

#include <cxxopts.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "tools/common/command.h"

namespace klay::kchaindata {

struct DatadirFlags {
  std::string datadir;
  std::string db_type;          // empty: from the settings file (LevelDB without one)
  bool single = false;          // only meaningful when single_given
  bool single_given = false;
  uint32_t num_shards = 0;      // 0: from the settings file (4 without one)
};

// Adds --datadir, --db.type, --db.single and --db.num-statetrie-shards.
void add_datadir_options(cxxopts::Options& parser, DatadirFlags& flags);
// Reads what add_datadir_options cannot bind directly (whether --db.single was given).
// Throws UsageError when --datadir is missing.
void finish_datadir_flags(const cxxopts::ParseResult& parsed, DatadirFlags& flags);

// The chaindata config for `flags` (settings file, then overrides).
Result<chaindata::Config> resolve_config(const DatadirFlags& flags);

// Opens the datadir (read-only unless `writable`), with a small cache suited
// to an offline tool. The error names the datadir and what to do.
Result<std::unique_ptr<chaindata::DBManager>> open_datadir(const DatadirFlags& flags, bool writable);

// Prints "kchaindata <command>: <message>." to ctx.err and returns the exit
// code for the status (kExitFailure; Busy and the rest alike, they are not usage errors).
int report_failure(cli::Context& ctx, std::string_view command, const Status& status);

// Parses the common help/unmatched handling. Returns true when help was printed.
// `groups` limits the help to those option groups (hidden test options stay out); empty: all.
bool handle_help(const cxxopts::Options& parser, const cxxopts::ParseResult& parsed, cli::Context& ctx,
                 const std::vector<std::string>& groups = {});

// Parses hex with or without 0x. Throws UsageError naming `what` on bad hex.
Bytes parse_hex_arg(const std::string& text, std::string_view what);

}  // namespace klay::kchaindata
