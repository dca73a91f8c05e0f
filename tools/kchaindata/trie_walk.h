// A parallel walk over a stored trie that keeps going past damage: every
// missing node, undecodable node and node whose Merkle hash differs from its
// key is reported with its path, and the rest of the trie is still walked.
// (trie::parallel_walk_nodes stops at the first error, which is right for
// migration but not for a verifier that must name every problem.)
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "engine/core/bytes.h"
#include "engine/trie/node_store.h"

namespace klay::kchaindata {

struct TrieDamage {
  enum class Kind { kMissing, kUndecodable, kHashMismatch };
  Kind kind;
  Bytes key;     // the stored key (32 or 39 bytes)
  Bytes path;    // nibbles from the root to the node
  std::string detail;
};

struct TrieWalkCallbacks {
  // A leaf (or branch value): the full key when its nibble path has even
  // length (always 32 bytes in a secure trie), and the stored value.
  std::function<void(ByteView key, ByteView value)> on_value;
  std::function<void(const TrieDamage&)> on_damage;
};

// Walks from `root_key` (32 or 39 bytes). Subtrees below `split_nibbles`
// run as concurrent TBB tasks, so the callbacks must be thread-safe.
// `nodes_visited` (may be null) counts stored nodes read.
void tolerant_walk(const trie::NodeReader& reader, ByteView root_key, const TrieWalkCallbacks& cb,
                   std::atomic<uint64_t>* nodes_visited, size_t split_nibbles = 2);

// "0x1a2" style text for a nibble path ("root" when empty).
std::string nibble_path_text(ByteView nibbles);

}  // namespace klay::kchaindata
