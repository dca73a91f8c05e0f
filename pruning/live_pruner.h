// LivePruner: live pruning of ExtHash-keyed state (KIP-111), the bookkeeping
// half of it: pruning marks in misc, deletion of the nodes they name, and
// lastPrunedBlockNumber.
//
// Records (misc, engine/rawdb/schema.h):
//   "Pruning-" + BE64(p) + extHash(39) -> 0x01   a node that block p+1 replaced
//                                                 or deleted (p = the parent's number)
//   "lastPrunedBlockNumber" -> LE64(M)            every mark with p <= M is processed
//
// ---- The safety argument ----
// In ExtHash mode every stored node has a key no other node shares (a fresh
// counter per write), so a key obsoleted by block p+1 is referenced by no
// state at or after p+1: a mark (p, k) names a node unreachable from every
// root >= p+1. prune() processes only marks with
//     p <= limit = min(head - retention,          // retained roots (head-R, head]
//                      durable_state_block - 1,   // the root crash recovery starts from
//                      head - memory_window)      // see "gcmode" below
// so no node reachable from a retained root, or from the newest root on disk,
// is ever deleted, whatever the moment of a crash.
// One exception is outside this argument: keys with zero extension (the
// account-trie root, and storage roots of Legacy accounts) are plain hashes,
// so identical content recurring later reuses the key. prune() never deletes
// a zero-extension key equal to one of ChainPosition::protected_roots (pass
// the head's and the durable block's state roots).
//
// ---- Ordering of one prune() step (SIGKILL-safe at any instant) ----
//   1. read marks in [last_pruned+1, limit] (a range scan of the misc prefix,
//      block order), at most max_marks_per_call, always ending at a block
//      boundary (a block is never split across calls);
//   2. delete the named nodes from the state-trie database, shard by shard
//      (straight to each shard's kv::Database when it is sharded), in key
//      order: LevelDB's memtable is a skip list, and keys inserted in order
//      walk the same, cached, nodes (several times cheaper than hash order);
//   3. delete those marks from misc in slices, the last slice in ONE batch
//      with lastPrunedBlockNumber.
// A crash before 3 leaves the marks: the next step deletes the same (now
// absent) keys again, which is harmless. A crash inside 3 leaves some of the
// step's marks deleted and lastPrunedBlockNumber not advanced: every deleted
// mark named a node already deleted in 2, so the next step redoes the marks
// still there and loses nothing (a mark is never deleted before its node).
// A crash after 3 resumes at lastPrunedBlockNumber+1: no rescan from block 1
// (the reference rescans).
//
// ---- Sharing the CPU with block import (yield_between_slices) ----
// Steps 1-3 run in slices (kScanSlice marks read, kDeleteSlice node
// deletions or kMarkSlice mark deletions per kv write, ~30-100 us each) and
// yield the CPU between slices. Why: the inserting thread waits for its TBB
// workers with sched_yield() (the state flush's per-shard parallel writes);
// a yield that hands the core to the pruning thread used to cost it the
// pruner's whole scheduler slice (ms), whatever the pruner's nice value,
// because a yielding thread is never woken and so never preempts. Slicing
// also bounds how long a block's own write to a shard waits behind a
// pruning batch in that shard's write queue.
//
// ---- Where marks are written (write_marks) ----
// Marks of block b (obsolete keys of b's StateCommit, recorded under b-1) go
// into the SAME rawdb::ChainBatch as block b's header/body and head pointers.
// ChainBatch writes state-trie batches first, misc next, head pointers last,
// and may flush misc early when it fills; so after a crash marks are never
// lost for a block the head names, but marks of a block the head does NOT
// name yet may exist. Such "orphan" marks (p >= head) would name nodes that a
// different block p+1 might keep, so open() deletes them (discard_orphan_marks)
// before any pruning: call it at startup, after the chain's own recovery has
// settled the head.
// In archive mode block b's nodes reach disk (the state sink) before the
// ChainBatch is written, so marks never precede the data that replaces them.
//
// ---- Background passes are coalesced ----
// The background thread starts a pass only once at least min_blocks_per_pass
// blocks of marks are due (or on drain()), then processes everything due in
// steps as above: many blocks' deletions sorted together insert into the
// memtable far more cheaply than one block's at a time (the bulk of the
// pruning cost, measured in docs/benchmarks.md "Live pruning"). So in
// background mode lastPrunedBlockNumber lags the limit below by at most
// min_blocks_per_pass - 1 blocks, plus the pass in progress. Keeping more
// state is always safe, and the node's API refuses every state at or below
// head - retention whether or not it is deleted yet (check_state_available).
// The crash argument is the one above: a pass is a sequence of ordinary steps.
//
// ---- gcmode (full: state on disk every N blocks, in-memory roots between) ----
// Most obsoleted nodes never reach disk: they live and die in the
// trie::NodeDatabase. The chain leaves them out of the marks (the
// on_block_batch hook gets only the obsolete keys not dirty in the
// NodeDatabase once the block's commit cadence ran, chain_options.h), so
// marks name nodes already on disk, or (rarely) nodes dropped from memory
// without a write, whose deletion is a no-op. Leak bound of that filter: an
// unmarked in-memory node reaches disk only if NodeDatabase::cap() flushes it
// while an in-memory root (one of the last tries_in_memory blocks) still
// holds it; it then stays as garbage. So only cap() leaks, at most the nodes
// obsoleted within the last tries_in_memory blocks per call, and nothing
// while the dirty set stays under trie_dirty_limit (root commits never write
// an obsolete node). Never a safety issue: an unmarked node is never deleted.
// Crash recovery re-executes through the same filter (nodes of its base
// state are on disk and marked; nodes re-execution made are dirty).
// memory_window (BlockChainOptions::tries_in_memory in full mode, 0 in
// archive mode) delays processing a mark until every in-memory root that
// could reference its node is dereferenced.
// durable_state_block keeps the newest on-disk root intact for recovery.
//
// Threading: prune(), discard_orphan_marks() and stop_background() must not
// run concurrently with each other (one pruning thread); last_pruned(),
// check_state_available() and check_rewind() may be called from any thread.
// write_marks() is a pure function of the writer it is given.
// The background mode owns one thread; notify() is cheap and non-blocking.
// Ownership: borrows the DBManager (must outlive the pruner and keep misc and
// the state trie open; no open_entry/promote while pruning).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/rawdb/chain_batch.h"
#include "engine/rawdb/datadir_settings.h"
#include "engine/rawdb/schema.h"
#include "engine/trie/node_store.h"

