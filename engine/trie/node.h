// In-memory trie nodes (internal to engine/trie; other layers use Trie).
//
// A node caches its hash-form reference (`ref`: the RLP itself when shorter
// than 32 bytes, else its Keccak hash) and, once stored, the key it is stored
// under. Nodes and their byte strings live in the NodeArena of the trie that
// owns them: a parent links its children through NodePtr, which marks
// ownership but frees nothing. Nodes a tree drops are handed back with
// free_node()/free_tree(); anything not handed back is reclaimed with the arena.
// Not thread-safe: a node tree belongs to one Trie/HashBuilder at a time.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>  // kept for includers of trie.h that relied on it

#include "engine/core/bytes.h"
#include "engine/core/types.h"
#include "engine/trie/node_arena.h"
#include "engine/trie/node_store.h"

namespace klay::trie {

enum class NodeKind : uint8_t { kLeaf, kExtension, kBranch, kHashed };

struct Node;

// Owning link to a node in the same arena. Move-only; moving leaves null.
// Destroying a NodePtr does not free the node (see free_node/free_tree).
class NodePtr {
 public:
  NodePtr() = default;
  NodePtr(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  explicit NodePtr(Node* n) : n_(n) {}
  NodePtr(NodePtr&& o) noexcept : n_(o.n_) { o.n_ = nullptr; }
  NodePtr& operator=(NodePtr&& o) noexcept {
    n_ = o.n_;
    if (&o != this) o.n_ = nullptr;
    return *this;
  }
  NodePtr(const NodePtr&) = delete;
  NodePtr& operator=(const NodePtr&) = delete;

  Node* get() const { return n_; }
  Node* operator->() const { return n_; }
  explicit operator bool() const { return n_ != nullptr; }
  bool operator==(std::nullptr_t) const { return n_ == nullptr; }
  Node* release() {
    Node* n = n_;
    n_ = nullptr;
    return n;
  }

 private:
  Node* n_ = nullptr;
};

// A byte string in arena memory, kept right-aligned in its block so that
// dropping or prepending a few leading bytes (path splits and merges) does not
// move the rest. Trivially copyable; the owning node frees it.
class NodeBytes {
 public:
  const uint8_t* data() const { return block_ + cap_ - len_; }
  size_t size() const { return len_; }
  bool empty() const { return len_ == 0; }
  uint8_t operator[](size_t i) const { return data()[i]; }
  ByteView view() const { return {data(), len_}; }
  operator ByteView() const { return view(); }  // NOLINT(google-explicit-constructor)
  const uint8_t* begin() const { return data(); }
  const uint8_t* end() const { return data() + len_; }

  void assign(NodeArena& a, ByteView b);
  // Removes the first k bytes. REQUIRES: k <= size().
  void drop_front(size_t k) { len_ -= static_cast<uint32_t>(k); }
  void prepend(NodeArena& a, ByteView b);
  void clear() { len_ = 0; }
  // Moves the bytes out, leaving this empty.
  NodeBytes take() {
    NodeBytes t = *this;
    *this = NodeBytes();
    return t;
  }
  void free(NodeArena& a) {
    if (block_) a.deallocate(block_, cap_);
    block_ = nullptr;
    cap_ = len_ = 0;
  }

 private:
  uint8_t* block_ = nullptr;
  uint32_t cap_ = 0;
  uint32_t len_ = 0;
};

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

// Leaf (kLeaf: value) or extension (kExtension: child). `path` holds nibbles.
struct ShortNode : Node {
  explicit ShortNode(NodeKind k) : Node(k) {}
  NodeBytes path;
};
struct LeafNode : ShortNode {
  LeafNode() : ShortNode(NodeKind::kLeaf) {}
  NodeBytes value;
};
struct ExtensionNode : ShortNode {
  ExtensionNode() : ShortNode(NodeKind::kExtension) {}
  NodePtr child;
};

struct BranchNode : Node {
  BranchNode() : Node(NodeKind::kBranch) {}
  std::array<NodePtr, 16> children;
  NodeBytes value;  // empty: no value
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
inline LeafNode* as_leaf(Node* n) { return static_cast<LeafNode*>(n); }
inline const LeafNode* as_leaf(const Node* n) { return static_cast<const LeafNode*>(n); }
inline ExtensionNode* as_ext(Node* n) { return static_cast<ExtensionNode*>(n); }
inline const ExtensionNode* as_ext(const Node* n) { return static_cast<const ExtensionNode*>(n); }
inline BranchNode* as_branch(Node* n) { return static_cast<BranchNode*>(n); }
inline const BranchNode* as_branch(const Node* n) { return static_cast<const BranchNode*>(n); }

NodePtr make_leaf(NodeArena& a, ByteView path, ByteView value);
NodePtr make_extension(NodeArena& a, ByteView path, NodePtr child);
NodePtr make_branch(NodeArena& a);
// An unloaded stored node. REQUIRES: key is 32 or 39 bytes.
NodePtr make_stored_ref(NodeArena& a, ByteView key);
// A finished subtree known by its reference (HashBuilder). REQUIRES: ref_len in 1..32.
NodePtr make_ref(NodeArena& a, const uint8_t* ref, uint8_t ref_len);

// Returns n and its byte strings to the arena; its children stay alive.
void free_node(NodeArena& a, NodePtr n);
// Returns n and every node below it to the arena.
void free_tree(NodeArena& a, NodePtr n);

}  // namespace klay::trie
