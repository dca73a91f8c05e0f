// HashBuilder: the Merkle root of keys supplied in ascending order, without
// keeping the whole trie (transaction/receipt roots, fast verification).
//
// Only the rightmost path stays in memory: when a key arrives, every subtree
// left of its path can no longer change, so it is hashed and dropped. Memory is
// O(key length x 16). The root equals Trie's root for the same pairs.
// Not thread-safe; one builder per stream.
#pragma once

#include <functional>

#include "engine/trie/trie.h"

namespace klay::trie {

// Receives each finished node that is referenced by hash (hash-form RLP of 32
// bytes or more, plus the root), children before parents. Optional.
using NodeCollector = std::function<void(const Hash& node_hash, ByteView rlp)>;

class HashBuilder {
 public:
  explicit HashBuilder(NodeCollector collector = nullptr);

  // Adds one pair. REQUIRES: key greater (bytewise) than every key added since
  // the last root(); InvalidArgument otherwise. An empty value is ignored
  // (it would mean "absent" in a trie).
  Status add(ByteView key, ByteView value);
  // The root of everything added (empty_root() when nothing was); resets the builder.
  Hash root();
  size_t count() const { return count_; }

 private:
  void finish_left_of(const uint8_t* nibbles, size_t len);
  void finish(NodePtr& slot);
  void emit(Node* n, bool is_root);

  Trie trie_;
  NodeCollector collector_;
  Bytes last_key_;
  Bytes nibbles_;
  Bytes emit_buf_;
  size_t count_ = 0;
};

// Convenience: the root of `pairs` sorted by key (sorts a copy of the views).
Hash ordered_root(std::vector<std::pair<ByteView, ByteView>> pairs);

}  // namespace klay::trie
