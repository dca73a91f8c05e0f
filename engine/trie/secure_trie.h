// SecureTrie: a Trie whose keys are Keccak-256 hashed before use (the state
// and storage tries). Same ownership and threading rules as Trie.
//
//   SecureTrie t;  for (auto& [k, v] : pairs) v ? t.put(k, *v) : t.erase(k);
//   Hash root = t.root_hash();
#pragma once

#include <functional>

#include "engine/trie/trie.h"

namespace klay::trie {

// Receives (hashed key, original key) for every put; e.g. to store the
// "secure-key-" preimage records. Called synchronously from put().
using PreimageCallback = std::function<void(const Hash& hashed_key, ByteView key)>;

class SecureTrie {
 public:
  explicit SecureTrie(const NodeReader* reader = nullptr, TrieOptions options = {})
      : trie_(reader, std::move(options)) {}
  static Result<SecureTrie> open(const NodeReader* reader, ByteView root_key, TrieOptions options = {});

  void set_preimage_callback(PreimageCallback cb) { preimages_ = std::move(cb); }

  Result<std::optional<Bytes>> get(ByteView key);
  Status put(ByteView key, ByteView value);  // empty value deletes
  Status erase(ByteView key);
  // Same operations with an already hashed key (e.g. while iterating).
  Result<std::optional<Bytes>> get_hashed(const Hash& hashed_key) { return trie_.get(hashed_key.view()); }

  Hash root_hash() { return trie_.root_hash(); }
  Result<CommitResult> commit(NodeWriter& writer) { return trie_.commit(writer); }
  std::vector<NodeKey> take_obsolete() { return trie_.take_obsolete(); }
  // Proof for `key` (hashed here); verify with the hashed key.
  Result<std::vector<Bytes>> prove(ByteView key);

  Trie& raw() { return trie_; }

 private:
  explicit SecureTrie(Trie t) : trie_(std::move(t)) {}
  Trie trie_;
  PreimageCallback preimages_;
};

}  // namespace klay::trie
