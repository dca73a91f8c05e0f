#include "engine/trie/node_codec.h"

#include <algorithm>
#include <cassert>

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/trie/nibbles.h"
#include "engine/trie/node_view.h"

namespace klay::trie {

namespace {

// ---- hash-form sizes and a raw writer (the caller sizes the buffer first) ----

inline size_t be_len(size_t v) {
  size_t n = 0;
  for (; v; v >>= 8) ++n;
  return n;
}

inline size_t header_size(size_t len) { return len < 56 ? 1 : 1 + be_len(len); }

inline uint8_t* put_header(uint8_t* p, size_t len, uint8_t base) {
  if (len < 56) {
    *p++ = static_cast<uint8_t>(base + len);
    return p;
  }
  const size_t n = be_len(len);
  *p++ = static_cast<uint8_t>(base + 55 + n);
  for (size_t i = n; i-- > 0;) *p++ = static_cast<uint8_t>(len >> (8 * i));
  return p;
}

inline size_t string_size(ByteView s) {
  if (s.size() == 1 && s[0] < 0x80) return 1;
  return header_size(s.size()) + s.size();
}

inline uint8_t* put_string(uint8_t* p, ByteView s) {
  if (s.size() == 1 && s[0] < 0x80) {
    *p++ = s[0];
    return p;
  }
  p = put_header(p, s.size(), 0x80);
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

inline size_t child_ref_size(const Node* c) {
  if (!c) return 1;
  return c->ref_len == 32 ? 33 : c->ref_len;
}

inline uint8_t* put_child_ref(uint8_t* p, const Node* c) {
  if (!c) {
    *p++ = 0x80;
  } else if (c->ref_len == 32) {
    *p++ = 0xa0;
    std::memcpy(p, c->ref, 32);
    p += 32;
  } else {
    std::memcpy(p, c->ref, c->ref_len);
    p += c->ref_len;
  }
  return p;
}

// Hex-prefix path as an RLP string. The flag nibble keeps a 1-byte path below 0x80.
inline size_t path_string_size(size_t nibbles) {
  const size_t n = hex_prefix_size(nibbles);
  return n == 1 ? 1 : header_size(n) + n;
}

inline uint8_t* put_path_string(uint8_t* p, ByteView path, bool leaf) {
  const size_t n = hex_prefix_size(path.size());
  if (n > 1) p = put_header(p, n, 0x80);
  const size_t odd = path.size() & 1;
  const uint8_t flag = static_cast<uint8_t>((leaf ? 2 : 0) | odd);
  *p++ = static_cast<uint8_t>((flag << 4) | (odd ? path[0] : 0));
  const size_t pairs = path.size() >> 1;
  pack_nibbles(path.data() + odd, pairs, p);
  return p + pairs;
}

// Payload size of n's hash-form RLP list; `v` is its value as hashed (leaf or branch).
// REQUIRES: n is not kHashed.
size_t hash_form_payload(const Node* n, ByteView v) {
  switch (n->kind) {
    case NodeKind::kLeaf:
      return path_string_size(as_short(n)->path.size()) + string_size(v);
    case NodeKind::kExtension:
      return path_string_size(as_short(n)->path.size()) + child_ref_size(as_ext(n)->child.get());
    default: {
      size_t payload = string_size(v);
      for (const auto& c : as_branch(n)->children) payload += child_ref_size(c.get());
      return payload;
    }
  }
}

// Writes the list header and the `payload` bytes hash_form_payload() counted.
uint8_t* put_hash_form(uint8_t* p, const Node* n, ByteView v, size_t payload) {
  p = put_header(p, payload, 0xc0);
  switch (n->kind) {
    case NodeKind::kLeaf:
      p = put_path_string(p, as_short(n)->path, true);
      return put_string(p, v);
    case NodeKind::kExtension:
      p = put_path_string(p, as_short(n)->path, false);
      return put_child_ref(p, as_ext(n)->child.get());
    default:
      for (const auto& c : as_branch(n)->children) p = put_child_ref(p, c.get());
      return put_string(p, v);
  }
}

inline void prefetch_node(const Node* c) {
  const auto* p = reinterpret_cast<const char*>(c);
  __builtin_prefetch(p);
  __builtin_prefetch(p + 64);
  __builtin_prefetch(p + 128);  // a fresh leaf's path and value follow it
}

void append_stored_child(NodeCodec& codec, Bytes& out, const Node* c) {
  if (!c) {
    out.push_back(0x80);
  } else if (c->ref_len == 32) {
    const NodeKey key = c->store_key();
    rlp::encode_string(out, key.view());
  } else {
    codec.encode_stored_form(c, out);
  }
}

void append_path_string(Bytes& out, ByteView path, bool leaf) {
  const size_t at = out.size();
  out.resize(at + path_string_size(path.size()));
  put_path_string(out.data() + at, path, leaf);
}

}  // namespace

ByteView NodeCodec::leaf_value_for_hash(ByteView stored) {
  if (transform_ && transform_(stored, &transformed_)) return transformed_;
  return stored;
}

ByteView NodeCodec::hash_form_value(const Node* n) {
  if (n->kind == NodeKind::kLeaf) return leaf_value_for_hash(as_leaf(n)->value);
  if (n->kind == NodeKind::kBranch && !as_branch(n)->value.empty()) return leaf_value_for_hash(as_branch(n)->value);
  return {};
}

void NodeCodec::hash(Node* n) {
  if (n->ref_len) return;
  if (n->kind == NodeKind::kExtension) {
    hash(as_ext(n)->child.get());
  } else if (n->kind == NodeKind::kBranch) {
    auto& children = as_branch(n)->children;
    // Children are scattered in memory: start loading them all before descending.
    for (const auto& c : children)
      if (c) prefetch_node(c.get());
    for (const auto& c : children)
      if (c && !c->ref_len) hash(c.get());
  }
  const ByteView v = hash_form_value(n);
  const size_t payload = hash_form_payload(n, v);
  const size_t total = header_size(payload) + payload;
  if (scratch_.size() < total) scratch_.resize(std::max<size_t>(total, 1024));
  put_hash_form(scratch_.data(), n, v, payload);
  if (total < 32) {
    std::memcpy(n->ref, scratch_.data(), total);
    n->ref_len = static_cast<uint8_t>(total);
  } else {
    keccak256(ByteView(scratch_.data(), total), n->ref);
    n->ref_len = 32;
  }
}

Hash NodeCodec::root_hash(Node* n) {
  if (!n) return empty_root();
  hash(n);
  if (n->ref_len == 32) return n->hash();
  return keccak256(n->ref_view());
}

void NodeCodec::encode_hash_form(const Node* n, Bytes& out) {
  if (n->kind == NodeKind::kHashed) {
    assert(n->ref_len && n->ref_len < 32);  // only finished embedded subtrees
    out.insert(out.end(), n->ref, n->ref + n->ref_len);
    return;
  }
  const ByteView v = hash_form_value(n);
  const size_t payload = hash_form_payload(n, v);
  const size_t at = out.size();
  out.resize(at + header_size(payload) + payload);
  put_hash_form(out.data() + at, n, v, payload);
}

void NodeCodec::encode_stored_form(const Node* n, Bytes& out) {
  if (n->kind == NodeKind::kHashed) {
    assert(n->ref_len && n->ref_len < 32);
    out.insert(out.end(), n->ref, n->ref + n->ref_len);
    return;
  }
  // The payload goes straight into `out`; the list header is slid in before it.
  const size_t at = out.size();
  switch (n->kind) {
    case NodeKind::kLeaf: {
      const auto* l = as_leaf(n);
      append_path_string(out, l->path, true);
      rlp::encode_string(out, l->value);
      break;
    }
    case NodeKind::kExtension: {
      const auto* e = as_ext(n);
      append_path_string(out, e->path, false);
      append_stored_child(*this, out, e->child.get());
      break;
    }
    default: {
      const auto* b = as_branch(n);
      out.reserve(at + 16 * 40 + b->value.size() + 8);
      for (const auto& c : b->children) append_stored_child(*this, out, c.get());
      rlp::encode_string(out, b->value);
      break;
    }
  }
  uint8_t hdr[9];
  const size_t hl = static_cast<size_t>(put_header(hdr, out.size() - at, 0xc0) - hdr);
  out.insert(out.begin() + static_cast<long>(at), hdr, hdr + hl);
}

NodeKey store_key_of(const Node* n) {
  if (n->ref_len == 32) return n->store_key();
  const Hash h = keccak256(n->ref_view());
  return n->key_len == 39 ? NodeKey::ext(h, n->counter) : NodeKey::plain(h);
}

namespace {

Result<NodePtr> decode_ref(NodeArena& arena, const ChildRef& ref) {
  switch (ref.kind) {
    case ChildRef::Kind::kEmpty:
      return NodePtr();
    case ChildRef::Kind::kKey:
      return make_stored_ref(arena, ref.data);
    case ChildRef::Kind::kEmbedded:
      if (ref.data.size() >= 32) return Status::corruption("trie: embedded node of 32 bytes or more");
      return decode_stored_node(arena, ref.data, nullptr, false);
  }
  return NodePtr();
}

}  // namespace

Result<NodePtr> decode_stored_node(NodeArena& arena, ByteView rlp_bytes, const NodeKey* key, bool is_root) {
  NodeView view;
  if (Status s = decode_node_view(rlp_bytes, &view); !s) return s;
  NodePtr node;
  switch (view.kind) {
    case NodeView::Kind::kLeaf:
      node = make_leaf(arena, view.path, view.value);
      break;
    case NodeView::Kind::kExtension: {
      auto child = decode_ref(arena, view.child);
      if (!child) return child.status();
      node = make_extension(arena, view.path, std::move(*child));
      break;
    }
    case NodeView::Kind::kBranch: {
      node = make_branch(arena);
      auto* b = as_branch(node.get());
      for (size_t i = 0; i < 16; ++i) {
        auto child = decode_ref(arena, view.children[i]);
        if (!child) {
          free_tree(arena, std::move(node));
          return child.status();
        }
        b->children[i] = std::move(*child);
      }
      b->value.assign(arena, view.value);
      break;
    }
  }
  node->dirty = false;
  if (key) {
    node->key_len = key->len;
    node->counter = key->is_ext() ? ExtHash::from(key->view()).counter() : 0;
    if (!is_root) {
      std::memcpy(node->ref, key->bytes.data(), 32);
      node->ref_len = 32;
    }
  }
  return node;
}

}  // namespace klay::trie