namespace klay::pruning {

struct LivePrunerOptions {
  // Blocks whose state is kept (--state.live-pruning-retention). >= 1.
  // Default: 172800 (the reference's).
  uint64_t retention = rawdb::kDefaultLivePruningRetention;
  // Full gcmode: BlockChainOptions::tries_in_memory; archive: 0. Default: 0.
  uint64_t memory_window = 0;
  // Marks processed per prune() call (more only to finish the block in
  // progress). Default: 50'000 (~3 MB of misc reads and ~2.4 MB of memory:
  // 48 bytes a mark, well under a block time).
  size_t max_marks_per_call = 50'000;
  // Background mode: blocks of marks that must be due before a pass starts
  // (see "Background passes are coalesced"). prune() and prune_all() ignore
  // it. Default 0: automatic, min(64, max(1, retention / 4)), resolved by
  // open() (options() shows the value in use): a 1-second chain lags at most
  // ~1 minute, and the garbage waiting for a pass stays under a quarter of
  // what the retention keeps, also for short retentions.
  uint64_t min_blocks_per_pass = 0;
  // Yield the CPU (sched_yield) between the slices of a step (see "Sharing the
  // CPU with block import"). Default: true.
  bool yield_between_slices = true;
};

// Where the chain is when prune() runs.
struct ChainPosition {
  uint64_t head = 0;                 // the head block number
  uint64_t durable_state_block = 0;  // newest block whose state root is fully on disk
  // State roots that must never be deleted even if marked (see the file comment):
  // the head's and the durable block's. Optional.
  std::vector<trie::NodeKey> protected_roots;
};

struct PruneReport {
  uint64_t first_block = 0;   // first block whose marks this call processed
  uint64_t last_pruned = 0;   // lastPrunedBlockNumber after the call
  uint64_t marks = 0;         // marks processed (and deleted)
  uint64_t protected_skips = 0;  // marked keys kept because they are protected roots
  bool more = false;          // marks up to the limit remain: call again
};

class LivePruner {
 public:
  // Reads lastPrunedBlockNumber (0 when absent), then deletes orphan marks
  // (discard_orphan_marks(head)). InvalidArgument when live pruning is not
  // enabled in this datadir ("PruningEnabled" absent) or retention is 0.
  static Result<std::unique_ptr<LivePruner>> open(const chaindata::DBManager& dbm, LivePrunerOptions options,
                                                  uint64_t head);

  ~LivePruner();  // stop_background()
  LivePruner(const LivePruner&) = delete;
  LivePruner& operator=(const LivePruner&) = delete;

