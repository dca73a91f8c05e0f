// The offline pruner's mark phase: every key the state at one root needs
// (account-trie nodes, storage-trie nodes, contract code) goes into a NodeBloom.
//
// Trie nodes are inserted under their stored key (32 bytes in a plain-key
// database); code under its database key "c" + codeHash, so a node and a code
// entry never alias in the filter. Storage tries are walked once per distinct
// storage root across every root marked with the same StorageRootSet (an
// exact set, so a shared storage trie is never skipped by a false positive).
// The account trie is walked in parallel (trie::parallel_walk_nodes), each
// storage trie sequentially inside the task that found it.
//
// Threading: mark_reachable() runs TBB tasks in an arena of `threads` (0: all
// cores) and blocks; `filter`, `seen` and `nodes_marked` are shared safely.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_set>

#include "engine/core/status.h"
#include "engine/kv/database.h"
#include "engine/trie/node_store.h"
#include "pruning/node_bloom.h"

namespace klay::pruning {

// Storage roots already marked (exact; thread-safe).
class StorageRootSet {
 public:
  // True when `key` was not in the set (the caller marks it).
  bool claim(const trie::NodeKey& key);
  void erase(const trie::NodeKey& key);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_set<trie::NodeKey, trie::NodeKeyHasher> keys_;
};

struct MarkCounters {
  std::atomic<uint64_t> nodes{0};  // stored nodes inserted (duplicates across roots counted again)
  std::atomic<uint64_t> codes{0};
};

// Marks everything reachable from `root` (the 32-byte account-trie root) in
// `db` (the state-trie database). NotFound naming the key when a node or a
// code entry is missing: the state is incomplete and nothing may be swept.
Status mark_reachable(kv::Database& db, const trie::NodeKey& root, NodeBloom& filter, StorageRootSet& seen,
                      MarkCounters& counters, size_t threads = 0);

}  // namespace klay::pruning
