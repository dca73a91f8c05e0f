// Trie: hashing, commit and proof generation.
#include <unordered_set>

#include "engine/core/keccak.h"
#include "engine/trie/nibbles.h"
#include "engine/trie/trie.h"

namespace klay::trie {

Hash Trie::root_hash() { return codec_.root_hash(root_.get()); }

Status Trie::commit_node(Node* n, NodeWriter& writer, bool is_root, CommitResult& result) {
  if (!n->dirty) return Status::ok();
  if (n->kind == NodeKind::kExtension) {
    if (Status s = commit_node(as_ext(n)->child.get(), writer, false, result); !s) return s;
  } else if (n->kind == NodeKind::kBranch) {
    for (auto& c : as_branch(n)->children)
      if (c)
        if (Status s = commit_node(c.get(), writer, false, result); !s) return s;
  }
  if (n->ref_len == 32 || is_root) {
    if (options_.ext_hash && !(is_root && options_.root_zero_extension)) {
      ExtHashCounter& counter = options_.counter ? *options_.counter : process_ext_hash_counter();
      n->counter = counter.next();
      n->key_len = 39;
    } else {
      n->counter = 0;
      n->key_len = 32;
    }
    encode_buf_.clear();
    if (!options_.ext_hash && !options_.leaf_value_for_hash) codec_.encode_hash_form(n, encode_buf_);
    else codec_.encode_stored_form(n, encode_buf_);
    const NodeKey key = store_key_of(n);
    if (Status s = writer.put(key.view(), encode_buf_); !s) {
      n->key_len = 0;
      return s;
    }
    ++result.nodes_written;
    result.bytes_written += key.len + encode_buf_.size();
    if (is_root) result.root_key = key;
    if (options_.track_obsolete && !obsolete_.empty()) written_.push_back(key);
  }
  n->dirty = false;
  return Status::ok();
}

Result<CommitResult> Trie::commit(NodeWriter& writer) {
  CommitResult result;
  if (!root_) {
    result.root = empty_root();
    result.root_key = NodeKey::plain(result.root);
    return result;
  }
  result.root = codec_.root_hash(root_.get());
  if (!root_->dirty) {
    result.root_key = store_key_of(root_.get());
    return result;
  }
  written_.clear();
  if (Status s = commit_node(root_.get(), writer, true, result); !s) return s;
  // A key can be obsolete and written again (same content under a plain hash,
  // e.g. a put undone by an erase, or a zero-extension root); it is live again.
  if (!obsolete_.empty() && !written_.empty()) {
    std::unordered_set<NodeKey, NodeKeyHasher> rewritten(written_.begin(), written_.end());
    std::vector<NodeKey> kept;
    for (const NodeKey& k : obsolete_)
      if (!rewritten.contains(k)) kept.push_back(k);
    obsolete_.swap(kept);
  }
  written_.clear();
  return result;
}

Result<std::vector<Bytes>> Trie::prove(ByteView key) {
  std::vector<Bytes> proof;
  if (!root_) return proof;
  if (root_->kind == NodeKind::kHashed)
    if (Status s = resolve(root_); !s) return s;
  codec_.hash(root_.get());
  key_nibbles_.clear();
  append_nibbles(key_nibbles_, key);
  const uint8_t* k = key_nibbles_.data();
  size_t len = key_nibbles_.size();
  NodePtr* slot = &root_;
  for (;;) {
    if (!*slot) return proof;
    if ((*slot)->kind == NodeKind::kHashed)
      if (Status s = resolve(*slot); !s) return s;
    Node* n = slot->get();
    codec_.hash(n);
    if (n->ref_len == 32 || slot == &root_) {
      Bytes enc;
      codec_.encode_hash_form(n, enc);
      proof.push_back(std::move(enc));
    }
    switch (n->kind) {
      case NodeKind::kLeaf:
        return proof;
      case NodeKind::kExtension: {
        auto* s = as_ext(n);
        const size_t p = s->path.size();
        if (len < p || !std::equal(s->path.begin(), s->path.end(), k)) return proof;
        k += p;
        len -= p;
        slot = &s->child;
        break;
      }
      case NodeKind::kBranch:
        if (len == 0) return proof;
        slot = &as_branch(n)->children[*k];
        ++k;
        --len;
        break;
      case NodeKind::kHashed:
        return Status::corruption("trie: unresolved node after load");
    }
  }
}

}  // namespace klay::trie
