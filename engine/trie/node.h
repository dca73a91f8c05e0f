// In-memory trie nodes (internal to engine/trie; other layers use Trie).
//
// A node caches its hash-form reference (`ref`: the RLP itself when shorter
// than 32 bytes, else its Keccak hash) and, once stored, the key it is stored
// under. Nodes are owned by their parent through NodePtr; the trie owns the root.
// Not thread-safe: a node tree belongs to one Trie/HashBuilder at a time.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include "engine/core/bytes.h"
#include "engine/core/types.h"
#include "engine/trie/node_store.h"

namespace klay::trie {

enum class NodeKind : uint8_t { kLeaf, kExtension, kBranch, kHashed };

struct Node;
struct NodeDeleter {
  void operator()(Node* n) const;
};
using NodePtr = std::unique_ptr<Node, NodeDeleter>;

struct Node {
  explicit Node(NodeKind k) : kind(k) {}

  NodeKind kind;
  bool dirty = true;     // not yet written in its current form
  uint8_t ref_len = 0;   // 0: not computed; 1..31: embedded RLP in ref; 32: hash in ref
  uint8_t key_len = 0;   // 0: not stored; 32: stored under ref; 39: under ref + counter
  uint64_t counter = 0;  // ExtHash counter when key_len == 39
  uint8_t ref[32];

  bool has_ref() const { return ref_len != 0; }
  bool is_hashed_ref() const { return ref_len == 32; }
  ByteView ref_view() const { return {ref, ref_len}; }
  Hash hash() const { return Hash::from(ByteView(ref, 32)); }  // REQUIRES: is_hashed_ref()
  NodeKey store_key() const {  // REQUIRES: key_len != 0
    return key_len == 39 ? NodeKey::ext(hash(), counter) : NodeKey::plain(hash());
  }
  // Forgets the cached reference and the stored identity (the node is changing).
  void invalidate() {
    dirty = true;
    ref_len = 0;
    key_len = 0;
  }
};

// Leaf (value) or extension (child). `path` holds nibbles.
struct ShortNode : Node {
  explicit ShortNode(NodeKind k) : Node(k) {}
  Bytes path;
  Bytes value;    // leaf only
  NodePtr child;  // extension only
};

struct BranchNode : Node {
  BranchNode() : Node(NodeKind::kBranch) {}
  std::array<NodePtr, 16> children;
  Bytes value;  // empty: no value
  int count_children() const {
    int c = 0;
    for (const auto& ch : children) c += ch != nullptr;
    return c;
  }
};

// A node known only by its reference: a stored node not loaded yet (key_len != 0),
// or, in HashBuilder, a finished subtree (hash or embedded RLP, key_len == 0).
struct HashedNode : Node {
  HashedNode() : Node(NodeKind::kHashed) { dirty = false; }
};

inline ShortNode* as_short(Node* n) { return static_cast<ShortNode*>(n); }
inline const ShortNode* as_short(const Node* n) { return static_cast<const ShortNode*>(n); }
inline BranchNode* as_branch(Node* n) { return static_cast<BranchNode*>(n); }
inline const BranchNode* as_branch(const Node* n) { return static_cast<const BranchNode*>(n); }

NodePtr make_leaf(ByteView path, ByteView value);
NodePtr make_extension(ByteView path, NodePtr child);
NodePtr make_branch();
// An unloaded stored node. REQUIRES: key is 32 or 39 bytes.
NodePtr make_stored_ref(ByteView key);

}  // namespace klay::trie
