// DeriveSha: the transaction and receipt roots of a Klaytn header.
//
// The implementation is chosen by the chain config's deriveShaImpl:
//   0 original: Merkle Patricia trie root of rlp(index) -> item RLP
//   1 simple:   binary Keccak tree over keccak256(item RLP), the last node of an
//               odd level duplicated; keccak256("") for an empty list
//   2 concat:   keccak256(item0 ++ item1 ++ ...) over the item RLPs
// An unknown value falls back to 0, as the reference does.
// "Item RLP" is each transaction's wire encoding / each receipt's consensus
// encoding (see tx.h and receipt.h).
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/types.h"

namespace klay {

enum class DeriveShaImpl : int { kOriginal = 0, kSimple = 1, kConcat = 2 };

// Maps a configured value to an implementation (unknown -> kOriginal).
DeriveShaImpl derive_sha_impl_from(int64_t configured);

Hash derive_sha(DeriveShaImpl impl, const std::vector<Bytes>& item_rlps);
// The root of an empty list (what a block without transactions carries).
Hash empty_derive_sha(DeriveShaImpl impl);

}  // namespace klay