  // Queues the marks of the block whose state commit produced `obsolete`,
  // recorded under `parent_block_num` (block b -> b-1), into `w`. Keys of
  // either length are accepted (32-byte keys are marked zero-extended).
  // Call with the block's ChainBatch before its commit() (see the file comment).
  static Status write_marks(rawdb::ChainWriter& w, uint64_t parent_block_num,
                            std::span<const trie::NodeKey> obsolete);

  // Deletes every mark with block number >= head (marks written for a block
  // the head never reached). Returns how many were deleted.
  Result<uint64_t> discard_orphan_marks(uint64_t head);

  // One bounded step (see the file comment). Nothing to do is not an error.
  // InvalidArgument when durable_state_block > head.
  Result<PruneReport> prune(const ChainPosition& pos);
  // prune() until nothing is left up to the limit.
  Result<PruneReport> prune_all(const ChainPosition& pos);

  // The newest block whose marks were processed (0 also when none was; see
  // any_pruned()).
  uint64_t last_pruned() const {
    const uint64_t next = next_.load(std::memory_order_acquire);
    return next == 0 ? 0 : next - 1;
  }
  // False until the first prune step (lastPrunedBlockNumber absent).
  bool any_pruned() const { return next_.load(std::memory_order_acquire) > 0; }
  const LivePrunerOptions& options() const { return options_; }

  // NotFound "state at block N is pruned (live pruning keeps the last R blocks;
  // last pruned block M)" when N <= last_pruned(); ok otherwise (which does not
  // promise the state is on disk: full mode keeps only some roots).
  Status check_state_available(uint64_t block_num) const;
  // The same, and also NotFound for a block at or below head - retention that
  // is not deleted yet (waiting for the memory window or the pruning thread):
  // a node answers the same way for every state older than its retention,
  // instead of racing the deletion. What the node's API uses.
  Status check_state_available(uint64_t block_num, uint64_t head) const;
  // InvalidArgument when rewinding the head to `target` would need a state
  // live pruning already deleted (target <= last_pruned()).
  Status check_rewind(uint64_t target) const;

  // ---- background mode ----
  // Starts one thread that runs prune() whenever notify() reported a new
  // position, until caught up; errors are logged and retried at the next
  // notify. REQUIRES: not already started.
  void start_background();
  // Records the newest position (cheap; never blocks on pruning work).
  void notify(ChainPosition pos);
  // Stops and joins the thread after the step in progress. Idempotent.
  void stop_background();
  // Blocks until the background thread has handled every notified position:
  // processed it, or left it for a later pass because fewer than
  // min_blocks_per_pass blocks were due. Returns at once when not started.
  void wait_idle();
  // Processes every mark due at the newest notified position, however few,
  // and blocks until done (or the thread stopped or failed: see
  // background_status()). Returns at once when not started. For a shutdown
  // it is optional (the next start continues at lastPrunedBlockNumber + 1);
  // benchmarks and tests use it to count or check all the work.
  void drain();
  // The last error of the background thread (ok when none).
  Status background_status() const;

 private:
  LivePruner(const chaindata::DBManager& dbm, LivePrunerOptions options, uint64_t next);
  // The newest block whose marks may be processed; nullopt: none yet.
  std::optional<uint64_t> limit(const ChainPosition& pos) const;
  // Blocks whose marks are due at `pos` and not processed yet.
  uint64_t due_blocks(const ChainPosition& pos) const;
  void background_loop();
  // Step 2: deletes the nodes `nodes` name, except protected roots.
  Status delete_nodes(std::vector<ExtHash>& nodes, const ChainPosition& pos, PruneReport& report);
  // Step 3: deletes `marks` from misc and records done_upto as lastPrunedBlockNumber.
  Status delete_marks(std::span<const rawdb::PruningMark> marks, uint64_t done_upto);
  // Between slices (see "Sharing the CPU with block import").
  void pause() const;

  // Slice sizes: 32/128 gave the lowest archive overhead of 32/128, 64/256,
  // 128/512 and 256/1024 (docs/benchmarks.md "Live pruning"), all within noise of each other.
  static constexpr size_t kScanSlice = 1024;   // marks read (~0.1 us each)
  static constexpr size_t kDeleteSlice = 32;   // node deletions per state-trie write (~1 us each)
  static constexpr size_t kMarkSlice = 128;    // mark deletions per misc write (in key order: ~0.3 us each)

  const chaindata::DBManager& dbm_;
  LivePrunerOptions options_;
  std::atomic<uint64_t> next_;  // first block whose marks are not processed

  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  ChainPosition latest_;       // the newest notified position
  bool has_pending_ = false;   // latest_ not handled yet
  bool drain_ = false;         // process latest_ whatever min_blocks_per_pass says
  bool busy_ = false;
  bool stop_ = false;
  Status bg_status_;
};

}  // namespace klay::pruning
