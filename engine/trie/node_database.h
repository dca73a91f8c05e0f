// NodeDatabase: the in-memory layer between tries and the disk.
//
// - Dirty nodes: tries commit into it (it is a NodeWriter). Each dirty node
//   counts its parents (dirty nodes referencing it, plus external references
//   made with reference()), so the last N tries can stay in memory sharing
//   their common nodes: reference(root) when a block's trie is kept,
//   dereference(root) when it falls out of the window; a dereferenced root's
//   nodes that no other kept trie reaches are dropped.
// - commit(root, disk) flushes one root's dirty subtree, children first, and
//   drops it from the dirty set (full nodes call it every N blocks, archive
//   nodes every block; the caller decides the cadence).
// - cap(limit, disk) flushes the oldest dirty nodes until the dirty set fits.
//   Crash consistency: nodes arrive children first and are flushed oldest
//   first, so the disk never holds a parent without its children, but after a
//   crash it may hold nodes of tries whose root never reached disk (unreachable
//   garbage). Only roots whose commit() returned ok are recoverable; the caller
//   must persist its "last committed root" after commit(), never after cap().
// - Leaf children: a leaf value may name a node outside its trie (an account
//   leaf's storage root). With NodeDatabaseOptions::leaf_child set, put()
//   links every dirty node such a value names to the node holding the leaf
//   (the leaf's own stored node, or the node embedding it), as if it were a
//   child: a storage trie then lives and dies with the account-trie nodes that
//   point to it, and commit() writes it before them.
// - Clean cache: nodes read from or written to disk stay in a bounded LRU.
// Reads (get) check dirty nodes, then the clean cache, then the disk reader.
//
// Threading: one writer (put/reference/dereference/commit/cap) at a time, any
// number of concurrent readers (get): a shared_mutex guards the dirty set and
// a separate mutex the clean cache. The disk reader must allow concurrent get().
// Ownership: borrows `disk` (must outlive this object).
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "engine/trie/node_store.h"

namespace klay::trie {

// Reads the key of the node a leaf value names outside its trie (e.g. an
// account's storage root); false when it names none. Called from put() on the
// writer's thread for every leaf value; must be pure.
using LeafChildResolver = std::function<bool(ByteView leaf_value, NodeKey* child)>;

struct NodeDatabaseOptions {
  // Bytes of clean nodes kept in the LRU read cache; 0 disables it. Default: 64 MiB.
  size_t clean_cache_bytes = size_t{64} << 20;
  // Leaf children (see above). Default: none (leaf values name nothing).
  LeafChildResolver leaf_child;
};

struct NodeDatabaseStats {
  size_t dirty_nodes = 0;
  size_t dirty_bytes = 0;     // keys + RLP of dirty nodes
  size_t clean_nodes = 0;
  size_t clean_bytes = 0;
  uint64_t clean_hits = 0;
  uint64_t clean_misses = 0;  // reads that went to the disk reader
  uint64_t flushed_nodes = 0; // written by commit() and cap()
};

class NodeDatabase : public NodeReader, public NodeWriter {
 public:
  // `disk` may be null (nothing is ever read from disk).
  explicit NodeDatabase(const NodeReader* disk, NodeDatabaseOptions options = {});
  NodeDatabase(const NodeDatabase&) = delete;
  NodeDatabase& operator=(const NodeDatabase&) = delete;

  // NodeReader: dirty set, then clean cache, then disk (missing_node if absent).
  Status get(ByteView key, Bytes* node) const override;
  // NodeWriter: adds a dirty node; its dirty children (leaf children
  // included) gain a parent reference. A key already dirty is left as is.
  Status put(ByteView key, ByteView node) override;

  // Adds a reference from `parent` to `child` (e.g. an account leaf's storage
  // root), or an external reference to a root when `parent` is empty.
  // No effect when `child` is not dirty.
  void reference(const NodeKey& child, const NodeKey& parent = {});
  // Drops an external reference to `root`; nodes left without parents are
  // removed, recursively. No effect when `root` is not dirty.
  void dereference(const NodeKey& root);

  // Writes the dirty subtree under `root` to `disk` (children first) and moves
  // it from the dirty set to the clean cache. On error, nodes already written
  // have left the dirty set; the rest stay.
  Status commit(const NodeKey& root, NodeWriter& disk);
  // Flushes oldest-first until dirty_bytes <= limit (see crash consistency above).
  Status cap(size_t limit, NodeWriter& disk);

  bool is_dirty(const NodeKey& key) const;
  // Appends to *out the keys of `keys` that are not dirty (on disk, or
  // dropped, or never put), in order; one lock for the whole span.
  void append_not_dirty(std::span<const NodeKey> keys, std::vector<NodeKey>* out) const;
  NodeDatabaseStats stats() const;

 private:
  struct DirtyNode {
    Bytes rlp;
    uint32_t parents = 0;
    std::vector<NodeKey> extra_children;  // leaf children, and reference(child, this)
    NodeKey older, newer;                 // flush list (insertion order)
  };

  void for_each_child(const DirtyNode& n, const std::function<void(const NodeKey&)>& fn) const;
  void unlink(const NodeKey& key, DirtyNode& n);
  void remove_unreferenced(const NodeKey& key);
  Status commit_locked(const NodeKey& key, NodeWriter& disk);
  // Takes the key by value: callers pass oldest_, which flushing unlinks.
  Status flush_one(NodeKey key, NodeWriter& disk);  // REQUIRES: key dirty, lock held
  void cache_clean(const NodeKey& key, ByteView rlp) const;

  const NodeReader* disk_;
  NodeDatabaseOptions options_;

  mutable std::shared_mutex mu_;
  std::unordered_map<NodeKey, DirtyNode, NodeKeyHasher> dirty_;
  NodeKey oldest_, newest_;
  size_t dirty_bytes_ = 0;
  uint64_t flushed_ = 0;

  mutable std::mutex clean_mu_;
  mutable std::list<std::pair<NodeKey, Bytes>> lru_;  // front: most recent
  mutable std::unordered_map<NodeKey, std::list<std::pair<NodeKey, Bytes>>::iterator, NodeKeyHasher> clean_;
  mutable size_t clean_bytes_ = 0;
  mutable uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace klay::trie
