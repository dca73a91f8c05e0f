#include "migration/subtree_filter.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "engine/core/keccak.h"

namespace klay::migration {
namespace {

Bytes key_of(uint64_t i) {
  uint8_t b[8];
  put_be64(b, i);
  const Hash h = keccak256(ByteView(b, 8));
  return to_bytes(h.view());
}

TEST(SubtreeFilter, NoFalseNegativesAndFewFalsePositives) {
  SubtreeFilter f(20000);
  for (uint64_t i = 0; i < 20000; ++i) f.insert(key_of(i));
  for (uint64_t i = 0; i < 20000; ++i) ASSERT_TRUE(f.maybe_contains(key_of(i))) << i;
  size_t fp = 0;
  for (uint64_t i = 20000; i < 120000; ++i) fp += f.maybe_contains(key_of(i));
  EXPECT_LT(fp, 100000u * 3 / 100) << "about 1 % expected at 10 bits per key";
  EXPECT_EQ(f.inserted(), 20000u);
}

TEST(SubtreeFilter, SizedFromTheEstimate) {
  SubtreeFilter small(1000), big(1'000'000);
  EXPECT_EQ(small.memory_bytes(), 1280u);  // the 1024-key floor at 10 bits
  EXPECT_GE(big.memory_bytes(), 1'000'000u * 10 / 8);
  EXPECT_LT(big.memory_bytes(), 1'000'000u * 10 / 8 + 64);
}

TEST(SubtreeFilter, ConcurrentInsertsAreAllVisible) {
  SubtreeFilter f(40000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&f, t] {
      for (uint64_t i = 0; i < 10000; ++i) f.insert(key_of(static_cast<uint64_t>(t) * 10000 + i));
    });
  }
  for (auto& th : threads) th.join();
  for (uint64_t i = 0; i < 40000; ++i) ASSERT_TRUE(f.maybe_contains(key_of(i)));
}

}  // namespace
}  // namespace klay::migration
