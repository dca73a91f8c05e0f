// Merkle proof verification (EIP-1186 style: the hash-form RLP of every node
// on the path from the root to a key, root first; Trie::prove produces them).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <span>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay::trie {

// Verifies that `proof` proves the value of `key` (raw trie key; hash it first
// for a secure trie) under `root`.
// Returns the value, or nullopt when the proof shows the key is absent.
// Returns InvalidArgument ("invalid proof: …") when a node the path needs is
// missing from the proof, a node does not decode, or a reference is not a
// 32-byte hash or an embedded node. Unused extra nodes are ignored.
Result<std::optional<Bytes>> verify_proof(const Hash& root, ByteView key, std::span<const Bytes> proof);

}  // namespace klay::trie
