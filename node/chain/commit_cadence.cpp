#include "node/chain/commit_cadence.h"

#include "engine/state/state_options.h"

namespace klay::chain {

std::unique_ptr<trie::NodeDatabase> make_state_node_database(const trie::NodeReader* disk,
                                                             size_t clean_cache_bytes) {
  trie::NodeDatabaseOptions options;
  options.clean_cache_bytes = clean_cache_bytes;
  options.leaf_child = &state::account_storage_child;
  return std::make_unique<trie::NodeDatabase>(disk, options);
}

CommitCadence::CommitCadence(trie::NodeDatabase& nodes, StateSink& sink, const BlockChainOptions& options)
    : nodes_(nodes),
      sink_(sink),
      gc_mode_(options.gc_mode),
      tries_in_memory_(options.tries_in_memory),
      state_block_interval_(options.state_block_interval),
      dirty_limit_(options.trie_dirty_limit) {}

Status CommitCadence::flush_root(const trie::NodeKey& root, size_t* nodes_flushed) {
  const uint64_t before = nodes_.stats().flushed_nodes;
  if (Status s = nodes_.commit(root, sink_); !s) return s;
  if (Status s = sink_.flush(); !s) return s;
  *nodes_flushed = nodes_.stats().flushed_nodes - before;
  return Status::ok();
}

Status CommitCadence::after_commit(uint64_t block_num, const state::StateCommit& commit, bool* on_disk,
                                   size_t* nodes_flushed) {
  *on_disk = false;
  *nodes_flushed = 0;
  if (gc_mode_ == GcMode::kArchive) {
    if (Status s = flush_root(commit.root_key, nodes_flushed); !s) return s;
    *on_disk = true;
    return Status::ok();
  }

  nodes_.reference(commit.root_key);
  kept_.emplace_back(block_num, commit.root_key);
  if (block_num % state_block_interval_ == 0) {
    if (Status s = flush_root(commit.root_key, nodes_flushed); !s) return s;
    *on_disk = true;
  }
  while (!kept_.empty() && kept_.front().first + tries_in_memory_ <= block_num) {
    nodes_.dereference(kept_.front().second);
    kept_.pop_front();
  }
  if (nodes_.stats().dirty_bytes > dirty_limit_) {
    // Flushed nodes are not a committed root: the marker does not move.
    if (Status s = nodes_.cap(dirty_limit_, sink_); !s) return s;
    if (Status s = sink_.flush(); !s) return s;
  }
  return Status::ok();
}

}  // namespace klay::chain
