// Nibble paths and hex-prefix (compact) encoding of trie paths.
//
// Paths inside the trie are kept one nibble per byte (values 0..15), which
// makes splitting and comparing cheap. Hex-prefix encoding packs them two per
// byte with a flag nibble (bit 1: leaf, bit 0: odd length), as the Yellow
// Paper, appendix C, describes. All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::trie {

// Writes the 2*n nibbles of the n bytes at `in` (high nibble first) to `out`.
inline void unpack_nibbles(const uint8_t* in, size_t n, uint8_t* out) {
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = in[i] >> 4;
    out[2 * i + 1] = in[i] & 0x0f;
  }
}

// Packs 2*n nibbles at `in` into n bytes at `out` (the inverse of unpack_nibbles).
inline void pack_nibbles(const uint8_t* in, size_t n, uint8_t* out) {
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>((in[2 * i] << 4) | in[2 * i + 1]);
}

// Appends the 2*key.size() nibbles of `key` (high nibble first) to `out`.
void append_nibbles(Bytes& out, ByteView key);
inline Bytes to_nibbles(ByteView key) {
  Bytes out;
  out.reserve(key.size() * 2);
  append_nibbles(out, key);
  return out;
}
// Packs an even number of nibbles back into bytes. REQUIRES: nibbles.size() is even.
Bytes nibbles_to_bytes(ByteView nibbles);

// Length of the common prefix of two nibble paths.
inline size_t common_prefix(const uint8_t* a, size_t a_len, const uint8_t* b, size_t b_len) {
  const size_t n = a_len < b_len ? a_len : b_len;
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// Appends the hex-prefix encoding of `nibbles` (as raw bytes, no RLP header).
void append_hex_prefix(Bytes& out, ByteView nibbles, bool leaf);
// Size in bytes of the hex-prefix encoding of `n` nibbles.
inline size_t hex_prefix_size(size_t n) { return n / 2 + 1; }

// Decodes a hex-prefix string into nibbles (replacing `nibbles`) and the leaf flag.
// Fails with Corruption on an empty input, an unknown flag or a non-zero pad nibble.
Status decode_hex_prefix(ByteView compact, Bytes& nibbles, bool& leaf);

}  // namespace klay::trie
