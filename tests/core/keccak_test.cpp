#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>

#include "engine/core/keccak.h"

namespace klay {
namespace {

std::string hex_of(std::string_view s) { return to_hex(keccak256(as_view(s)).view()); }

Bytes pattern(size_t len, uint8_t mul = 31, uint8_t add = 7) {
  Bytes b(len);
  for (size_t i = 0; i < len; ++i) b[i] = static_cast<uint8_t>(i * mul + add);
  return b;
}

// A plain byte-at-a-time sponge over klay::keccak_f1600 with rate 136 and a
// chosen domain-padding byte: 0x01 gives Keccak-256, 0x06 gives FIPS-202
// SHA3-256. Deliberately written differently from keccak.cpp (byte-wise
// state access, whole padded message built first).
Hash sponge256(ByteView msg, uint8_t pad) {
  constexpr size_t kRate = 136;
  Bytes padded(msg.begin(), msg.end());
  padded.push_back(pad);
  while (padded.size() % kRate) padded.push_back(0);
  padded.back() |= 0x80;
  uint64_t state[25] = {};
  for (size_t off = 0; off < padded.size(); off += kRate) {
    for (size_t i = 0; i < kRate; ++i)
      state[i / 8] ^= static_cast<uint64_t>(padded[off + i]) << (8 * (i % 8));
    keccak_f1600(state);
  }
  Hash out;
  for (size_t i = 0; i < 32; ++i) out.bytes[i] = static_cast<uint8_t>(state[i / 8] >> (8 * (i % 8)));
  return out;
}

Hash openssl_sha3_256(ByteView msg) {
  Hash out;
  unsigned len = 0;
  EXPECT_EQ(EVP_Digest(msg.data(), msg.size(), out.data(), &len, EVP_sha3_256(), nullptr), 1);
  EXPECT_EQ(len, 32u);
  return out;
}

TEST(Keccak256, StandardVectors) {
  EXPECT_EQ(hex_of(""), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(hex_of("abc"), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  EXPECT_EQ(hex_of("The quick brown fox jumps over the lazy dog"),
            "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
  // The Keccak team's 1600-bit message: 200 bytes of 0xa3 (spans two blocks).
  EXPECT_EQ(to_hex(keccak256(Bytes(200, 0xa3)).view()),
            "3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a");
  // Ethereum's well-known constants.
  EXPECT_EQ(keccak256(ByteView()), empty_code_hash());
  const uint8_t empty_rlp_string = 0x80;
  EXPECT_EQ(keccak256(ByteView(&empty_rlp_string, 1)), empty_root());
  EXPECT_EQ(hex_of("transfer(address,uint256)").substr(0, 8), "a9059cbb");
}

TEST(Keccak256, PermutationMatchesOpenSSLThroughSha3Padding) {
  // NIST's SHA3-256 example for the same 200 x 0xa3 message.
  EXPECT_EQ(to_hex(sponge256(Bytes(200, 0xa3), 0x06).view()),
            "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787");
  // Every length across three rate blocks, including 135/136/137 and 271/272/273.
  for (size_t len = 0; len <= 3 * 136 + 1; ++len) {
    const Bytes msg = pattern(len);
    ASSERT_EQ(sponge256(msg, 0x06), openssl_sha3_256(msg)) << "len=" << len;
  }
}

TEST(Keccak256, OneShotAndIncrementalMatchIndependentSponge) {
  for (size_t len = 0; len <= 3 * 136 + 1; ++len) {
    const Bytes msg = pattern(len, 73, 1);
    const Hash want = sponge256(msg, 0x01);
    ASSERT_EQ(keccak256(msg), want) << "len=" << len;
    Keccak256 k;
    k.update(msg);
    ASSERT_EQ(k.finalize(), want) << "len=" << len;
  }
  for (size_t len : {135, 136, 137}) {
    const Bytes msg(len, 0xa3);
    EXPECT_EQ(keccak256(msg), sponge256(msg, 0x01)) << len;
    EXPECT_EQ(sponge256(msg, 0x06), openssl_sha3_256(msg)) << len;
  }
}

TEST(Keccak256, PermutationOfZeroState) {
  // Lane 0 after one Keccak-f[1600] of the all-zero state (Keccak reference
  // "KeccakF-1600-IntermediateValues"), and the second application.
  uint64_t s[25] = {};
  keccak_f1600(s);
  EXPECT_EQ(s[0], 0xF1258F7940E1DDE7ULL);
  EXPECT_EQ(s[1], 0x84D5CCF933C0478AULL);
  keccak_f1600(s);
  EXPECT_EQ(s[0], 0x2D5C954DF96ECB3CULL);
}

TEST(Keccak256, IncrementalMatchesOneShotAcrossRateBoundary) {
  for (size_t len : {0, 1, 135, 136, 137, 271, 272, 273, 1000}) {
    std::string data(len, '\0');
    for (size_t i = 0; i < len; ++i) data[i] = static_cast<char>(i * 31 + 7);
    const Hash one = keccak256(as_view(data));
    for (size_t chunk : {1, 7, 136, 200}) {
      Keccak256 k;
      for (size_t off = 0; off < len; off += chunk)
        k.update(as_view(std::string_view(data).substr(off, chunk)));
      EXPECT_EQ(k.finalize(), one) << "len=" << len << " chunk=" << chunk;
    }
  }
}

TEST(Keccak256, ResetAllowsReuse) {
  Keccak256 k;
  k.update(as_view("garbage"));
  (void)k.finalize();
  k.reset();
  k.update(as_view("abc"));
  EXPECT_EQ(to_hex(k.finalize().view()),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

}  // namespace
}  // namespace klay
