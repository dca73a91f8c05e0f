// StateMigration: copies the state trie at block N into a fresh database
// (statetrie_migrated_<N>), verifies it and swaps it in, dropping every node
// the state no longer reaches. One engine for both forms:
//   online  (inside the node): start() at a committed block, run() on a
//           background thread while blocks keep being processed with the
//           dual-write hooks (dual_store.h), finish() with block processing
//           paused; request_stop() + drop() to abort.
//   offline (kchaindata migrate): start() or resume(), run(), finish().
//
// Flow and durable state:
//  1. start(): opens the target through DBManager::open_entry(
//     kStateTrieMigration, "statetrie_migrated_<N>") (sharded like the state
//     trie, any backend), writes its checkpoint record into the target, then
//     migrationStatus = BE64(N) into misc.
//  2. run(): TrieCopier copies the tree at root N, then (online) the newest
//     committed root; both are then verified by walking the target alone
//     (state_verifier.h); the checkpoint becomes "verified".
//  3. finish(): copies what the newest root gained since (cheap: recorded
//     subtrees are skipped), records migrationOldDBPath = old directory,
//     DBManager::promote_migration_target() (one atomic misc batch),
//     clears migrationStatus, deletes the old directory, clears
//     migrationOldDBPath, and deletes the migration's own records from the
//     promoted database.
//  4. drop(): closes and deletes the target and clears migrationStatus; the
//     old state trie is untouched.
//  A crash anywhere is repaired by resume_pending_cleanup() at the next open
//  (it finishes a swap or deletion that was under way); a migration still
//  marked in misc then continues with resume() + run().
//
// Resume and dedupe (details in trie_copier.h): completion records in the
// target name subtrees durably and fully copied; a Bloom filter of their keys
// (rebuilt from the records on resume) fronts an exact record lookup. A
// rerun after a stop or crash skips every recorded subtree, so nothing
// already copied is read or written again except the few nodes of subtrees
// that were unfinished (smaller than record_min_nodes, or in flight).
// Counters (read/committed) are checkpointed every checkpoint_interval.
// Durability: records ride in the next batch after their nodes' batch
// returned ok, so a process crash never leaves a record without its nodes;
// against power loss the target is as durable as Config::sync_writes makes it.
//
// Memory (bytes per unique node; target <= 16):
//  - subtree filter: ~10 bits per completion record, sized from the source's
//    estimated key count / (record_min_nodes/2+1): ~0.25 byte per node at 8;
//  - code filter: 10 bits per 16 estimated keys (< 0.1 byte per node);
//  - per worker: its batch (~100 KiB), the not-yet-durable completion
//    records (a few hundred entries), a DFS stack of <= ~130 frames;
//  - verify: an exact set of walked storage-root keys, capped at
//    max(estimated_keys/8, 2^20) entries of ~72 bytes (<= 9 bytes per node);
//    past the cap shared tries are walked again instead of remembered.
// Nothing grows with the number of nodes copied except these bounded sets.
//
// Live pruning (ExtHash keys): nodes are copied under their 39-byte keys
// with their 39-byte child references and storage roots, exactly as stored.
//
// Threading: one StateMigration per DBManager. status() and request_stop()
// may be called from any thread at any time; run(), finish() and drop() from
// one thread, one at a time. Online, the caller serialises finish()/drop()
// with its own state-trie readers and writers (DBManager swaps databases).
// Ownership: borrows the DBManager, which must outlive it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/trie/node_store.h"
#include "migration/migration_records.h"
#include "migration/migration_status.h"
#include "migration/state_verifier.h"
#include "migration/subtree_filter.h"
#include "migration/trie_copier.h"

namespace klay::migration {

struct MigrationOptions {
  // Worker threads for copy and verify; 0 = every core. Default: 0.
  size_t threads = 0;
  // Smallest subtree given a completion record. Default: 8.
  uint64_t record_min_nodes = 8;
  // How often the counters are checkpointed into the target; also the
  // longest a worker holds an unwritten batch (so completion records, the
  // real checkpoint, are at most about twice this old). Default: 2 s.
  std::chrono::milliseconds checkpoint_interval{2000};
  // How often on_progress is called. Default: 10 s.
  std::chrono::milliseconds progress_interval{10000};
  // Called from a monitor thread while run() works. Default: none.
  std::function<void(const MigrationProgress&)> on_progress;
  // Online: the newest committed state root (its nodes already written).
  // Default: none (offline: only root N is kept).
  std::function<Result<trie::NodeKey>()> latest_root;
  // TEST ONLY, see CopyOptions. Default: false / none.
  bool unsafe_skip_if_present = false;
  std::function<void(size_t task, const trie::NodeKey& key)> before_subtree;
};

class StateMigration {
 public:
  // Starts a migration of the state at block_num (stored under `root`).
  // NotSupported in single-DB or read-only mode; Busy when one is running
  // (migrationStatus set); NotFound when `root` is not in the state trie.
  static Result<std::unique_ptr<StateMigration>> start(chaindata::DBManager& dbm, uint64_t block_num,
                                                       const trie::NodeKey& root, MigrationOptions options = {});
  // Continues the migration misc records. NotFound when none runs;
  // Corruption when its target or checkpoint is missing (call
  // resume_pending_cleanup first, which clears such leftovers).
  static Result<std::unique_ptr<StateMigration>> resume(chaindata::DBManager& dbm, MigrationOptions options = {});

