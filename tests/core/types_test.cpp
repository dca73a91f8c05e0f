#include <gtest/gtest.h>

#include <unordered_set>

#include "engine/core/types.h"

namespace klay {
namespace {

// Addresses anyone can create by sending value share long prefixes
// (0x00..01, 0x00..02, ...): the table hasher must not collide on them.
TEST(FixedBytesHasher, DistinguishesKeysSharingAPrefix) {
  std::unordered_set<size_t> seen;
  for (uint32_t i = 0; i < 10'000; ++i) {
    Address a;
    a.bytes[16] = static_cast<uint8_t>(i >> 24);
    a.bytes[17] = static_cast<uint8_t>(i >> 16);
    a.bytes[18] = static_cast<uint8_t>(i >> 8);
    a.bytes[19] = static_cast<uint8_t>(i);
    seen.insert(FixedBytesHasher{}(a));
  }
  EXPECT_EQ(seen.size(), 10'000u);
}

TEST(ExtHash, CounterRoundTrip) {
  Hash h;
  h.bytes[0] = 0xab;
  const ExtHash e = ExtHash::make(h, 0x00ff'0102'0304'05ull);
  EXPECT_EQ(e.hash(), h);
  EXPECT_EQ(e.counter(), 0x00ff'0102'0304'05ull);
}

}  // namespace
}  // namespace klay
