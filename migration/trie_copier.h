// TrieCopier: copies every node reachable from one state root (the account
// trie, every storage trie and every contract code reached from account
// leaves) from a source state-trie database into a target one, in parallel,
// skipping subtrees this migration has provably copied before.
//
// Walk: the nodes shallower than `split_nibbles` are read on the calling
// thread; each deeper account subtree is one TBB task walked depth-first on
// one thread, storage tries inline under their account leaf. Every node is
// queued as soon as it is read (one sorted batch of ~kCopyBatchBytes per
// thread, copy_writer.h).
//
// Dedupe that cannot lose nodes. When a subtree of at least
// `record_min_nodes` nodes is finished, its root gets a completion record in
// the target (migration_records.h) — but only in a batch written after the
// batch holding the subtree's last node returned ok — and only then is its key
// added to the SubtreeFilter. Before descending into a child, the copier asks
// the filter; a hit is confirmed by reading the completion record, and only a
// confirmed record skips the child. Presence of the node itself proves
// nothing: dual-writes put new roots into the target before their unchanged
// children are copied (the reference's PR 543 pitfall), so it is never used.
// A worker also skips subtrees it completed itself whose records are still
// waiting for their batch: their nodes are in its own earlier batches, which
// it writes, in order, before any record that covers them.
// Consequences: a filter false positive costs one read; a subtree shared by
// two concurrent tasks may be written twice; nothing is ever skipped that is
// not complete in the target (or queued ahead in the same worker's batches).
// Records also make the copy resumable: rerunning copy() after a crash skips
// every recorded subtree (see migrator.h). Each batch is sorted by key before
// it is written (cheaper memtable inserts).
//
// Memory: per thread one batch (~4 MiB queued, ~8 MiB with the backend's
// copy; written at least every flush_interval) and a stack of <= ~130 frames of ~750 bytes (account path
// plus storage path); shared: the filters (about 10 bits per completion record, i.e.
// roughly one record per `record_min_nodes` nodes: well under 1 byte per
// unique node at the default of 8).
//
// Threading: copy() is called by one thread at a time and blocks; it uses up
// to `threads` TBB workers. Counters may be read concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/kv/database.h"
#include "engine/trie/node_store.h"
#include "migration/subtree_filter.h"

namespace klay::migration {

struct CopyOptions {
  // Worker threads; 0 = every core. Default: 0.
  size_t threads = 0;
  // Account subtrees at this depth (nibbles) become parallel tasks. Default: 2 (up to 256).
  size_t split_nibbles = 2;
  // Smallest subtree that gets a completion record. Default: 8.
  uint64_t record_min_nodes = 8;
  // A worker writes its batch at least this often even when it is not full,
  // so completion records (the checkpoint) stay fresh. Default: 2 s.
  std::chrono::milliseconds flush_interval{2000};
  // TEST ONLY: skip a child whenever its key is present in the target, as the
  // reference did before PR 543. Loses nodes under dual-writes; never set it
  // outside tests. Default: false.
  bool unsafe_skip_if_present = false;
  // TEST ONLY: called on the worker before each parallel subtree task (tasks
  // are numbered in trie order), with the task's root key. Default: none.
  std::function<void(size_t task, const trie::NodeKey& key)> before_subtree;
};

// Progress counters, updated with relaxed atomics while copy() runs.
struct CopyCounters {
  std::atomic<uint64_t> read{0};        // nodes read from the source
  std::atomic<uint64_t> written{0};     // nodes written to the target (batch returned ok)
  std::atomic<uint64_t> pending{0};     // nodes queued in unwritten batches
  std::atomic<uint64_t> skipped{0};     // nodes covered by confirmed completion records
  std::atomic<uint64_t> records{0};     // completion records written
  std::atomic<uint64_t> false_hits{0};  // filter hits without a record (false positives or in flight)
  std::atomic<uint64_t> codes_written{0};
  std::atomic<uint64_t> codes_skipped{0};
  std::atomic<uint64_t> units_total{0};  // parallel subtree tasks of the current copy()
  std::atomic<uint64_t> units_done{0};
};

class TrieCopier {
 public:
  // Borrows everything; all must outlive the copier. `stop` is polled per node.
  TrieCopier(kv::Database& source, kv::Database& target, SubtreeFilter& subtrees, SubtreeFilter& codes,
             CopyCounters& counters, const CopyOptions& options, const std::atomic<bool>& stop);

  // Copies the state under `root` (32- or 39-byte key; the empty root copies
  // nothing). On success every node reachable from it is in the target and
  // `root` has a completion record. Aborted when `stop` was raised; NotFound
  // naming the key for a node or code the source lacks; the first write
  // error otherwise. Work done before a failure stays recorded.
  Status copy(const trie::NodeKey& root);

 private:
  kv::Database& source_;
  kv::Database& target_;
  SubtreeFilter& subtrees_;
  SubtreeFilter& codes_;
  CopyCounters& counters_;
  CopyOptions options_;
  const std::atomic<bool>& stop_;
};

}  // namespace klay::migration
