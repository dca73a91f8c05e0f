// Live pruning (KIP-111) hosted in `knode run`: the glue between BlockChain's
// hooks and pruning::LivePruner.
//
//   auto pruning = PruningHost::prepare(datadir, chain_options, &registry);  // before the chain opens
//   auto opened = open_chain(datadir, chain_options);                        // recovery writes marks
//   auto running = (*pruning)->start(*opened->dbm, *opened->chain);          // after recovery
//   ...                                                                       // blocks: marks + background pruning
//   running->reset();                                                         // before the chain closes
//
// prepare() reads the datadir settings file (live pruning, retention) and
// installs two hooks, chained after any hook already set:
//   on_block_batch     LivePruner::write_marks(w, n-1, obsolete_on_disk): the
//                      marks of block n (its obsolete keys already on disk;
//                      full gcmode leaves out those still only in memory, see
//                      chain_options.h) ride in the batch that stores it (and
//                      in the batch of every block crash recovery re-executes,
//                      which is why it is installed before the chain opens);
//   on_block_inserted  LivePruner::notify(ChainPosition{head,
//                      state_on_disk_block, {head root, durable root}}), and
//                      the metrics below; a warning when pruning falls behind.
//                      The pruner's passes are coalesced: deletions lag
//                      head - retention by up to min_blocks_per_pass - 1
//                      blocks (64 by default, a quarter of a retention
//                      under 256 blocks; live_pruner.h).
// start() resolves live pruning from misc ("PruningEnabled" decides; a
// settings file that disagrees is logged), opens the pruner (memory window =
// tries_in_memory in full gcmode, 0 in archive) and starts the background
// thread. It returns nullptr when the datadir has no live pruning. The JSON-RPC
// side of pruning (state at a pruned block answers -32000 "state at block N
// is pruned ...") is node::pruning_state_guard (pruning_state_guard.h), which
// the caller sets on api::ApiBackend::state_guard.
//
// Rewinding: the node has no head-rewind path today (no debug_setHead; blocks
// must extend the head, no reorgs), so nothing calls LivePruner::check_rewind;
// a future rewind must call running->pruner().check_rewind(target) first.
//
// Metrics (when a registry is given):
//   klay_pruning_last_pruned_block   gauge  lastPrunedBlockNumber
//   klay_pruning_lag_blocks          gauge  blocks whose marks may be processed but are not yet
//
// Threading: the hooks run on the inserting thread; the pruner's thread does
// the deletions. Ownership: the PruningHost must outlive the chain (its hooks
// point at it); the RunningPruning borrows the DBManager and the chain and
// must be destroyed before the chain closes (it stops the thread and removes
// the state guard; a final prune is not needed: the next start continues at
// lastPrunedBlockNumber + 1).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "node/chain/blockchain.h"
#include "node/rpc/metrics.h"
#include "pruning/live_pruner.h"

namespace klay::node {

class RunningPruning;

class PruningHost {
 public:
  // Reads <datadir>'s settings file and installs the hooks into `options`.
  // `metrics` may be null; borrowed otherwise.
  static Result<std::unique_ptr<PruningHost>> prepare(const std::filesystem::path& datadir,
                                                      chain::BlockChainOptions& options,
                                                      rpc::MetricsRegistry* metrics = nullptr);
  ~PruningHost();
  PruningHost(const PruningHost&) = delete;
  PruningHost& operator=(const PruningHost&) = delete;

  // After BlockChain::open (recovery done). nullptr when live pruning is off.
  // Errors: those of LivePruner::open (a sentence naming the datadir's state).
  Result<std::unique_ptr<RunningPruning>> start(const chaindata::DBManager& dbm, const chain::BlockChain& chain);

  // Whether marks are written (live pruning on, as far as known so far).
  bool marks_enabled() const { return marks_enabled_.load(); }
  uint64_t retention() const { return retention_; }

 private:
  friend class RunningPruning;
  PruningHost() = default;
  Status on_block_batch(uint64_t block_num, std::span<const trie::NodeKey> obsolete, rawdb::ChainWriter& w);
  void on_block_inserted(const chain::BlockInsertedEvent& ev);

  std::atomic<bool> marks_enabled_{false};
  uint64_t retention_ = rawdb::kDefaultLivePruningRetention;
  rpc::MetricsRegistry* metrics_ = nullptr;
  std::mutex mu_;                     // guards running_
  RunningPruning* running_ = nullptr;  // set while a RunningPruning lives
};

// A started LivePruner in background mode (see the file comment).
class RunningPruning {
 public:
  ~RunningPruning();  // stop()
  RunningPruning(const RunningPruning&) = delete;
  RunningPruning& operator=(const RunningPruning&) = delete;

  const pruning::LivePruner& pruner() const { return *pruner_; }
  // The position the pruner is told about after a block was inserted.
  Result<pruning::ChainPosition> position() const;
  // Blocks until the background thread handled every notified position
  // (tests); marks of fewer than LivePrunerOptions::min_blocks_per_pass due
  // blocks may be left for a later pass (see LivePruner::wait_idle).
  void wait_idle() { pruner_->wait_idle(); }
  // Processes every mark due now, however few, and waits (benchmarks, tests).
  void drain() { pruner_->drain(); }
  // Sets the gauges from the pruner now (they are otherwise refreshed at each
  // block, before that block's pruning step). Call from the inserting thread
  // or while no block is inserted.
  void refresh_metrics();
  // Stops the thread and removes the state guard. Idempotent.
  void stop();

 private:
  friend class PruningHost;
  RunningPruning(PruningHost& host, const chain::BlockChain& chain, std::unique_ptr<pruning::LivePruner> pruner);
  void on_block_inserted(const chain::BlockInsertedEvent& ev);
  void update_metrics(const pruning::ChainPosition& pos);
  // The newest block whose marks the pruner may process at `pos` (LivePruner's limit).
  std::optional<uint64_t> limit(const pruning::ChainPosition& pos) const;

  PruningHost& host_;
  const chain::BlockChain& chain_;
  std::unique_ptr<pruning::LivePruner> pruner_;
  rpc::Gauge* last_pruned_gauge_ = nullptr;
  rpc::Gauge* lag_gauge_ = nullptr;
  // Durable state root cache (the inserting thread only).
  uint64_t durable_block_ = UINT64_MAX;
  Hash durable_root_;
  bool behind_ = false;
  std::chrono::steady_clock::time_point last_behind_log_{};
  bool stopped_ = false;
};

// Blocks of marks the pruner may be behind its limit before a warning is logged.
inline constexpr uint64_t kPruningBehindWarnBlocks = 1024;

}  // namespace klay::node
