// Walking every node reachable from a stored root: the basis of migration,
// verification and pruning.
//
// Order: depth-first, children in nibble order; a node is visited before its
// children. That order is the lexicographic order of node paths (a parent's
// path is a prefix of its children's), so "resume from path P" means "visit
// exactly the nodes whose path is >= P", i.e. the suffix of a full walk.
//
// Embedded nodes (hash form < 32 bytes) are visited too, with an empty key;
// their RLP is the bytes inside their parent. Leaves carry their value so a
// caller can descend into storage tries from account leaves (start a new walk
// at the storage root found in the value).
#pragma once

#include <deque>
#include <functional>
#include <memory>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/trie/node_store.h"
#include "engine/trie/node_view.h"

namespace klay::trie {

struct NodeVisit {
  ByteView key;        // stored key (32-byte hash or 39-byte ExtHash); empty when embedded
  ByteView rlp;        // the node's stored-form RLP
  ByteView path;       // nibbles from the root to this node
  NodeView::Kind kind = NodeView::Kind::kBranch;
  bool has_value = false;  // a leaf, or a branch holding a value
  ByteView value;          // the value when has_value
  ByteView value_key;      // the full key of that value (bytes) when its nibble count is even
  // The node's Merkle hash when key is set (its first 32 bytes).
  bool is_embedded() const { return key.empty(); }
};

// Pull iterator. Borrows `reader` (must outlive it). Not thread-safe itself;
// several iterators may share a reader.
class NodeIterator {
 public:
  // Walks the trie stored under `root_key` (32 or 39 bytes; the empty root hash
  // means an empty trie), visiting the nodes whose path is >= `start_path` (nibbles).
  NodeIterator(const NodeReader& reader, ByteView root_key, ByteView start_path = {});
  // Walks one subtree: `ref` is a stored key or an embedded node's RLP, at `base_path`.
  NodeIterator(const NodeReader& reader, const ChildRef& ref, ByteView base_path);

  // Moves to the next node. With descend == false the current node's children
  // are skipped. Returns false at the end or on error; then check status().
  bool next(bool descend = true);
  // The current node. Views stay valid until the next call to next().
  const NodeVisit& node() const { return visit_; }
  // Ok, or the first error (missing_node(key) for a node the reader lacks,
  // Corruption naming the key for a node that does not decode).
  const Status& status() const { return status_; }

 private:
  struct Frame {
    Bytes owned;  // stored nodes own their RLP; embedded ones point into the parent's
    ByteView key;
    ByteView rlp;
    NodeView view;
    Bytes path;
    int next_child = 0;
  };

  bool push(const ChildRef& ref, Bytes path);
  bool relevant(const Bytes& path) const;
  void fill_visit();

  const NodeReader& reader_;
  Bytes start_;
  std::deque<std::unique_ptr<Frame>> stack_;
  ChildRef first_ref_;
  Bytes first_key_;
  Bytes first_path_;
  bool started_ = false;
  NodeVisit visit_;
  Bytes value_key_;
  Status status_;
};

// Visitor for the walks below. Return a non-ok Status to stop; it is returned.
using NodeVisitor = std::function<Status(const NodeVisit&)>;

// Sequential walk from `root_key`, resuming at `start_path`.
Status walk_nodes(const NodeReader& reader, ByteView root_key, const NodeVisitor& visit, ByteView start_path = {});

// Parallel walk: nodes shallower than `split_nibbles` are visited on the calling
// thread; every subtree rooted at depth >= split_nibbles is then walked as one
// TBB task (split 2 gives up to 256 tasks). `visit` is called concurrently and
// must be thread-safe; order across subtrees is unspecified. The first error
// stops the remaining work and is returned.
Status parallel_walk_nodes(const NodeReader& reader, ByteView root_key, const NodeVisitor& visit,
                           size_t split_nibbles = 2);

}  // namespace klay::trie
