// Offline state prune for datadirs WITHOUT live pruning (plain 32-byte node
// keys), in the manner of go-ethereum's `snapshot prune-state`:
//
//   1. choose the retained roots: the state at block N (default: the newest
//      block, walking back from the head, whose state root is on disk) and
//      the state of every newer canonical block whose root is on disk;
//   2. mark: walk every retained root (account trie, storage tries, code) in
//      parallel into a NodeBloom sized from the state trie's estimated key
//      count (never a fixed size);
//   3. check free space (filter size + headroom), then write the recovery
//      marker (prune_marker.h: roots + filter, tmp + fsync + rename);
//   4. sweep: iterate the state-trie database (16 key ranges in parallel) and
//      delete every entry the filter does not hold that is provably a trie
//      node or code: a 32-byte key whose value's Keccak is the key, or
//      "c" + hash whose value's Keccak is the hash. Nothing else (preimages,
//      migration records, odd keys) is ever touched;
//   5. remove the marker, then compact the state trie range by range.
// A run that finds a marker skips 1-3 and resumes the sweep with the marker's
// filter (the sweep is idempotent; a new mark phase is impossible then, as
// part of the garbage it would need to tell apart is already gone).
// Bloom false positives only keep some garbage; nothing reachable from a
// retained root can be deleted (no false negatives, and deletions only touch
// keys outside the filter).
//
// REQUIRES: `dbm` writable and used by nothing else meanwhile (a stopped
// node's datadir). Blocks; thread-compatible. Sharded state tries work through
// the state trie's kv::Database.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "pruning/prune_marker.h"

namespace klay::pruning {

enum class PrunePhase { kMark, kSweep, kCompact };

struct OfflinePruneProgress {
  PrunePhase phase = PrunePhase::kMark;
  uint64_t done = 0;   // nodes marked / keys scanned / ranges compacted
  uint64_t total = 0;  // 0 when unknown (the estimate for mark and sweep)
};

struct OfflinePruneOptions {
  // Block whose state (and every newer on-disk state) is kept; nullopt: the
  // newest block with its state present. Default: nullopt.
  std::optional<uint64_t> block_num;
  // Worker threads for mark and sweep; 0: every core. Default: 0.
  size_t threads = 0;
  // Bloom filter bits per estimated key. Default: 10 (~1 % kept garbage).
  unsigned bits_per_key = 10;
  // Free space required beyond the filter file. Default: 256 MiB.
  uint64_t free_space_headroom = uint64_t{256} << 20;
  // Compact the state trie afterwards. Default: true.
  bool compact = true;
  // Called from any worker thread (must be thread-safe), about every 64 Ki keys
  // and at each phase end.
  std::function<void(const OfflinePruneProgress&)> on_progress;
  // Test hook: called (from sweep threads) after each sweep batch is written.
  std::function<void()> after_sweep_batch;
};

struct OfflinePruneReport {
  uint64_t block_num = 0;           // the target block
  std::vector<RetainedRoot> roots;  // every retained root, target first
  bool resumed = false;             // the sweep continued from a marker
  uint64_t nodes_marked = 0;
  uint64_t codes_marked = 0;
  uint64_t keys_scanned = 0;
  uint64_t nodes_deleted = 0;
  uint64_t codes_deleted = 0;
  uint64_t bytes_deleted = 0;       // keys + values
  uint64_t filter_bytes = 0;
  double mark_seconds = 0, sweep_seconds = 0, compact_seconds = 0;
};

// InvalidArgument for a datadir with live pruning (it prunes itself); in
// single-DB mode the sweep scans every record but deletes only proven trie
// nodes and code, as above. NotFound when the
// chosen block is unknown or its state incomplete (nothing changed); NoSpace
// when the filter and headroom do not fit; otherwise the first error.
Result<OfflinePruneReport> prune_offline(chaindata::DBManager& dbm, const OfflinePruneOptions& options);

}  // namespace klay::pruning
