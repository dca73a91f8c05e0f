// `knode init`: write a genesis block into a data directory.
//
//   knode init --datadir D --genesis F [--db.type leveldb|rocksdb|lmdb|memory]
//              [--db.single] [--db.num-statetrie-shards N]
//              [--state.live-pruning] [--state.live-pruning-retention N]
//
// Opens the chaindata of D (locking it), writes the genesis of F (or checks
// that the same genesis is already there), records live pruning in misc
// ("PruningEnabled", as the reference does) and the fixed chaindata settings
// in <D>/klay/chaindata-settings.json (datadir_settings.h), then prints the
// genesis hash as 0x… on stdout and "Successfully wrote genesis state" on
// stderr.
// On an initialised datadir, flags not given default to the recorded
// settings; a given flag that contradicts them is refused.
// Exit codes: 0 ok, 2 usage error, 3 failure (unreadable genesis, invalid
// JSON, locked datadir, wrong backend, incompatible genesis).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/common/command.h"

namespace klay::node {

struct InitOptions {
  std::string datadir;
  std::string genesis;
  std::optional<std::string> db_type;        // default leveldb
  std::optional<bool> db_single;             // default false
  std::optional<uint32_t> num_statetrie_shards;  // default 4
  std::optional<bool> live_pruning;          // default false
  std::optional<uint64_t> live_pruning_retention;  // default 172800
};

// Parses the arguments after "init". Throws cli::UsageError (or a cxxopts
// exception) for bad flags. Returns nullopt after printing --help.
std::optional<InitOptions> parse_init_options(const std::vector<std::string>& args, cli::Context& ctx);

// Runs init with parsed options; returns the exit code.
int run_init(const InitOptions& options, cli::Context& ctx);

int run_init_command(const std::vector<std::string>& args, cli::Context& ctx);

}  // namespace klay::node
