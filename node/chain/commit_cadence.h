// CommitCadence: when the state tries of inserted blocks move from the
// in-memory trie::NodeDatabase to disk (--gcmode, chain_options.h), and the
// NodeDatabase configuration that makes this safe.
//
// Storage tries hang off account leaves, inside the account trie's nodes.
// make_state_node_database() links them there (NodeDatabaseOptions::
// leaf_child = state::account_storage_child): a storage trie stays in memory
// exactly as long as some kept account-trie node points to it, whichever block
// wrote it, and a root's commit writes its storage tries before the account
// nodes naming them.
//
// Crash consistency is the NodeDatabase's (node_database.h): only a root that
// flush_root() returned ok for is on disk; the caller records that.
// Threading: one thread (the chain's inserting thread).
// Ownership: borrows the NodeDatabase and the sink (must outlive it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <utility>

#include "engine/core/status.h"
#include "engine/state/state_db.h"
#include "engine/trie/node_database.h"
#include "node/chain/chain_options.h"

namespace klay::chain {

// The NodeDatabase every chain state goes through: reads fall back to `disk`
// (borrowed, must outlive it; may be null), storage tries linked to the
// account leaves naming them, a clean cache of `clean_cache_bytes`.
std::unique_ptr<trie::NodeDatabase> make_state_node_database(const trie::NodeReader* disk,
                                                             size_t clean_cache_bytes);

class CommitCadence {
 public:
  // Takes gc_mode, tries_in_memory, state_block_interval and trie_dirty_limit
  // from `options`. REQUIRES: nodes was made by make_state_node_database().
  CommitCadence(trie::NodeDatabase& nodes, StateSink& sink, const BlockChainOptions& options);
  CommitCadence(const CommitCadence&) = delete;
  CommitCadence& operator=(const CommitCadence&) = delete;

  // After block `block_num`'s state was committed into the NodeDatabase:
  // archive mode writes its root to disk; full mode keeps it referenced for
  // tries_in_memory blocks, writes it when block_num is a multiple of
  // state_block_interval, dereferences the root leaving the window, and caps
  // the dirty nodes at trie_dirty_limit. Sets *on_disk (and *nodes_flushed)
  // when this block's root reached disk. Blocks come in increasing order.
  Status after_commit(uint64_t block_num, const state::StateCommit& commit, bool* on_disk, size_t* nodes_flushed);

  // Writes `root`'s dirty subtree (storage tries included) and flushes the sink.
  Status flush_root(const trie::NodeKey& root, size_t* nodes_flushed);

  // Roots currently kept referenced (full mode).
  size_t kept_roots() const { return kept_.size(); }

 private:
  trie::NodeDatabase& nodes_;
  StateSink& sink_;
  GcMode gc_mode_;
  uint64_t tries_in_memory_;
  uint64_t state_block_interval_;
  size_t dirty_limit_;
  std::deque<std::pair<uint64_t, trie::NodeKey>> kept_;  // oldest first
};

}  // namespace klay::chain
