// Verifying a migrated state: every node reachable from a state root — the
// account trie, every storage trie and every code of account leaves — must be
// readable from one database alone (the migration target), and decode.
//
// Uses trie::parallel_walk_nodes over the account trie; storage tries are
// walked inside the visitor. Storage tries shared by many accounts (same root
// key) are walked once per VerifiedSet: the set is exact, so sharing it
// between the walks of two roots (root at N, newest root) never skips an
// unverified trie. It holds at most `capacity` keys (about 72 bytes each);
// beyond that, shared tries are simply walked again.
//
// Threading: verify_state blocks and uses up to `threads` TBB workers; a
// VerifiedSet is thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_set>

#include "engine/core/status.h"
#include "engine/kv/database.h"
#include "engine/trie/node_store.h"

namespace klay::migration {

class VerifiedSet {
 public:
  explicit VerifiedSet(size_t capacity) : capacity_(capacity) {}
  // True when `key` was not there and was added (the caller then walks it).
  // After a failed walk the caller must erase() the key again.
  bool claim(const trie::NodeKey& key);
  void erase(const trie::NodeKey& key);

 private:
  std::mutex mu_;
  size_t capacity_;
  std::unordered_set<trie::NodeKey, trie::NodeKeyHasher> keys_;
};

struct VerifyStats {
  uint64_t nodes = 0;          // stored nodes read (embedded ones not counted)
  uint64_t storage_tries = 0;  // storage tries walked
  uint64_t codes = 0;          // codes found
};

// Ok when everything under `root` is in `db`; otherwise NotFound naming the
// first missing node ("missing trie node 0x...") or code ("missing code
// 0x..."), Corruption for a node that does not decode, Aborted when `stop` is
// raised. `stats` (optional) receives the counts; `live_nodes` (optional) is
// incremented per stored node while the walk runs (for progress).
Status verify_state(kv::Database& db, const trie::NodeKey& root, VerifiedSet& seen, size_t threads,
                    const std::atomic<bool>& stop, VerifyStats* stats = nullptr,
                    std::atomic<uint64_t>* live_nodes = nullptr);

}  // namespace klay::migration
