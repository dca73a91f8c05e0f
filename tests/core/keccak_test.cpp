#include <gtest/gtest.h>

#include "engine/core/keccak.h"

namespace klay {
namespace {

std::string hex_of(std::string_view s) { return to_hex(keccak256(as_view(s)).view()); }

TEST(Keccak256, StandardVectors) {
  EXPECT_EQ(hex_of(""), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(hex_of("abc"), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
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

}  // namespace
}  // namespace klay
