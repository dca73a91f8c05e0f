#include "engine/trie/node.h"

namespace klay::trie {

void NodeDeleter::operator()(Node* n) const {
  switch (n->kind) {
    case NodeKind::kLeaf:
    case NodeKind::kExtension:
      delete static_cast<ShortNode*>(n);
      break;
    case NodeKind::kBranch:
      delete static_cast<BranchNode*>(n);
      break;
    case NodeKind::kHashed:
      delete static_cast<HashedNode*>(n);
      break;
  }
}

NodePtr make_leaf(ByteView path, ByteView value) {
  auto* n = new ShortNode(NodeKind::kLeaf);
  n->path.assign(path.begin(), path.end());
  n->value.assign(value.begin(), value.end());
  return NodePtr(n);
}

NodePtr make_extension(ByteView path, NodePtr child) {
  auto* n = new ShortNode(NodeKind::kExtension);
  n->path.assign(path.begin(), path.end());
  n->child = std::move(child);
  return NodePtr(n);
}

NodePtr make_branch() { return NodePtr(new BranchNode()); }

NodePtr make_stored_ref(ByteView key) {
  auto* n = new HashedNode();
  std::memcpy(n->ref, key.data(), 32);
  n->ref_len = 32;
  n->key_len = static_cast<uint8_t>(key.size());
  if (key.size() == 39) n->counter = ExtHash::from(key).counter();
  return NodePtr(n);
}

}  // namespace klay::trie
