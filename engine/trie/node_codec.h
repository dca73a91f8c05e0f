// Encoding, hashing and decoding of in-memory nodes (internal to engine/trie).
//
// Two RLP forms exist for every node:
//  - hash form: child references are 32-byte hashes (or embedded RLP when the
//    child's hash form is shorter than 32 bytes) and leaf values pass through
//    the optional LeafValueTransform. Its Keccak hash is the Merkle hash.
//  - stored form: child references are the children's store keys (32-byte hash
//    or 39-byte ExtHash) and leaf values are kept as given.
// Without ExtHash and without a transform, both forms are identical.
// A NodeCodec keeps scratch buffers: one per thread/trie, not thread-safe.
#pragma once

#include <functional>

#include "engine/core/status.h"
#include "engine/trie/node.h"

namespace klay::trie {

// Maps a stored leaf value to the bytes hashed in its place. Returns false to
// hash the value as stored (the common case), true after filling `*hash_value`.
// Used by the state layer for SCA accounts, whose storage root is a 39-byte
// ExtHash in stored form but its 32-byte hash in the Merkle form.
// Must be pure and thread-safe (it may run on several tries at once).
using LeafValueTransform = std::function<bool(ByteView stored_value, Bytes* hash_value)>;

class NodeCodec {
 public:
  explicit NodeCodec(LeafValueTransform transform = nullptr) : transform_(std::move(transform)) {}

  // Computes and caches n->ref for n and every descendant lacking one.
  void hash(Node* n);
  // The Merkle root hash of a tree whose root is n (Keccak even when embedded-sized).
  Hash root_hash(Node* n);
  // Appends n's hash-form RLP. REQUIRES: every child of n has a ref (call hash(n)).
  void encode_hash_form(const Node* n, Bytes& out);
  // Appends n's stored-form RLP. REQUIRES: every hashed child of n has a store key.
  void encode_stored_form(const Node* n, Bytes& out);

 private:
  ByteView leaf_value_for_hash(ByteView stored);
  // The value n's hash form carries (leaf value or branch value, transformed).
  ByteView hash_form_value(const Node* n);

  LeafValueTransform transform_;
  Bytes scratch_;  // hash-form RLP of the node being hashed; only grows
  Bytes transformed_;
};

// The store key of a stored node (key_len != 0), recomputing the hash when the
// node's ref is an embedded RLP (only possible for a root).
NodeKey store_key_of(const Node* n);

// Decodes a stored node. With `key`, the node is marked clean and stored under
// it; `is_root` leaves its ref to be recomputed (a root may be embedded-sized).
// Embedded children are decoded recursively; hashed children become unloaded refs.
// Nodes are allocated in `arena`.
Result<NodePtr> decode_stored_node(NodeArena& arena, ByteView rlp, const NodeKey* key, bool is_root);

}  // namespace klay::trie
