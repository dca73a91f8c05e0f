#include "engine/trie/node.h"

#include <new>

namespace klay::trie {

void NodeBytes::assign(NodeArena& a, ByteView b) {
  if (b.size() > cap_) {
    auto* block = static_cast<uint8_t*>(a.allocate(b.size()));
    const auto cap = static_cast<uint32_t>(NodeArena::block_size(b.size()));
    std::memcpy(block + cap - b.size(), b.data(), b.size());  // b may point into the old block
    free(a);
    block_ = block;
    cap_ = cap;
    len_ = static_cast<uint32_t>(b.size());
    return;
  }
  len_ = static_cast<uint32_t>(b.size());
  if (len_) std::memmove(block_ + cap_ - len_, b.data(), len_);
}

void NodeBytes::prepend(NodeArena& a, ByteView b) {
  if (b.empty()) return;
  if (len_ + b.size() > cap_) {
    const size_t n = len_ + b.size();
    auto* block = static_cast<uint8_t*>(a.allocate(n));
    const auto cap = static_cast<uint32_t>(NodeArena::block_size(n));
    if (len_) std::memcpy(block + cap - len_, data(), len_);
    const uint32_t len = len_;
    free(a);
    block_ = block;
    cap_ = cap;
    len_ = len;
  }
  len_ += static_cast<uint32_t>(b.size());
  std::memcpy(block_ + cap_ - len_, b.data(), b.size());
}

namespace {
template <class T>
T* construct(NodeArena& a) {
  return new (a.allocate(sizeof(T))) T();
}
}  // namespace

NodePtr make_leaf(NodeArena& a, ByteView path, ByteView value) {
  auto* n = construct<LeafNode>(a);
  n->path.assign(a, path);
  n->value.assign(a, value);
  return NodePtr(n);
}

NodePtr make_extension(NodeArena& a, ByteView path, NodePtr child) {
  auto* n = construct<ExtensionNode>(a);
  n->path.assign(a, path);
  n->child = std::move(child);
  return NodePtr(n);
}

NodePtr make_branch(NodeArena& a) { return NodePtr(construct<BranchNode>(a)); }

NodePtr make_stored_ref(NodeArena& a, ByteView key) {
  auto* n = construct<HashedNode>(a);
  std::memcpy(n->ref, key.data(), 32);
  n->ref_len = 32;
  n->key_len = static_cast<uint8_t>(key.size());
  if (key.size() == 39) n->counter = ExtHash::from(key).counter();
  return NodePtr(n);
}

NodePtr make_ref(NodeArena& a, const uint8_t* ref, uint8_t ref_len) {
  auto* n = construct<HashedNode>(a);
  std::memcpy(n->ref, ref, ref_len);
  n->ref_len = ref_len;
  return NodePtr(n);
}

void free_node(NodeArena& a, NodePtr p) {
  Node* n = p.release();
  if (!n) return;
  switch (n->kind) {
    case NodeKind::kLeaf:
      as_leaf(n)->path.free(a);
      as_leaf(n)->value.free(a);
      a.deallocate(n, sizeof(LeafNode));
      break;
    case NodeKind::kExtension:
      as_ext(n)->path.free(a);
      a.deallocate(n, sizeof(ExtensionNode));
      break;
    case NodeKind::kBranch:
      as_branch(n)->value.free(a);
      a.deallocate(n, sizeof(BranchNode));
      break;
    case NodeKind::kHashed:
      a.deallocate(n, sizeof(HashedNode));
      break;
  }
}

void free_tree(NodeArena& a, NodePtr p) {
  Node* n = p.get();
  if (!n) return;
  if (n->kind == NodeKind::kExtension) {
    free_tree(a, std::move(as_ext(n)->child));
  } else if (n->kind == NodeKind::kBranch) {
    for (auto& c : as_branch(n)->children) free_tree(a, std::move(c));
  }
  free_node(a, std::move(p));
}

}  // namespace klay::trie
