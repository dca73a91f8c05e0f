// Trie: the Ethereum-compatible hexary Merkle Patricia trie over a NodeReader.
//
// Ownership: a Trie owns its in-memory nodes; it borrows the NodeReader (which
// must outlive it) and, during commit(), the NodeWriter.
// Memory: nodes live in a per-trie arena that is released in one go when the
// trie is destroyed (freed nodes are reused meanwhile). Past a few MiB it grows
// in 2 MiB chunks, backed by transparent huge pages where the kernel allows.
// Threading: a Trie is not thread-safe; use one per thread. Different tries may
// share a reader (readers must allow concurrent get()).
// Nodes load lazily from the reader by key (32-byte hash or 39-byte ExtHash; both
// are accepted anywhere). A node the reader lacks fails the call with
// missing_node(key) (NotFound naming the key); an absent trie key is not an error.
// After a put/erase fails on a missing node the in-memory trie may be half
// updated: discard it and reopen from the last committed root.
//
// Typical use ("apply [key, value|null] pairs, then root"):
//   Trie t;                                   // empty, no store
//   for (auto& [k, v] : pairs) v ? t.put(k, *v) : t.erase(k);
//   Hash root = t.root_hash();
// For hashed keys use SecureTrie (secure_trie.h) the same way.
#pragma once

#include <optional>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/trie/ext_hash_counter.h"
#include "engine/trie/node.h"
#include "engine/trie/node_codec.h"
#include "engine/trie/node_store.h"

namespace klay::trie {

struct TrieOptions {
  // Store every node under a fresh 39-byte ExtHash (live pruning). Default: false.
  bool ext_hash = false;
  // ExtHash mode only: the root keeps zero extension, i.e. is stored under its plain
  // 32-byte hash (the account trie). Storage tries set false. Default: true.
  bool root_zero_extension = true;
  // Source of ExtHash counters; nullptr means process_ext_hash_counter(). Not owned;
  // must outlive the trie. Default: nullptr.
  ExtHashCounter* counter = nullptr;
  // Leaf values as hashed (see LeafValueTransform). Default: hash values as stored.
  LeafValueTransform leaf_value_for_hash = nullptr;
  // Record the keys of stored nodes that updates replaced or deleted. Default: true.
  bool track_obsolete = true;
};

struct CommitResult {
  Hash root;              // Merkle root (counters stripped); empty_root() for an empty trie
  NodeKey root_key;       // key the root node is stored under (empty_root() for an empty
                          // trie, nothing written); Trie::open accepts it
  size_t nodes_written = 0;
  size_t bytes_written = 0;
};

class Trie {
 public:
  // An empty trie. `reader` may be null when nothing is ever loaded.
  explicit Trie(const NodeReader* reader = nullptr, TrieOptions options = {});
  // The trie whose root is stored under `root_key` (32 or 39 bytes). A 32-byte
  // empty_root() opens an empty trie. The root is loaded on first use.
  static Result<Trie> open(const NodeReader* reader, ByteView root_key, TrieOptions options = {});

  Trie(Trie&&) noexcept = default;
  Trie& operator=(Trie&&) noexcept = default;
  Trie(const Trie&) = delete;
  Trie& operator=(const Trie&) = delete;

  // The value under `key`, or nullopt. Loaded nodes stay cached in the trie.
  Result<std::optional<Bytes>> get(ByteView key);
  // Sets `key` to `value`; an empty value deletes the key (Ethereum semantics).
  Status put(ByteView key, ByteView value);
  // Deletes `key`; deleting an absent key is not an error.
  Status erase(ByteView key);

  // The Merkle root (hashes are cached; only changed paths are re-hashed).
  Hash root_hash();
  bool empty() const { return root_ == nullptr; }

  // Writes every node changed since the last commit (children before parents)
  // to `writer`, then marks them clean. The tree stays in memory. On error the
  // trie may have been partially written; retrying writes the rest again.
  Result<CommitResult> commit(NodeWriter& writer);

  // Keys of stored nodes (loaded from the reader or written by commit()) that
  // updates replaced or deleted since the last take_obsolete(). Keys rewritten
  // by a later commit() are removed again. In ExtHash mode these are exactly the
  // pruning marks; in plain-hash mode identical content elsewhere may still use
  // the same key, so they are not safe to delete without reference counting.
  std::vector<NodeKey> take_obsolete();
  const std::vector<NodeKey>& obsolete() const { return obsolete_; }

  // EIP-1186-style proof: hash-form RLP of each stored node on the path to
  // `key`, root first. Valid for present and absent keys (see proof.h).
  Result<std::vector<Bytes>> prove(ByteView key);

  const TrieOptions& options() const { return options_; }

 private:
  friend class HashBuilder;

  Status insert(NodePtr& slot, const uint8_t* key, size_t len, ByteView value, bool* changed);
  Status remove(NodePtr& slot, const uint8_t* key, size_t len, bool* changed);
  Status resolve(NodePtr& slot);
  void touch(Node* n);
  // Frees a node leaving the tree (not its children), recording its key as obsolete.
  void discard(NodePtr n);
  Status commit_node(Node* n, NodeWriter& writer, bool is_root, CommitResult& result);

  const NodeReader* reader_;
  TrieOptions options_;
  NodeCodec codec_;
  NodeArena arena_;  // every node of this trie (before root_: outlives it)
  NodePtr root_;
  std::vector<NodeKey> obsolete_;
  std::vector<NodeKey> written_;  // keys written by the running commit (when obsolete_ is non-empty)
  Bytes key_nibbles_;
  Bytes read_buf_;
  Bytes encode_buf_;
};

}  // namespace klay::trie
