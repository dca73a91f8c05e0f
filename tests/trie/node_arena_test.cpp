// Node memory: the per-trie arena, arena byte strings, and tries whose values
// cross the arena's size classes, checked against a naive reference root.
#include <algorithm>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "engine/core/rlp.h"
#include "engine/trie/node.h"
#include "engine/trie/trie.h"
#include "tests/trie/trie_test_util.h"

namespace klay::trie {
namespace {

TEST(NodeArena, ReusesFreedBlocksOfTheSameClass) {
  NodeArena a;
  void* p = a.allocate(80);
  EXPECT_EQ(NodeArena::block_size(80), 80u);
  a.deallocate(p, 80);
  EXPECT_EQ(a.allocate(72), p);  // same 80-byte class
  void* q = a.allocate(300);
  EXPECT_EQ(NodeArena::block_size(300), 384u);
  a.deallocate(q, NodeArena::block_size(300));
  EXPECT_EQ(a.allocate(384), q);
}

TEST(NodeArena, SteadyChurnDoesNotGrow) {
  NodeArena b;
  std::vector<std::pair<void*, size_t>> live;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const size_t n = 1 + rng() % 3000;
    live.emplace_back(b.allocate(n), n);
  }
  const size_t reserved = b.reserved();
  for (int round = 0; round < 20; ++round) {
    for (auto& [p, n] : live) b.deallocate(p, n);
    for (auto& [p, n] : live) p = b.allocate(n);
  }
  EXPECT_EQ(b.reserved(), reserved);
  std::set<void*> distinct;
  for (auto& [p, n] : live) {
    std::memset(p, 0xab, n);  // every block is writable in full (ASan checks bounds)
    distinct.insert(p);
  }
  EXPECT_EQ(distinct.size(), live.size());
}

TEST(NodeArena, LargeBlocksAreReleasedIndividually) {
  NodeArena a;
  void* small = a.allocate(64);
  const size_t base = a.reserved();
  void* big = a.allocate(100000);
  EXPECT_GE(a.reserved(), base + 100000);
  a.deallocate(big, 100000);
  EXPECT_EQ(a.reserved(), base);
  NodeArena moved(std::move(a));
  EXPECT_EQ(a.reserved(), 0u);
  EXPECT_EQ(moved.reserved(), base);
  std::memset(small, 1, 64);  // still owned by the moved-to arena
}

TEST(NodeBytes, AssignDropPrepend) {
  NodeArena a;
  NodeBytes b;
  const Bytes v = {1, 2, 3, 4, 5};
  b.assign(a, v);
  EXPECT_TRUE(equal(b.view(), v));
  b.drop_front(2);
  EXPECT_EQ(to_bytes(b.view()), (Bytes{3, 4, 5}));
  const Bytes pre = {9, 8};
  b.prepend(a, pre);  // fits in the room drop_front left
  EXPECT_EQ(to_bytes(b.view()), (Bytes{9, 8, 3, 4, 5}));
  const Bytes long_pre(40, 7);
  b.prepend(a, long_pre);  // needs a bigger block
  ASSERT_EQ(b.size(), 45u);
  EXPECT_TRUE(std::all_of(b.begin(), b.begin() + 40, [](uint8_t x) { return x == 7; }));
  EXPECT_EQ(to_bytes(b.view().subspan(40)), (Bytes{9, 8, 3, 4, 5}));
  b.assign(a, b.view().subspan(40, 2));  // from its own bytes
  EXPECT_EQ(to_bytes(b.view()), (Bytes{9, 8}));
  const Bytes big(5000, 3);
  b.assign(a, big);
  EXPECT_TRUE(equal(b.view(), big));
  b.free(a);
  EXPECT_TRUE(b.empty());
}

// ---- a naive Merkle root straight from the definition (no trie code) ----

using Entry = std::pair<Bytes, Bytes>;  // nibble path, value

Bytes hex_prefix(const uint8_t* nib, size_t n, bool leaf) {
  Bytes out{static_cast<uint8_t>(((leaf ? 2 : 0) + (n % 2)) << 4)};
  size_t i = 0;
  if (n % 2) out[0] |= nib[i++];
  for (; i < n; i += 2) out.push_back(static_cast<uint8_t>(nib[i] << 4 | nib[i + 1]));
  return out;
}

Bytes naive_node(const std::vector<Entry>& e, size_t lo, size_t hi, size_t d);

void append_ref(Bytes& out, const Bytes& rlp_node) {
  if (rlp_node.size() < 32) append(out, rlp_node);
  else rlp::encode_string(out, keccak256(rlp_node).view());
}

Bytes naive_branch(const std::vector<Entry>& e, size_t lo, size_t hi, size_t d) {
  Bytes payload;
  Bytes value;
  if (e[lo].first.size() == d) value = e[lo++].second;
  for (uint8_t nib = 0; nib < 16; ++nib) {
    size_t end = lo;
    while (end < hi && e[end].first[d] == nib) ++end;
    if (end == lo) payload.push_back(0x80);
    else append_ref(payload, naive_node(e, lo, end, d + 1));
    lo = end;
  }
  rlp::encode_string(payload, value);
  Bytes out;
  rlp::encode_list(out, payload);
  return out;
}

Bytes naive_node(const std::vector<Entry>& e, size_t lo, size_t hi, size_t d) {
  Bytes payload, out;
  if (hi - lo == 1) {
    const Bytes& p = e[lo].first;
    rlp::encode_string(payload, hex_prefix(p.data() + d, p.size() - d, true));
    rlp::encode_string(payload, e[lo].second);
    rlp::encode_list(out, payload);
    return out;
  }
  const Bytes &a = e[lo].first, &b = e[hi - 1].first;  // sorted: their common prefix is everyone's
  size_t cp = d;
  while (cp < a.size() && cp < b.size() && a[cp] == b[cp]) ++cp;
  if (cp == d) return naive_branch(e, lo, hi, d);
  rlp::encode_string(payload, hex_prefix(a.data() + d, cp - d, false));
  append_ref(payload, naive_branch(e, lo, hi, cp));
  rlp::encode_list(out, payload);
  return out;
}

Hash naive_root(const std::map<Bytes, Bytes>& m) {
  if (m.empty()) return empty_root();
  std::vector<Entry> e;
  for (const auto& [k, v] : m) {
    Bytes nib;
    for (uint8_t x : k) {
      nib.push_back(x >> 4);
      nib.push_back(x & 15);
    }
    e.emplace_back(std::move(nib), v);
  }
  std::sort(e.begin(), e.end());
  return keccak256(naive_node(e, 0, e.size(), 0));
}

// Values from 1 byte to 5000 (beyond the arena's pooled sizes), keys of 0..40
// bytes (prefixes of each other, so branch values too), updated and erased.
TEST(TrieMemory, MixedSizesMatchNaiveRoot) {
  std::mt19937_64 rng(2024);
  std::map<Bytes, Bytes> ref;
  Trie t;
  const size_t kSizes[] = {1, 7, 31, 32, 33, 200, 257, 1000, 2048, 2049, 5000};
  for (int step = 0; step < 3000; ++step) {
    Bytes key = test::random_bytes(rng, rng() % 4 == 0 ? rng() % 3 : 1 + rng() % 40);
    if (!ref.empty() && rng() % 3 == 0) key = std::next(ref.begin(), static_cast<long>(rng() % ref.size()))->first;
    if (rng() % 5 == 0) {
      ASSERT_TRUE(t.erase(key).is_ok());
      ref.erase(key);
    } else {
      const Bytes value = test::random_bytes(rng, kSizes[rng() % std::size(kSizes)]);
      ASSERT_TRUE(t.put(key, value).is_ok());
      ref[key] = value;
    }
    if (step % 500 == 499) {
      ASSERT_EQ(t.root_hash(), naive_root(ref)) << "step " << step;
    }
  }
  for (const auto& [k, v] : ref) {
    auto got = t.get(k);
    ASSERT_TRUE(got.has_value() && got->has_value());
    EXPECT_EQ(**got, v);
  }
}

TEST(TrieMemory, MovedTriesKeepTheirNodes) {
  std::mt19937_64 rng(5);
  std::map<Bytes, Bytes> ref;
  Trie a;
  for (int i = 0; i < 500; ++i) {
    Bytes k = test::random_bytes(rng, 32), v = test::random_bytes(rng, 1 + rng() % 64);
    ASSERT_TRUE(a.put(k, v).is_ok());
    ref[k] = v;
  }
  Trie b(std::move(a));
  EXPECT_EQ(b.root_hash(), naive_root(ref));
  Trie c;
  ASSERT_TRUE(c.put(to_bytes(std::string_view("x")), to_bytes(std::string_view("y"))).is_ok());
  c = std::move(b);  // drops c's own nodes
  for (int i = 0; i < 200; ++i) {
    auto it = std::next(ref.begin(), static_cast<long>(rng() % ref.size()));
    ASSERT_TRUE(c.erase(it->first).is_ok());
    ref.erase(it);
  }
  EXPECT_EQ(c.root_hash(), naive_root(ref));
  // Erasing everything and refilling reuses the freed nodes.
  for (const auto& [k, v] : ref) ASSERT_TRUE(c.erase(k).is_ok());
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(c.root_hash(), empty_root());
  for (const auto& [k, v] : ref) ASSERT_TRUE(c.put(k, v).is_ok());
  EXPECT_EQ(c.root_hash(), naive_root(ref));
}

TEST(TrieMemory, HashBuilderMatchesNaiveRootOverManyKeys) {
  std::mt19937_64 rng(11);
  std::map<Bytes, Bytes> ref;
  for (int i = 0; i < 20000; ++i) ref[test::random_bytes(rng, 1 + rng() % 20)] = test::random_bytes(rng, 1 + rng() % 100);
  EXPECT_EQ(test::builder_root(ref), naive_root(ref));
}

}  // namespace
}  // namespace klay::trie
