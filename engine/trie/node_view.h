// Zero-copy decoding of one trie node's RLP (hash form or stored form).
//
// A NodeView borrows the bytes it was decoded from; they must outlive it.
// Used by the trie (to load nodes), the proof verifier and the node walker.
#pragma once

#include <array>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::trie {

// A reference to a child as it appears inside a node.
struct ChildRef {
  enum class Kind : uint8_t { kEmpty, kKey, kEmbedded };
  Kind kind = Kind::kEmpty;
  // kKey: the 32-byte hash or 39-byte ExtHash; kEmbedded: the child's whole RLP.
  ByteView data;
  bool empty() const { return kind == Kind::kEmpty; }
};

struct NodeView {
  enum class Kind : uint8_t { kLeaf, kExtension, kBranch };
  Kind kind = Kind::kBranch;
  Bytes path;                         // leaf / extension: nibbles
  ByteView value;                     // leaf value, or branch value (empty: none)
  ChildRef child;                     // extension child
  std::array<ChildRef, 16> children;  // branch children
};

// Decodes a node. Corruption on anything that is not a 2- or 17-item list with
// well-formed references (child references must be empty, a 32- or 39-byte
// string, or an embedded list).
Status decode_node_view(ByteView rlp, NodeView* out);

// Parses one child reference item (the whole encoded RLP item).
Status parse_child_ref(ByteView item_encoded, ChildRef* out);

}  // namespace klay::trie
