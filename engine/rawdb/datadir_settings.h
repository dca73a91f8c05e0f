// The chaindata settings fixed when a datadir is initialised, recorded in
// <datadir>/klay/chaindata-settings.json so that later commands (knode run,
// kchaindata) can open the datadir without repeating the flags.
//
// Example file:
//   {"backend":"leveldb","single_db":false,"num_statetrie_shards":4,
//    "live_pruning":false,"live_pruning_retention":172800}
// The reference node keeps only "PruningEnabled" in misc (also written by
// init, see accessors_meta.h); the rest it expects on every command line.
//
// Pure file I/O; thread-safe as long as callers do not race on one datadir
// (init holds the datadir lock while saving).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "engine/chaindata/config.h"
#include "engine/core/status.h"
#include "engine/kv/options.h"

namespace klay::rawdb {

// Klaytn's --state.live-pruning-retention default (blocks).
inline constexpr uint64_t kDefaultLivePruningRetention = 172800;

struct DatadirSettings {
  kv::Backend backend = kv::Backend::kLevelDB;   // --db.type
  bool single_db = false;                        // --db.single
  uint32_t num_statetrie_shards = 4;             // --db.num-statetrie-shards
  bool live_pruning = false;                     // --state.live-pruning
  uint64_t live_pruning_retention = kDefaultLivePruningRetention;  // --state.live-pruning-retention

  bool operator==(const DatadirSettings&) const = default;
  // `config` with backend, single_db and shard count taken from these settings.
  chaindata::Config apply(chaindata::Config config) const;
};

std::filesystem::path datadir_settings_path(const std::filesystem::path& datadir);

// nullopt when the datadir has no settings file. Corruption naming the file
// when it exists but is not valid settings JSON; IOError when unreadable.
Result<std::optional<DatadirSettings>> load_datadir_settings(const std::filesystem::path& datadir);

// Writes the file atomically (temporary file + rename). REQUIRES: <datadir>/klay exists.
Status save_datadir_settings(const std::filesystem::path& datadir, const DatadirSettings& settings);

std::string to_json(const DatadirSettings& settings);

}  // namespace klay::rawdb
