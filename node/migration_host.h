// MigrationHost: the online state-trie migration inside knode (issue 6).
// It owns the migration (migration/migrator.h) and its thread, routes the
// chain's state-trie I/O, and serves the admin_ methods
// (api::StateMigrationControl), the 10 s progress log line and the metrics.
//
// Use (run_command.cpp):
//   MigrationHost host(&registry);
//   host.prepare(chain_options);                  // before open_chain
//   auto opened = open_chain(datadir, chain_options);
//   host.attach(*opened->chain);                  // resumes a recorded migration
//   ... ApiBackend::migration = &host ...
//   host.shutdown();                              // before the chain closes
//
// Routing. BlockChainOptions' sink and disk readers are fixed at chain open,
// so prepare() installs switchable ones: they forward to the plain state trie,
// or, while a migration runs, to a DualStateWriter (every node and code goes
// to both databases) and a FallbackStateReader (new database first). The
// state-sink factory is the first point where the chain hands over its
// DBManager; there, before any state is read or written, the host runs
// migration::resume_pending_cleanup() and, when misc records a migration,
// resumes it (dual writes from the first block crash recovery re-executes).
//
// Lifecycle of one migration:
//  start_state_migration()  refused when one runs or is requested
//                           (Busy), in single-DB mode or with live pruning
//                           (NotSupported); otherwise marks it requested.
//  next state commit        (on the inserting thread, in on_state_commit):
//                           StateMigration::start at that block N (creates
//                           statetrie_migrated_<N>, records it in misc), the
//                           routing switches to dual, the copy thread starts.
//  copy thread              run(); on success it takes the routing's write
//                           and read locks (so the next state write or disk
//                           read of the chain waits), flushes the dual
//                           writer, swap()s (copy of what the newest
//                           committed root gained, promotion recorded in
//                           misc), switches the routing to the promoted
//                           database, releases the locks, then remove_old()
//                           deletes the old directory (status: isMigration
//                           true, phase "deleting", until it is gone). On failure the new
//                           database is dropped and the error kept in err.
//  stop_state_migration()   request_stop, join, switch to plain, drop().
//  shutdown()               request_stop and join only: the migration stays
//                           recorded (and dual-written until the chain's
//                           close) and resumes at the next start.
//
// Threading: every public method is thread-safe. The routing's sink is used
// by the chain's inserting thread, its readers from any thread.
// Ownership: borrows the MetricsRegistry (must outlive the host) and, after
// the chain opened, its DBManager and BlockChain; shutdown() must run before
// they close. The host must outlive the chain (its hooks call the host; the
// chain's sink shares the routing, the disk readers borrow it).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "migration/migration_status.h"
#include "migration/migrator.h"
#include "node/api/admin_migration_methods.h"
#include "node/chain/blockchain.h"
#include "node/rpc/metrics.h"

namespace klay::node {

struct MigrationHostOptions {
  // Copy and verify threads; 0 = half the cores (at least 1), leaving the
  // rest to block processing. Default: 0.
  size_t threads = 0;
  // Nice value of the copy thread (and the monitor thread it starts), so
  // block processing wins the CPU when both want it; 0 keeps the node's own.
  // Default: 10.
  int nice = 10;
  // While blocks are being inserted (one within the last 500 ms), each copy
  // thread works at most this share of the wall time: after each copy task
  // it sleeps (task time) * (1 - share) / share, at most 100 ms. The copy's
  // writes also drive the new database's compactions, which nice cannot
  // slow down; this keeps block import above half its rate (measured: 0.59-
  // 0.83 of it at one third, 0.53-0.82 at one half, 0.48-0.71 without, on an
  // idle 2-core machine). 1 disables it. Default: 0.34.
  double busy_share = 0.34;
  // Progress log line interval (nodes/s and ETA). Default: 10 s.
  std::chrono::milliseconds log_interval{10000};
  // Metrics/status refresh interval while copying. Default: 1 s.
  std::chrono::milliseconds progress_interval{1000};
  // Passed to MigrationOptions (see migrator.h). Default: 2 s.
  std::chrono::milliseconds checkpoint_interval{2000};
  // TEST ONLY: MigrationOptions::before_subtree (slow the copy down, inject
  // blocks at a chosen moment). Default: none.
  std::function<void(size_t task, const trie::NodeKey& key)> before_subtree;

