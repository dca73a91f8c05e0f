// Opening an operator's datadir from an offline command (kchaindata and its
// migrate/prune commands): the settings file written by `knode init`
// (<datadir>/klay/chaindata-settings.json) fixes the backend and layout, and
// the Klaytn flags --db.type, --db.single and --db.num-statetrie-shards
// override it when given.
//
// Every failure becomes one sentence (Busy for a datadir a running node
// holds, InvalidArgument for a wrong path or a flag that does not match what
// is on disk).
#pragma once

#include <cxxopts.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"

namespace klay::cli {

struct DatadirFlags {
  std::string datadir;
  std::string db_type;          // empty: from the settings file (LevelDB without one)
  bool single = false;          // only meaningful when single_given
  bool single_given = false;
  uint32_t num_shards = 0;      // 0: from the settings file (4 without one)
};

// Adds --datadir, --db.type, --db.single and --db.num-statetrie-shards (group "datadir").
void add_datadir_options(cxxopts::Options& parser, DatadirFlags& flags);
// Reads what add_datadir_options cannot bind directly (whether --db.single was given).
// Throws UsageError when --datadir is missing.
void finish_datadir_flags(const cxxopts::ParseResult& parsed, DatadirFlags& flags);

// `base` (cache sizes, read_only) with the settings file, then the flags,
// applied; InvalidArgument when the datadir does not exist, holds no
// chaindata, or a flag names the memory backend or an invalid layout.
Result<chaindata::Config> resolve_datadir_config(const DatadirFlags& flags, chaindata::Config base);

// Opens the datadir with `config`. A datadir held by a running node is Busy,
// "... (<program> works on a stopped node only)".
Result<std::unique_ptr<chaindata::DBManager>> open_stopped_datadir(const DatadirFlags& flags,
                                                                   const chaindata::Config& config,
                                                                   std::string_view program);

}  // namespace klay::cli
