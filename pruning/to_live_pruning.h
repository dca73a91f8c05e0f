// Converting a datadir without live pruning (plain 32-byte node keys) into a
// live-pruning one, offline: the state at block N is rewritten into ExtHash
// form in a fresh state-trie directory and swapped in.
//
// Steps (REQUIRES: a stopped node's datadir, `dbm` used by nothing else):
//   1. refuse a datadir that already has live pruning, single-DB mode, and a
//      running state migration; clean up what an interrupted conversion left
//      (its half-written directory, recorded as the migration target);
//   2. open "statetrie_livepruning_<N>" as the migration target
//      (DBManager::open_entry) and copy the state at N depth-first, children
//      before parents: every non-root account-trie node and every storage-trie
//      node gets a fresh ExtHash (counter from `counter`), SCA accounts store
//      their storage root as a 39-byte ref, the account-trie root keeps its
//      plain hash (zero extension), Legacy accounts' storage roots too (they
//      hold only 32 bytes); code is copied once per hash;
//   3. verify: walk the new trie, recompute every node's hash form (counters
//      stripped, SCA values unextended) and check its Keccak against the key;
//      the root must be the original root;
//   4. commit, in ONE misc batch: the new directory recorded for the state
//      trie, the migration-target record removed, "PruningEnabled",
//      "lastPrunedBlockNumber" = N-1 (older states are gone) and
//      "migrationOldDBPath" = the old directory; then the old directory is
//      deleted and that record cleared (a crash in between leaves the record,
//      which the migration's boot cleanup — or a rerun — finishes);
//   5. save the datadir settings file with live_pruning on and `retention`.
// A crash before 4 leaves the datadir as it was (plus a directory step 1 of
// the next run deletes); after 4 the datadir is converted.
// After success the DBManager has the new state trie open.
// Blocks; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/rawdb/datadir_settings.h"
#include "engine/trie/ext_hash_counter.h"

namespace klay::pruning {

inline constexpr std::string_view kLivePruningDirPrefix = "statetrie_livepruning_";

struct ToLivePruningOptions {
  // Block whose state is converted; nullopt: the newest block with its state
  // on disk (the node re-executes any later blocks at its next start).
  std::optional<uint64_t> block_num;
  // --state.live-pruning-retention recorded in the settings file.
  uint64_t retention = rawdb::kDefaultLivePruningRetention;
  // ExtHash counters; nullptr: trie::process_ext_hash_counter().
  trie::ExtHashCounter* counter = nullptr;
};

struct ToLivePruningReport {
  uint64_t block_num = 0;
  Hash root;
  uint64_t nodes_written = 0;
  uint64_t storage_tries = 0;
  uint64_t codes_written = 0;
  uint64_t nodes_verified = 0;
  std::string old_dir, new_dir;
  double seconds = 0;
};

// InvalidArgument when live pruning is already on; NotSupported in single-DB
// or read-only mode; Busy while a state migration is running; NotFound when
// the state at the block is missing or incomplete (nothing changed);
// Corruption when the verification fails (the new directory is deleted).
Result<ToLivePruningReport> convert_to_live_pruning(chaindata::DBManager& dbm, const ToLivePruningOptions& options);

}  // namespace klay::pruning