  // The defaults, plus the end-to-end tests' knobs read from the environment:
  // KNODE_TEST_MIGRATION_DELAY_US=N sleeps N µs before each copy task (so a
  // test can act while a migration runs); KNODE_MIGRATION_THREADS=T sets
  // `threads`. Unset: the defaults.
  static MigrationHostOptions from_environment();
};

class MigrationHost : public api::StateMigrationControl {
 public:
  // `metrics` may be null (no gauges).
  explicit MigrationHost(rpc::MetricsRegistry* metrics, MigrationHostOptions options = {});
  // shutdown().
  ~MigrationHost() override;
  MigrationHost(const MigrationHost&) = delete;
  MigrationHost& operator=(const MigrationHost&) = delete;

  // Installs the switchable sink, disk readers and an on_state_commit hook
  // (chained before any hook already set). Call once, before the chain opens.
  void prepare(chain::BlockChainOptions& options);
  // After the chain opened: starts the copy thread of a resumed migration.
  Status attach(chain::BlockChain& chain);
  // Stops the copy thread without dropping anything. Idempotent.
  void shutdown();

  // api::StateMigrationControl
  Status start_state_migration() override;
  Status stop_state_migration() override;
  migration::MigrationStatus state_migration_status() const override;

  // The number of completed swaps since construction (tests, logs).
  uint64_t finished_count() const { return finished_.load(); }
  // Blocks until no migration is requested or running, or `timeout` passed;
  // true when idle. For tests and tools.
  bool wait_idle(std::chrono::milliseconds timeout) const;

  struct Routing;  // migration_host.cpp

 private:
  Status bind(chaindata::DBManager& dbm);  // from the sink factory
  void on_state_commit(const chain::StateCommitEvent& ev);
  Status begin_at(uint64_t block_num, const Hash& root);  // inserting thread
  migration::MigrationOptions migration_options();
  void launch_locked();
  void copy_thread(migration::StateMigration* m);
  Status finish_locked(migration::StateMigration& m);
  Status drop_locked(migration::StateMigration& m);
  void on_progress(const migration::MigrationProgress& p);
  void publish(const migration::MigrationStatus& st, double nodes_per_second);

  rpc::MetricsRegistry* metrics_;
  MigrationHostOptions options_;
  std::shared_ptr<Routing> routing_;
  chaindata::DBManager* dbm_ = nullptr;
  chain::BlockChain* chain_ = nullptr;
  Status bind_status_ = Status::ok();

  // Guards the fields below; never held while waiting for the routing locks
  // from the inserting thread's side (on_state_commit takes it only after the
  // chain's sink calls returned).
  mutable std::mutex mu_;
  mutable std::condition_variable idle_cv_;
  bool start_requested_ = false;
  // admin_stopStateMigration arrived for the running migration: the copy
  // thread must not swap it in even if its copy had just completed.
  bool stop_requested_ = false;
  std::unique_ptr<migration::StateMigration> migration_;
  std::thread thread_;
  bool thread_done_ = true;
  std::optional<migration::MigrationStatus> last_;  // of the last finished/dropped migration

  std::mutex root_mu_;
  Hash latest_root_;  // newest committed state root (zero: none seen yet)

  std::atomic<uint64_t> finished_{0};
  // steady_clock nanoseconds of the last inserted block (the copy throttle).
  std::shared_ptr<std::atomic<int64_t>> last_block_ns_ = std::make_shared<std::atomic<int64_t>>(0);
  std::chrono::steady_clock::time_point last_log_{};

  rpc::Gauge* g_running_ = nullptr;
  rpc::Gauge* g_block_ = nullptr;
  rpc::Gauge* g_read_ = nullptr;
  rpc::Gauge* g_committed_ = nullptr;
  rpc::Gauge* g_pending_ = nullptr;
  rpc::Gauge* g_skipped_ = nullptr;
  rpc::Gauge* g_progress_ = nullptr;
  rpc::Gauge* g_rate_ = nullptr;
  rpc::Counter* c_finished_ = nullptr;
};

}  // namespace klay::node
