// kchaindata's view of the shared datadir flags (tools/common/datadir_options.h)
// and option parsing (tools/common/option_parsing.h): the offline tool's cache
// sizes, read-only opening, and "kchaindata <command>: ..." failures.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "tools/common/command.h"
#include "tools/common/datadir_options.h"
#include "tools/common/option_parsing.h"

namespace klay::kchaindata {

using cli::add_datadir_options;
using cli::DatadirFlags;
using cli::finish_datadir_flags;
using cli::handle_help;

// The chaindata config for `flags` (settings file, then overrides) with a
// small cache suited to an offline tool.
Result<chaindata::Config> resolve_config(const DatadirFlags& flags);

// Opens the datadir (read-only unless `writable`), with a small cache suited
// to an offline tool. The error names the datadir and what to do.
Result<std::unique_ptr<chaindata::DBManager>> open_datadir(const DatadirFlags& flags, bool writable);

// Prints "kchaindata <command>: <message>." to ctx.err and returns the exit
// code for the status (kExitFailure; Busy and the rest alike, they are not usage errors).
int report_failure(cli::Context& ctx, std::string_view command, const Status& status);

// Parses hex with or without 0x. Throws UsageError naming `what` on bad hex.
Bytes parse_hex_arg(const std::string& text, std::string_view what);

}  // namespace klay::kchaindata
