// Klaytn block headers.
//
// RLP list, in order: ParentHash, Rewardbase, Root, TxHash, ReceiptHash,
// Bloom(256), BlockScore, Number, GasUsed, Time, TimeFoS(uint8), Extra,
// Governance, Vote, then the optional tail BaseFee (Magma), RandomReveal and
// MixHash (Randao). Tail fields are written up to the last one present; an
// absent field before a present one is written as an empty string. Decoding
// marks exactly the tail fields found as present, so decode→encode is
// byte-identical.
//
// Block hash (reference: Header.Hash with the Istanbul engine): keccak256 of
// the header RLP after "filtering" Extra: committed seals emptied, the round
// byte (Extra[31]) set to 0, the seal kept. When Extra is not a valid
// Istanbul extra, the plain header RLP is hashed. The proposer's signing
// hash (sig_hash) filters the seal too.
//
// Header is a value type; thread-safe as a value.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"

namespace klay {

using Bloom = FixedBytes<256>;

struct Header {
  Hash parent_hash;
  Address rewardbase;
  Hash root;
  Hash tx_hash;
  Hash receipt_hash;
  Bloom bloom;
  uint256 block_score;
  uint64_t number = 0;
  uint64_t gas_used = 0;
  uint64_t time = 0;
  uint8_t time_fos = 0;
  Bytes extra;
  Bytes governance;
  Bytes vote;
  std::optional<uint256> base_fee;
  std::optional<Bytes> random_reveal;
  std::optional<Bytes> mix_hash;

  bool operator==(const Header&) const = default;
};

Bytes encode_header(const Header& h);
// The whole input must be one header. Number and Time must fit in 64 bits.
Result<Header> decode_header(ByteView encoded);

// The block hash (see the file comment).
Hash header_hash(const Header& h);
// keccak256 of the header RLP with no filtering.
Hash header_rlp_hash(const Header& h);
// The Istanbul proposer signing hash (seal and committed seals removed).
// Falls back to the plain RLP hash, like header_hash.
Hash header_sig_hash(const Header& h);

}  // namespace klay
