// Keccak-256 as Ethereum and Klaytn use it (original Keccak padding 0x01,
// not FIPS-202 SHA3's 0x06). Our own implementation of Keccak-f[1600].
// Thread-safe: no shared state.
#pragma once

#include <cstdint>

#include "engine/core/bytes.h"
#include "engine/core/types.h"

namespace klay {

// One-shot hash.
Hash keccak256(ByteView data);
void keccak256(ByteView data, uint8_t out[32]);

// Incremental hashing. Not thread-safe per object.
class Keccak256 {
 public:
  Keccak256() { reset(); }
  void reset();
  void update(ByteView data);
  // Finishes and writes 32 bytes; the object must be reset() before reuse.
  void finalize(uint8_t out[32]);
  Hash finalize() {
    Hash h;
    finalize(h.data());
    return h;
  }

 private:
  uint64_t state_[25];
  uint8_t buf_[136];
  size_t buf_len_;
};

// The Keccak-f[1600] permutation (24 rounds) on 25 little-endian lanes.
void keccak_f1600(uint64_t state[25]);

}  // namespace klay
