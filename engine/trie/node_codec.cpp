#include "engine/trie/node_codec.h"

#include <cassert>

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"
#include "engine/trie/nibbles.h"
#include "engine/trie/node_view.h"

namespace klay::trie {

namespace {

inline size_t child_ref_size(const Node* c) {
  if (!c) return 1;
  return c->ref_len == 32 ? 33 : c->ref_len;
}

inline void append_child_ref(Bytes& out, const Node* c) {
  if (!c) {
    out.push_back(0x80);
  } else if (c->ref_len == 32) {
    out.push_back(0xa0);
    out.insert(out.end(), c->ref, c->ref + 32);
  } else {
    out.insert(out.end(), c->ref, c->ref + c->ref_len);
  }
}

// Hex-prefix path as an RLP string. The flag nibble keeps a 1-byte path below 0x80.
inline size_t path_string_size(size_t nibbles) {
  const size_t n = hex_prefix_size(nibbles);
  return n == 1 ? 1 : rlp::header_size(n) + n;
}

inline void append_path_string(Bytes& out, const Bytes& path, bool leaf) {
  const size_t n = hex_prefix_size(path.size());
  if (n > 1) {
    if (n < 56) {
      out.push_back(static_cast<uint8_t>(0x80 + n));
    } else {
      Bytes hdr;
      rlp::encode_list_header(hdr, n);  // same length bytes as a string header
      hdr[0] = static_cast<uint8_t>(hdr[0] - 0x40);
      append(out, hdr);
    }
  }
  append_hex_prefix(out, path, leaf);
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

}  // namespace

ByteView NodeCodec::leaf_value_for_hash(const Bytes& stored) {
  if (transform_ && transform_(stored, &transformed_)) return transformed_;
  return stored;
}

void NodeCodec::hash(Node* n) {
  if (n->ref_len) return;
  switch (n->kind) {
    case NodeKind::kExtension:
      hash(as_short(n)->child.get());
      break;
    case NodeKind::kBranch:
      for (auto& c : as_branch(n)->children)
        if (c && !c->ref_len) hash(c.get());
      break;
    default:
      break;
  }
  scratch_.clear();
  encode_hash_form(n, scratch_);
  if (scratch_.size() < 32) {
    std::memcpy(n->ref, scratch_.data(), scratch_.size());
    n->ref_len = static_cast<uint8_t>(scratch_.size());
  } else {
    keccak256(scratch_, n->ref);
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
  switch (n->kind) {
    case NodeKind::kLeaf: {
      const auto* s = as_short(n);
      const ByteView v = leaf_value_for_hash(s->value);
      rlp::encode_list_header(out, path_string_size(s->path.size()) + rlp::string_size(v));
      append_path_string(out, s->path, true);
      rlp::encode_string(out, v);
      break;
    }
    case NodeKind::kExtension: {
      const auto* s = as_short(n);
      rlp::encode_list_header(out, path_string_size(s->path.size()) + child_ref_size(s->child.get()));
      append_path_string(out, s->path, false);
      append_child_ref(out, s->child.get());
      break;
    }
    case NodeKind::kBranch: {
      const auto* b = as_branch(n);
      const ByteView v = b->value.empty() ? ByteView() : leaf_value_for_hash(b->value);
      size_t payload = rlp::string_size(v);
      for (const auto& c : b->children) payload += child_ref_size(c.get());
      out.reserve(out.size() + payload + 3);
      rlp::encode_list_header(out, payload);
      for (const auto& c : b->children) append_child_ref(out, c.get());
      rlp::encode_string(out, v);
      break;
    }
    case NodeKind::kHashed:
      assert(n->ref_len && n->ref_len < 32);  // only finished embedded subtrees
      out.insert(out.end(), n->ref, n->ref + n->ref_len);
      break;
  }
}

void NodeCodec::encode_stored_form(const Node* n, Bytes& out) {
  Bytes payload;
  switch (n->kind) {
    case NodeKind::kLeaf: {
      const auto* s = as_short(n);
      append_path_string(payload, s->path, true);
      rlp::encode_string(payload, s->value);
      break;
    }
    case NodeKind::kExtension: {
      const auto* s = as_short(n);
      append_path_string(payload, s->path, false);
      append_stored_child(*this, payload, s->child.get());
      break;
    }
    case NodeKind::kBranch: {
      const auto* b = as_branch(n);
      payload.reserve(16 * 40 + b->value.size() + 4);
      for (const auto& c : b->children) append_stored_child(*this, payload, c.get());
      rlp::encode_string(payload, b->value);
      break;
    }
    case NodeKind::kHashed:
      assert(n->ref_len && n->ref_len < 32);
      out.insert(out.end(), n->ref, n->ref + n->ref_len);
      return;
  }
  rlp::encode_list(out, payload);
}

NodeKey store_key_of(const Node* n) {
  if (n->ref_len == 32) return n->store_key();
  const Hash h = keccak256(n->ref_view());
  return n->key_len == 39 ? NodeKey::ext(h, n->counter) : NodeKey::plain(h);
}

namespace {

Result<NodePtr> decode_ref(const ChildRef& ref) {
  switch (ref.kind) {
    case ChildRef::Kind::kEmpty:
      return NodePtr();
    case ChildRef::Kind::kKey:
      return make_stored_ref(ref.data);
    case ChildRef::Kind::kEmbedded:
      if (ref.data.size() >= 32) return Status::corruption("trie: embedded node of 32 bytes or more");
      return decode_stored_node(ref.data, nullptr, false);
  }
  return NodePtr();
}

}  // namespace

Result<NodePtr> decode_stored_node(ByteView rlp_bytes, const NodeKey* key, bool is_root) {
  NodeView view;
  if (Status s = decode_node_view(rlp_bytes, &view); !s) return s;
  NodePtr node;
  switch (view.kind) {
    case NodeView::Kind::kLeaf:
      node = make_leaf(view.path, view.value);
      break;
    case NodeView::Kind::kExtension: {
      auto child = decode_ref(view.child);
      if (!child) return child.status();
      node = make_extension(view.path, std::move(*child));
      break;
    }
    case NodeView::Kind::kBranch: {
      node = make_branch();
      auto* b = as_branch(node.get());
      for (size_t i = 0; i < 16; ++i) {
        auto child = decode_ref(view.children[i]);
        if (!child) return child.status();
        b->children[i] = std::move(*child);
      }
      b->value.assign(view.value.begin(), view.value.end());
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
