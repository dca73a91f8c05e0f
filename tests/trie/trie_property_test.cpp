// Random insert/delete sequences against a std::map reference.
#include <algorithm>

#include <gtest/gtest.h>

#include "engine/trie/secure_trie.h"
#include "tests/trie/trie_test_util.h"

namespace klay::trie {
namespace {

// Short keys over a tiny alphabet: many shared prefixes and keys that are
// prefixes of other keys (branch values).
Bytes short_key(std::mt19937_64& rng) {
  Bytes k(rng() % 4);
  for (auto& b : k) b = static_cast<uint8_t>("\x00\x01\x10\x11\xff"[rng() % 5]);
  if (k.empty() && rng() % 2) k.push_back(0x01);
  return k;
}

Bytes random_value(std::mt19937_64& rng) {
  return test::random_bytes(rng, rng() % 3 == 0 ? 1 + rng() % 4 : 1 + rng() % 40);
}

Hash shuffled_trie_root(const std::map<Bytes, Bytes>& m, std::mt19937_64& rng) {
  std::vector<std::pair<Bytes, Bytes>> pairs(m.begin(), m.end());
  std::shuffle(pairs.begin(), pairs.end(), rng);
  Trie t;
  for (const auto& [k, v] : pairs) EXPECT_TRUE(t.put(k, v).is_ok());
  return t.root_hash();
}

void check_against(Trie& t, const std::map<Bytes, Bytes>& ref, const std::vector<Bytes>& probe) {
  for (const Bytes& k : probe) {
    auto got = t.get(k);
    ASSERT_TRUE(got.has_value()) << got.status().to_string();
    auto it = ref.find(k);
    if (it == ref.end()) {
      EXPECT_FALSE(got->has_value()) << to_hex(k);
    } else {
      ASSERT_TRUE(got->has_value()) << to_hex(k);
      EXPECT_EQ(**got, it->second);
    }
  }
}

void run_random_ops(uint64_t seed, bool long_keys, bool ext_hash) {
  std::mt19937_64 rng(seed);
  AtomicExtHashCounter counter(seed * 7919);
  const TrieOptions opts{.ext_hash = ext_hash, .counter = &counter};
  MemoryNodeStore store;
  Trie t(&store, opts);
  std::map<Bytes, Bytes> ref;
  std::vector<Bytes> seen;
  auto pick_key = [&]() -> Bytes {
    if (!seen.empty() && rng() % 3 == 0) return seen[rng() % seen.size()];
    Bytes k = long_keys ? test::random_bytes(rng, 32) : short_key(rng);
    if (long_keys && !seen.empty() && rng() % 4 == 0) {  // share a long prefix with a known key
      k = seen[rng() % seen.size()];
      k[10 + rng() % 22] ^= static_cast<uint8_t>(1 + rng() % 255);
    }
    seen.push_back(k);
    return k;
  };
  for (int round = 0; round < 8; ++round) {
    for (int i = 0; i < 120; ++i) {
      const Bytes k = pick_key();
      const int action = static_cast<int>(rng() % 10);
      if (action < 6) {
        const Bytes v = random_value(rng);
        ASSERT_TRUE(t.put(k, v).is_ok());
        ref[k] = v;
      } else if (action < 9) {
        ASSERT_TRUE(t.erase(k).is_ok());  // often absent
        ref.erase(k);
      } else {
        ASSERT_TRUE(t.put(k, {}).is_ok());  // empty value deletes
        ref.erase(k);
      }
    }
    const Hash root = t.root_hash();
    ASSERT_EQ(root, test::builder_root(ref)) << "seed " << seed << " round " << round;
    ASSERT_EQ(root, shuffled_trie_root(ref, rng));
    check_against(t, ref, seen);
    // Commit, reopen from the store and continue on lazily loaded nodes.
    auto r = t.commit(store);
    ASSERT_TRUE(r.has_value()) << r.status().to_string();
    ASSERT_EQ(r->root, root);
    auto reopened = Trie::open(&store, r->root_key.view(), opts);
    ASSERT_TRUE(reopened.has_value());
    t = std::move(*reopened);
    if (round % 2) {
      ASSERT_EQ(t.root_hash(), root);
      check_against(t, ref, seen);
    }
  }
}

TEST(TrieProperty, ShortPrefixKeysPlain) {
  for (uint64_t seed = 1; seed <= 12; ++seed) run_random_ops(seed, false, false);
}
TEST(TrieProperty, ShortPrefixKeysExtHash) {
  for (uint64_t seed = 100; seed <= 106; ++seed) run_random_ops(seed, false, true);
}
TEST(TrieProperty, HashedLengthKeysPlain) {
  for (uint64_t seed = 200; seed <= 205; ++seed) run_random_ops(seed, true, false);
}
TEST(TrieProperty, HashedLengthKeysExtHash) {
  for (uint64_t seed = 300; seed <= 305; ++seed) run_random_ops(seed, true, true);
}

TEST(TrieProperty, EmptyTrie) {
  Trie t;
  EXPECT_EQ(t.root_hash(), empty_root());
  ASSERT_TRUE(t.put(as_view("a"), as_view("b")).is_ok());
  ASSERT_TRUE(t.erase(as_view("a")).is_ok());
  EXPECT_EQ(t.root_hash(), empty_root());
  EXPECT_TRUE(t.empty());
  MemoryNodeStore store;
  auto r = t.commit(store);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->nodes_written, 0u);
  EXPECT_EQ(r->root_key, NodeKey::plain(empty_root()));
}

TEST(TrieProperty, MissingNodeIsNamed) {
  std::mt19937_64 rng(5);
  MemoryNodeStore store;
  Trie t(&store);
  std::vector<Bytes> keys;
  for (int i = 0; i < 200; ++i) {
    keys.push_back(test::random_bytes(rng, 32));
    ASSERT_TRUE(t.put(keys.back(), test::random_bytes(rng, 20)).is_ok());
  }
  auto r = t.commit(store);
  ASSERT_TRUE(r.has_value());
  // Drop one non-root node; some lookup must fail naming it.
  NodeKey victim;
  for (const NodeKey& k : store.keys())
    if (!(k == r->root_key)) victim = k;
  store.erase(victim.view());
  auto reopened = Trie::open(&store, r->root_key.view());
  ASSERT_TRUE(reopened.has_value());
  bool saw = false;
  for (const Bytes& k : keys) {
    auto got = reopened->get(k);
    if (!got) {
      EXPECT_TRUE(is_missing_node(got.status()));
      EXPECT_NE(got.status().message().find(to_hex(victim.view())), std::string::npos);
      saw = true;
    }
  }
  EXPECT_TRUE(saw);
  // An empty store fails on the root itself.
  MemoryNodeStore empty;
  auto t2 = Trie::open(&empty, r->root_key.view());
  ASSERT_TRUE(t2.has_value());
  EXPECT_TRUE(is_missing_node(t2->get(keys[0]).status()));
  EXPECT_TRUE(is_missing_node(t2->put(keys[0], as_view("x"))));
}

TEST(TrieProperty, OpenRejectsBadRootKey) {
  Bytes bad(31, 1);
  EXPECT_FALSE(Trie::open(nullptr, bad).has_value());
}

}  // namespace
}  // namespace klay::trie
