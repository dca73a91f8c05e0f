// The offline form of the state migration as one library call, shared by
// `kchaindata migrate` and the test driver: clean up after a crash, resume an
// interrupted migration or start one at the chosen block, run, swap.
//
// REQUIRES: `dbm` is writable and not used by anything else meanwhile (a
// stopped node's datadir). Blocks; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "migration/migrator.h"

namespace klay::migration {

struct OfflineOptions {
  // Block whose state is kept; nullopt: the newest block (from the head back)
  // whose state is present. Default: nullopt.
  std::optional<uint64_t> block_num;
  // Engine options (threads, progress callback, test hooks). latest_root is ignored.
  MigrationOptions engine;
  // Called once the migration is started or resumed, before the copy.
  std::function<void(const StateMigration&, bool resumed)> on_start;
};

struct OfflineReport {
  uint64_t block_num = 0;
  trie::NodeKey root;
  bool resumed = false;     // an interrupted migration was continued
  bool already_migrated = false;  // the state trie already is the migration of this block: nothing done
  uint64_t runs = 0;        // copy runs so far, this one included
  uint64_t nodes_read = 0;  // this run
  uint64_t nodes_written = 0;
  uint64_t nodes_skipped = 0;  // covered by completion records (dedupe and resume)
  uint64_t codes_written = 0;
  uint64_t records = 0;
  uint64_t total_read = 0;  // all runs
  uint64_t filter_bytes = 0;
  double seconds = 0;
  std::string old_dir;
  std::string new_dir;
};

// NotSupported in single-DB mode; Busy when an interrupted migration at another
// block than `block_num` is pending; NotFound when the chosen block's state is
// missing or incomplete (then nothing is changed); otherwise the first error.
Result<OfflineReport> run_offline_migration(chaindata::DBManager& dbm, const OfflineOptions& options);

}  // namespace klay::migration
