// The Merkle hash of a trie node from its stored form: the node's RLP with
// every 39-byte ExtHash child reference cut to its 32-byte hash and SCA
// account values rewritten with their 32-byte storage root (the hash form
// engine/trie hashes), then Keccak-256. For a node without ExtHash
// references this is keccak(stored RLP).
// engine/trie's NodeCodec is internal to the trie, so this re-encodes at the
// RLP level; the result equals the trie's hash form for every node the trie
// writes (checked by the verify tests against both plain and ExtHash tries).
// Pure; thread-safe.
#pragma once

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay::kchaindata {

// Corruption when `stored` is not a 2- or 17-item node list.
Result<Hash> stored_node_merkle_hash(ByteView stored);

}  // namespace klay::kchaindata
