// Fixed-size value types of the chain: hashes, ExtHash keys, addresses.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

#include <xxhash.h>

#include "engine/core/bytes.h"

namespace klay {

template <size_t N>
struct FixedBytes {
  static constexpr size_t kSize = N;
  std::array<uint8_t, N> bytes{};

  static FixedBytes from(ByteView b) {  // REQUIRES: b.size() == N
    FixedBytes f;
    std::memcpy(f.bytes.data(), b.data(), N);
    return f;
  }
  ByteView view() const { return {bytes.data(), N}; }
  uint8_t* data() { return bytes.data(); }
  const uint8_t* data() const { return bytes.data(); }
  static constexpr size_t size() { return N; }
  bool is_zero() const {
    for (auto b : bytes) if (b) return false;
    return true;
  }
  std::string hex() const { return "0x" + to_hex(view()); }
  auto operator<=>(const FixedBytes&) const = default;
};

using Hash = FixedBytes<32>;
using Address = FixedBytes<20>;

// A 39-byte live-pruning key: 32-byte node hash followed by a 7-byte counter.
// A counter of zero means "no extension" (the account-trie root).
struct ExtHash : FixedBytes<39> {
  static constexpr size_t kCounterSize = 7;
  static ExtHash make(const Hash& h, uint64_t counter) {
    ExtHash e;
    std::memcpy(e.bytes.data(), h.data(), 32);
    for (size_t i = 0; i < kCounterSize; ++i)
      e.bytes[38 - i] = static_cast<uint8_t>(counter >> (8 * i));
    return e;
  }
  static ExtHash from(ByteView b) {  // REQUIRES: b.size() == 39
    ExtHash e;
    std::memcpy(e.bytes.data(), b.data(), 39);
    return e;
  }
  Hash hash() const { return Hash::from(ByteView(bytes.data(), 32)); }
  uint64_t counter() const {
    uint64_t c = 0;
    for (size_t i = 32; i < 39; ++i) c = (c << 8) | bytes[i];
    return c;
  }
};

// The hash of the empty trie: keccak256(rlp("")).
inline constexpr uint8_t kEmptyRootBytes[32] = {
    0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45, 0xe6, 0x92, 0xc0, 0xf8, 0x6e,
    0x5b, 0x48, 0xe0, 0x1b, 0x99, 0x6c, 0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21};
// keccak256 of empty input (the code hash of an account without code).
inline constexpr uint8_t kEmptyCodeHashBytes[32] = {
    0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d, 0xb2, 0xdc, 0xc7, 0x03, 0xc0,
    0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70};
inline Hash empty_root() { return Hash::from(ByteView(kEmptyRootBytes, 32)); }
inline Hash empty_code_hash() { return Hash::from(ByteView(kEmptyCodeHashBytes, 32)); }

// Hash-table hasher over every byte (XXH3). Addresses and keys can be chosen
// by anyone sending transactions, so no subset of the bytes is trusted to be
// uniformly distributed.
struct FixedBytesHasher {
  template <size_t N>
  size_t operator()(const FixedBytes<N>& f) const {
    return static_cast<size_t>(XXH3_64bits(f.data(), N));
  }
};

}  // namespace klay