  ~StateMigration();
  StateMigration(const StateMigration&) = delete;
  StateMigration& operator=(const StateMigration&) = delete;

  // Copies and verifies (blocking). Ok when the target holds everything
  // reachable from root N and the newest root; Aborted after request_stop();
  // otherwise the first error (status().err says it too). May be called
  // again after a failure or stop: it resumes.
  Status run();
  // Swaps the verified target in (step 3 above). REQUIRES: run() returned ok;
  // online, no state-trie reader or writer runs concurrently.
  // finish() = swap() + remove_old().
  Status finish();
  // The part of finish() that needs state-trie I/O paused: the copy of what
  // the newest root gained, migrationOldDBPath, the promotion, clearing
  // migrationStatus. Same REQUIRES as finish().
  Status swap();
  // The rest of finish(), which may run while blocks are processed again
  // (writes now go to the promoted database): deletes the old directory,
  // clears migrationOldDBPath and the migration records. REQUIRES: swap()
  // returned ok. A crash before it completes is repaired at the next open
  // by resume_pending_cleanup().
  Status remove_old();
  // Makes a running run() return Aborted soon. Thread-safe.
  void request_stop() { stop_.store(true); }
  // Deletes the target and clears migrationStatus (after run() returned).
  Status drop();

  MigrationStatus status() const;
  uint64_t block_num() const { return meta_.block_num; }
  const trie::NodeKey& root() const { return meta_.root; }
  // The migration target (for the dual-write hooks). Valid until finish()/drop().
  kv::Database& target() const;
  // Counters of the current run() (the status sums them with earlier runs).
  const CopyCounters& counters() const { return counters_; }
  uint64_t filter_bytes() const { return subtrees_->memory_bytes() + codes_->memory_bytes(); }

 private:
  StateMigration(chaindata::DBManager& dbm, CheckpointMeta meta, MigrationOptions options);
  Status init_filters();
  Status write_meta();
  Status copy_and_verify();
  void monitor_loop();
  CopyOptions copy_options() const;

  chaindata::DBManager& dbm_;
  CheckpointMeta meta_;   // written only by the thread calling run()/finish()
  CheckpointMeta base_;   // counters as of construction (counters_ accumulate over runs)
  MigrationOptions options_;
  uint64_t estimated_nodes_ = 0;
  std::unique_ptr<SubtreeFilter> subtrees_;
  std::unique_ptr<SubtreeFilter> codes_;
  CopyCounters counters_;
  std::atomic<bool> stop_{false};
  std::atomic<int> phase_{0};
  std::atomic<uint64_t> runs_{0};  // mirrors meta_.runs for status()
  trie::NodeKey verified_latest_;  // set by copy_and_verify() on success
  std::atomic<uint64_t> verify_nodes_{0};
  std::atomic<uint64_t> verify_total_{0};
  std::atomic<bool> monitor_stop_{false};
  std::chrono::steady_clock::time_point run_start_;
  mutable std::mutex err_mu_;
  std::string err_;
  std::string old_dir_;  // set by swap()
};

// Finishes what a crash interrupted, at startup (node and tools), before any
// migration is started or resumed:
//  - migrationOldDBPath set: deletes that directory unless it is still the
//    live state trie (the swap had not happened), then clears the record;
//  - migrationStatus set without an open target: the swap completed (clear
//    the status) or a drop was under way (delete the target, clear status);
//  - a target open without migrationStatus: deletes it;
//  - no migration running: deletes leftover migration records from the
//    live state trie.
// Ok (doing nothing) in single-DB and read-only mode.
Status resume_pending_cleanup(chaindata::DBManager& dbm);

}  // namespace klay::migration
