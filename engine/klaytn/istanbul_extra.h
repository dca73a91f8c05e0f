// The Istanbul BFT part of a Klaytn header's Extra field:
// 32 vanity bytes (the last one is the consensus round) followed by
// rlp([validators, seal, committedSeals]).
//
// Value types; thread-safe as values.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay {

inline constexpr size_t kIstanbulExtraVanity = 32;
inline constexpr size_t kIstanbulExtraSeal = 65;

struct IstanbulExtra {
  std::vector<Address> validators;
  Bytes seal;
  std::vector<Bytes> committed_seals;

  bool operator==(const IstanbulExtra&) const = default;
};

// Decodes the part after the vanity. Fails when `extra` is shorter than the
// vanity or the rest is not exactly one well-formed Istanbul extra list.
Result<IstanbulExtra> decode_istanbul_extra(ByteView extra);

// rlp([validators, seal, committedSeals]) without the vanity.
Bytes encode_istanbul_extra(const IstanbulExtra& ist);

// vanity (exactly 32 bytes) ++ encode_istanbul_extra(ist).
// REQUIRES: vanity.size() == kIstanbulExtraVanity.
Bytes make_header_extra(ByteView vanity, const IstanbulExtra& ist);

}  // namespace klay
