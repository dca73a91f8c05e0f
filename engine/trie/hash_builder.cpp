#include "engine/trie/hash_builder.h"

#include <algorithm>

#include "engine/core/keccak.h"
#include "engine/trie/nibbles.h"

namespace klay::trie {

HashBuilder::HashBuilder(NodeCollector collector)
    : trie_(nullptr, TrieOptions{.track_obsolete = false}), collector_(std::move(collector)) {}

Status HashBuilder::add(ByteView key, ByteView value) {
  if (count_ > 0 && compare(key, last_key_) <= 0)
    return Status::invalid_argument("hash builder: keys must be strictly ascending, got 0x" + to_hex(key) +
                                    " after 0x" + to_hex(last_key_));
  if (value.empty()) return Status::ok();
  last_key_.assign(key.begin(), key.end());
  ++count_;
  nibbles_.clear();
  append_nibbles(nibbles_, key);
  bool changed = false;
  if (Status s = trie_.insert(trie_.root_, nibbles_.data(), nibbles_.size(), value, &changed); !s) return s;
  finish_left_of(nibbles_.data(), nibbles_.size());
  return Status::ok();
}

void HashBuilder::finish_left_of(const uint8_t* k, size_t len) {
  Node* n = trie_.root_.get();
  while (n) {
    if (n->kind == NodeKind::kExtension) {
      auto* s = as_ext(n);
      const size_t p = s->path.size();
      if (len < p) return;
      k += p;
      len -= p;
      n = s->child.get();
    } else if (n->kind == NodeKind::kBranch) {
      if (len == 0) return;
      auto* b = as_branch(n);
      // Everything left of the previous key's path was finished by earlier
      // calls, so the only child left of *k that can still be open is the
      // nearest one (it holds the previous key, or a node split off its path).
      for (int i = int{*k} - 1; i >= 0; --i) {
        if (!b->children[i]) continue;
        if (b->children[i]->kind != NodeKind::kHashed) finish(b->children[i]);
        break;
      }
      n = b->children[*k].get();
      ++k;
      --len;
    } else {
      return;
    }
  }
}

void HashBuilder::emit(Node* n, bool is_root) {
  if (n->kind == NodeKind::kHashed) return;
  if (n->kind == NodeKind::kExtension) {
    emit(as_ext(n)->child.get(), false);
  } else if (n->kind == NodeKind::kBranch) {
    for (auto& c : as_branch(n)->children)
      if (c) emit(c.get(), false);
  }
  if (n->ref_len == 32 || is_root) {
    emit_buf_.clear();
    trie_.codec_.encode_hash_form(n, emit_buf_);
    collector_(n->ref_len == 32 ? n->hash() : keccak256(emit_buf_), emit_buf_);
  }
}

void HashBuilder::finish(NodePtr& slot) {
  trie_.codec_.hash(slot.get());
  if (collector_) emit(slot.get(), false);
  NodePtr done = make_ref(trie_.arena_, slot->ref, slot->ref_len);
  free_tree(trie_.arena_, std::move(slot));
  slot = std::move(done);
}

Hash HashBuilder::root() {
  Hash h = empty_root();
  if (trie_.root_) {
    h = trie_.codec_.root_hash(trie_.root_.get());
    if (collector_) emit(trie_.root_.get(), true);
  }
  free_tree(trie_.arena_, std::move(trie_.root_));
  last_key_.clear();
  count_ = 0;
  return h;
}

Hash ordered_root(std::vector<std::pair<ByteView, ByteView>> pairs) {
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& a, const auto& b) { return compare(a.first, b.first) < 0; });
  HashBuilder hb;
  for (const auto& [k, v] : pairs) {
    Status s = hb.add(k, v);
    (void)s;  // duplicates are the only failure; the first value wins
  }
  return hb.root();
}

}  // namespace klay::trie
