#include "engine/trie/trie.h"

#include "engine/trie/nibbles.h"

namespace klay::trie {

Trie::Trie(const NodeReader* reader, TrieOptions options)
    : reader_(reader), options_(std::move(options)), codec_(options_.leaf_value_for_hash) {}

Result<Trie> Trie::open(const NodeReader* reader, ByteView root_key, TrieOptions options) {
  if (!NodeKey::valid_size(root_key.size()))
    return Status::invalid_argument("trie: root key must be 32 or 39 bytes, got " +
                                    std::to_string(root_key.size()));
  Trie t(reader, std::move(options));
  if (root_key.size() == 32 && equal(root_key, empty_root().view())) return t;
  t.root_ = make_stored_ref(t.arena_, root_key);
  return t;
}

Status Trie::resolve(NodePtr& slot) {
  const NodeKey key = store_key_of(slot.get());
  if (!reader_) return missing_node(key.view());
  Status s = reader_->get(key.view(), &read_buf_);
  if (!s) return s.is_not_found() ? missing_node(key.view()) : s;
  const bool is_root = &slot == &root_;
  auto node = decode_stored_node(arena_, read_buf_, &key, is_root);
  if (!node) return Status::corruption("trie node " + key.hex() + ": " + node.status().message());
  free_node(arena_, std::move(slot));
  slot = std::move(*node);
  // A root may be embedded-sized; its ref must be known for store_key_of().
  if (is_root) codec_.hash(slot.get());
  return Status::ok();
}

namespace {
[[gnu::noinline]] void record_obsolete(std::vector<NodeKey>& out, const Node* n) { out.push_back(store_key_of(n)); }
}  // namespace

inline void Trie::touch(Node* n) {
  if (n->key_len && options_.track_obsolete) [[unlikely]]
    record_obsolete(obsolete_, n);
  n->invalidate();
}

void Trie::discard(NodePtr n) {
  if (n && n->key_len && options_.track_obsolete) obsolete_.push_back(store_key_of(n.get()));
  free_node(arena_, std::move(n));
}

Result<std::optional<Bytes>> Trie::get(ByteView key) {
  key_nibbles_.clear();
  append_nibbles(key_nibbles_, key);
  const uint8_t* k = key_nibbles_.data();
  size_t len = key_nibbles_.size();
  NodePtr* slot = &root_;
  for (;;) {
    Node* n = slot->get();
    if (!n) return std::optional<Bytes>();
    switch (n->kind) {
      case NodeKind::kHashed:
        if (Status s = resolve(*slot); !s) return s;
        continue;
      case NodeKind::kLeaf: {
        auto* s = as_leaf(n);
        if (s->path.size() == len && std::equal(s->path.begin(), s->path.end(), k))
          return std::optional<Bytes>(to_bytes(s->value));
        return std::optional<Bytes>();
      }
      case NodeKind::kExtension: {
        auto* s = as_ext(n);
        const size_t p = s->path.size();
        if (len < p || !std::equal(s->path.begin(), s->path.end(), k)) return std::optional<Bytes>();
        k += p;
        len -= p;
        slot = &s->child;
        continue;
      }
      case NodeKind::kBranch: {
        auto* b = as_branch(n);
        if (len == 0) {
          if (b->value.empty()) return std::optional<Bytes>();
          return std::optional<Bytes>(to_bytes(b->value));
        }
        slot = &b->children[*k];
        ++k;
        --len;
        continue;
      }
    }
  }
}

Status Trie::put(ByteView key, ByteView value) {
  if (value.empty()) return erase(key);
  key_nibbles_.clear();
  append_nibbles(key_nibbles_, key);
  bool changed = false;
  return insert(root_, key_nibbles_.data(), key_nibbles_.size(), value, &changed);
}

Status Trie::erase(ByteView key) {
  key_nibbles_.clear();
  append_nibbles(key_nibbles_, key);
  bool changed = false;
  return remove(root_, key_nibbles_.data(), key_nibbles_.size(), &changed);
}

Status Trie::insert(NodePtr& slot, const uint8_t* key, size_t len, ByteView value, bool* changed) {
  Node* n = slot.get();
  if (!n) {
    slot = make_leaf(arena_, {key, len}, value);
    *changed = true;
    return Status::ok();
  }
  if (n->kind == NodeKind::kHashed) {
    if (Status s = resolve(slot); !s) return s;
    n = slot.get();
  }
  switch (n->kind) {
    case NodeKind::kBranch: {
      auto* b = as_branch(n);
      if (len == 0) {
        if (equal(b->value, value)) return Status::ok();
        touch(b);
        b->value.assign(arena_, value);
        *changed = true;
        return Status::ok();
      }
      if (Status s = insert(b->children[key[0]], key + 1, len - 1, value, changed); !s) return s;
      if (*changed) touch(b);
      return Status::ok();
    }
    case NodeKind::kExtension: {
      auto* e = as_ext(n);
      const size_t cp = common_prefix(e->path.data(), e->path.size(), key, len);
      if (cp == e->path.size()) {
        if (Status s = insert(e->child, key + cp, len - cp, value, changed); !s) return s;
        if (*changed) touch(e);
        return Status::ok();
      }
      NodePtr branch = make_branch(arena_);
      auto* b = as_branch(branch.get());
      NodePtr old = std::move(slot);
      const uint8_t old_nib = e->path[cp];
      if (e->path.size() == cp + 1) {
        b->children[old_nib] = std::move(e->child);
        discard(std::move(old));
      } else {
        touch(e);
        e->path.drop_front(cp + 1);
        b->children[old_nib] = std::move(old);
      }
      if (cp == len) b->value.assign(arena_, value);
      else b->children[key[cp]] = make_leaf(arena_, {key + cp + 1, len - cp - 1}, value);
      slot = cp > 0 ? make_extension(arena_, {key, cp}, std::move(branch)) : std::move(branch);
      *changed = true;
      return Status::ok();
    }
    case NodeKind::kLeaf: {
      auto* l = as_leaf(n);
      const size_t cp = common_prefix(l->path.data(), l->path.size(), key, len);
      if (cp == l->path.size() && cp == len) {
        if (equal(l->value, value)) return Status::ok();
        touch(l);
        l->value.assign(arena_, value);
        *changed = true;
        return Status::ok();
      }
      NodePtr branch = make_branch(arena_);
      auto* b = as_branch(branch.get());
      NodePtr old = std::move(slot);
      if (cp == l->path.size()) {
        b->value = l->value.take();
        discard(std::move(old));
      } else {
        touch(l);
        const uint8_t old_nib = l->path[cp];
        l->path.drop_front(cp + 1);
        b->children[old_nib] = std::move(old);
      }
      if (cp == len) b->value.assign(arena_, value);
      else b->children[key[cp]] = make_leaf(arena_, {key + cp + 1, len - cp - 1}, value);
      slot = cp > 0 ? make_extension(arena_, {key, cp}, std::move(branch)) : std::move(branch);
      *changed = true;
      return Status::ok();
    }
    case NodeKind::kHashed:
      break;
  }
  return Status::corruption("trie: unresolved node after load");
}

Status Trie::remove(NodePtr& slot, const uint8_t* key, size_t len, bool* changed) {
  Node* n = slot.get();
  if (!n) return Status::ok();
  if (n->kind == NodeKind::kHashed) {
    if (Status s = resolve(slot); !s) return s;
    n = slot.get();
  }
  switch (n->kind) {
    case NodeKind::kLeaf: {
      auto* l = as_leaf(n);
      if (l->path.size() != len || !std::equal(l->path.begin(), l->path.end(), key)) return Status::ok();
      discard(std::move(slot));
      *changed = true;
      return Status::ok();
    }
    case NodeKind::kExtension: {
      auto* e = as_ext(n);
      const size_t p = e->path.size();
      if (len < p || !std::equal(e->path.begin(), e->path.end(), key)) return Status::ok();
      if (Status s = remove(e->child, key + p, len - p, changed); !s) return s;
      if (!*changed) return Status::ok();
      touch(e);
      Node* c = e->child.get();
      if (c->kind == NodeKind::kLeaf || c->kind == NodeKind::kExtension) {
        // The branch below collapsed into a short node: merge the two paths.
        auto* cs = as_short(c);
        touch(cs);
        cs->path.prepend(arena_, e->path);
        NodePtr old = std::move(slot);
        slot = std::move(as_ext(old.get())->child);
        free_node(arena_, std::move(old));
      }
      return Status::ok();
    }
    case NodeKind::kBranch: {
      auto* b = as_branch(n);
      if (len == 0) {
        if (b->value.empty()) return Status::ok();
        b->value.free(arena_);
        *changed = true;
      } else {
        if (Status s = remove(b->children[key[0]], key + 1, len - 1, changed); !s) return s;
        if (!*changed) return Status::ok();
      }
      touch(b);
      int remaining = b->value.empty() ? 0 : 1;
      int last = -1;
      for (int i = 0; i < 16 && remaining < 2; ++i)
        if (b->children[i]) {
          ++remaining;
          last = i;
        }
      if (remaining >= 2) return Status::ok();
      NodePtr old = std::move(slot);
      if (last < 0) {  // only the value is left
        auto* leaf = as_leaf(make_leaf(arena_, {}, {}).release());
        leaf->value = b->value.take();
        slot = NodePtr(leaf);
        free_node(arena_, std::move(old));
        return Status::ok();
      }
      NodePtr& only = b->children[last];
      if (only->kind == NodeKind::kHashed)
        if (Status s = resolve(only); !s) {
          slot = std::move(old);
          return s;
        }
      if (only->kind == NodeKind::kLeaf || only->kind == NodeKind::kExtension) {
        auto* cs = as_short(only.get());
        touch(cs);
        const uint8_t nib = static_cast<uint8_t>(last);
        cs->path.prepend(arena_, {&nib, 1});
        slot = std::move(only);
      } else {
        const uint8_t nib = static_cast<uint8_t>(last);
        slot = make_extension(arena_, {&nib, 1}, std::move(only));
      }
      free_node(arena_, std::move(old));
      return Status::ok();
    }
    case NodeKind::kHashed:
      break;
  }
  return Status::corruption("trie: unresolved node after load");
}

std::vector<NodeKey> Trie::take_obsolete() {
  std::vector<NodeKey> out;
  out.swap(obsolete_);
  return out;
}

}  // namespace klay::trie
