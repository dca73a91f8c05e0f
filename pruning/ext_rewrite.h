// Rewriting one stored trie node's RLP: child references and leaf values are
// mapped, everything else (paths, embedded children, empty slots) is copied.
// The conversion to live pruning uses it twice: plain -> ExtHash stored form
// (children get their new 39-byte keys, SCA values their 39-byte storage
// roots), and stored -> hash form (counters stripped) to verify each copied
// node's Keccak against its key.
// Pure functions; thread-safe.
#pragma once

#include <functional>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::pruning {

// Maps a child reference (the 32- or 39-byte key) to the reference to write.
using ChildMap = std::function<Result<Bytes>(ByteView child_key)>;
// Maps a leaf (or branch) value to the value to write; null: copy values.
using ValueMap = std::function<Result<Bytes>(ByteView value)>;

// The node `rlp` with every hashed child reference replaced by child(key) and
// every value by value(v). Corruption when `rlp` is not a trie node.
Result<Bytes> rewrite_node(ByteView rlp, const ChildMap& child, const ValueMap& value);

// The hash form of a stored node: 39-byte references cut to their 32-byte
// hash; in the account trie (`account_trie`) values unextended (an SCA's
// 39-byte storage root written as its 32-byte hash).
Result<Bytes> hash_form(ByteView stored_rlp, bool account_trie);

}  // namespace klay::pruning
