// ExtHash mode: equal roots, 39-byte keys, obsolete-node marks, value transform.
#include <set>

#include <gtest/gtest.h>

#include "engine/trie/node_iterator.h"
#include "engine/trie/trie.h"
#include "tests/trie/trie_test_util.h"

namespace klay::trie {
namespace {

std::set<NodeKey> reachable_keys(const NodeReader& store, const NodeKey& root) {
  std::set<NodeKey> keys;
  Status s = walk_nodes(store, root.view(), [&](const NodeVisit& v) {
    if (!v.is_embedded()) keys.insert(NodeKey::from(v.key));
    return Status::ok();
  });
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return keys;
}

TEST(ExtHash, SameOpsSameRootAsPlain) {
  std::mt19937_64 rng(42);
  AtomicExtHashCounter counter(1);
  MemoryNodeStore plain_store, ext_store;
  Trie plain(&plain_store), ext(&ext_store, TrieOptions{.ext_hash = true, .counter = &counter});
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 300; ++i) {
      const Bytes k = test::random_bytes(rng, rng() % 2 ? 32 : 3);
      const Bytes v = test::random_bytes(rng, 1 + rng() % 50);
      ASSERT_TRUE(plain.put(k, v).is_ok());
      ASSERT_TRUE(ext.put(k, v).is_ok());
    }
    auto a = plain.commit(plain_store);
    auto b = ext.commit(ext_store);
    ASSERT_TRUE(a.has_value() && b.has_value());
    EXPECT_EQ(a->root, b->root);
    EXPECT_FALSE(a->root_key.is_ext());
    EXPECT_FALSE(b->root_key.is_ext());  // root keeps zero extension by default
  }
  // Every stored node but the root is under a 39-byte key whose hash part is
  // the plain store's key for the same node.
  size_t ext_keys = 0;
  for (const NodeKey& k : ext_store.keys()) {
    if (k.is_ext()) {
      ++ext_keys;
      EXPECT_TRUE(plain_store.has(k.hash().view()));
      EXPECT_NE(ExtHash::from(k.view()).counter(), 0u);
    }
  }
  EXPECT_GT(ext_keys, 100u);
}

TEST(ExtHash, StorageTrieRootGetsExtension) {
  AtomicExtHashCounter counter(77);
  Trie t(nullptr, TrieOptions{.ext_hash = true, .root_zero_extension = false, .counter = &counter});
  ASSERT_TRUE(t.put(as_view("k"), as_view("v")).is_ok());
  NodeSet set;
  auto r = t.commit(set);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->root_key.is_ext());
  EXPECT_EQ(r->root_key.hash(), r->root);
  EXPECT_EQ(ExtHash::from(r->root_key.view()).counter(), 78u);
}

TEST(ExtHash, InjectedCounterIsDeterministic) {
  auto run = [] {
    AtomicExtHashCounter counter(500);
    Trie t(nullptr, TrieOptions{.ext_hash = true, .counter = &counter});
    std::mt19937_64 rng(9);
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(t.put(test::random_bytes(rng, 32), test::random_bytes(rng, 8)).is_ok());
    NodeSet set;
    EXPECT_TRUE(t.commit(set).has_value());
    std::vector<NodeKey> keys;
    for (const auto& e : set.entries()) keys.push_back(e.key);
    return keys;
  };
  EXPECT_EQ(run(), run());
}

TEST(ExtHash, ProcessCounterIsMonotonicAndNonZero) {
  ExtHashCounter& c = process_ext_hash_counter();
  const uint64_t a = c.next(), b = c.next();
  EXPECT_NE(a, 0u);
  EXPECT_GT(b, a);
  EXPECT_LE(b, kExtCounterMask);
}

// Obsolete keys must be exactly the stored keys reachable before an update
// and unreachable after it.
void check_obsolete_exact(bool root_zero_extension, uint64_t seed) {
  std::mt19937_64 rng(seed);
  AtomicExtHashCounter counter(seed << 20);
  const TrieOptions opts{.ext_hash = true, .root_zero_extension = root_zero_extension, .counter = &counter};
  MemoryNodeStore store;
  Trie t(&store, opts);
  std::vector<Bytes> keys;
  for (int i = 0; i < 400; ++i) {
    keys.push_back(test::random_bytes(rng, 32));
    ASSERT_TRUE(t.put(keys.back(), test::random_bytes(rng, 1 + rng() % 40)).is_ok());
  }
  auto r = t.commit(store);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(t.take_obsolete().empty());
  NodeKey root = r->root_key;
  for (int round = 0; round < 6; ++round) {
    auto reopened = Trie::open(&store, root.view(), opts);
    ASSERT_TRUE(reopened.has_value());
    Trie u = std::move(*reopened);
    const auto before = reachable_keys(store, root);
    for (int i = 0; i < 40; ++i) {
      const int action = static_cast<int>(rng() % 4);
      const Bytes& k = keys[rng() % keys.size()];
      if (action == 0) ASSERT_TRUE(u.erase(k).is_ok());
      else if (action == 1) ASSERT_TRUE(u.put(test::random_bytes(rng, 32), as_view("new")).is_ok());
      else if (action == 2) ASSERT_TRUE(u.put(k, test::random_bytes(rng, 5)).is_ok());
      else ASSERT_TRUE(u.erase(test::random_bytes(rng, 32)).is_ok());  // absent
    }
    if (round == 5) {  // a put undone by an erase rewrites the same root content
      const Bytes k = test::random_bytes(rng, 32);
      ASSERT_TRUE(u.put(k, as_view("tmp")).is_ok());
      ASSERT_TRUE(u.erase(k).is_ok());
    }
    auto c = u.commit(store);
    ASSERT_TRUE(c.has_value());
    const auto after = reachable_keys(store, c->root_key);
    std::set<NodeKey> expected;
    for (const NodeKey& k : before)
      if (!after.contains(k)) expected.insert(k);
    const auto obsolete_list = u.take_obsolete();
    const std::set<NodeKey> obsolete(obsolete_list.begin(), obsolete_list.end());
    EXPECT_EQ(obsolete_list.size(), obsolete.size()) << "duplicate marks";
    EXPECT_EQ(obsolete, expected) << "round " << round;
    EXPECT_FALSE(expected.empty());
    root = c->root_key;
  }
}

TEST(ExtHash, ObsoleteKeysAreExactlyTheUnreachableOnes) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    check_obsolete_exact(true, seed);
    check_obsolete_exact(false, seed + 10);
  }
}

TEST(ExtHash, UndoneUpdateKeepsZeroExtensionRootLive) {
  MemoryNodeStore store;
  AtomicExtHashCounter counter(3);
  const TrieOptions opts{.ext_hash = true, .counter = &counter};
  Trie t(&store, opts);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(t.put(test::random_bytes(rng, 32), as_view("v")).is_ok());
  auto r = t.commit(store);
  ASSERT_TRUE(r.has_value());
  auto u = Trie::open(&store, r->root_key.view(), opts);
  ASSERT_TRUE(u.has_value());
  const Bytes k = test::random_bytes(rng, 32);
  ASSERT_TRUE(u->put(k, as_view("x")).is_ok());
  ASSERT_TRUE(u->erase(k).is_ok());
  auto c = u->commit(store);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->root_key, r->root_key);
  for (const NodeKey& o : u->take_obsolete()) EXPECT_FALSE(o == r->root_key);
}

TEST(ExtHash, ReadsMixedPlainAndExtReferences) {
  // Build in plain mode, then continue in ExtHash mode on the same store: the
  // result mixes 32- and 39-byte child references.
  MemoryNodeStore store;
  std::mt19937_64 rng(11);
  std::map<Bytes, Bytes> ref;
  Trie t(&store);
  for (int i = 0; i < 300; ++i) {
    Bytes k = test::random_bytes(rng, 32), v = test::random_bytes(rng, 10);
    ASSERT_TRUE(t.put(k, v).is_ok());
    ref[k] = v;
  }
  auto r = t.commit(store);
  ASSERT_TRUE(r.has_value());
  AtomicExtHashCounter counter(1);
  auto u = Trie::open(&store, r->root_key.view(), TrieOptions{.ext_hash = true, .counter = &counter});
  ASSERT_TRUE(u.has_value());
  for (int i = 0; i < 30; ++i) {
    Bytes k = test::random_bytes(rng, 32), v = test::random_bytes(rng, 10);
    ASSERT_TRUE(u->put(k, v).is_ok());
    ref[k] = v;
  }
  auto c = u->commit(store);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->root, test::builder_root(ref));
  auto w = Trie::open(&store, c->root_key.view());
  ASSERT_TRUE(w.has_value());
  for (const auto& [k, v] : ref) {
    auto got = w->get(k);
    ASSERT_TRUE(got.has_value() && got->has_value());
    EXPECT_EQ(**got, v);
  }
}

// The state layer's hook: leaf values holding a 39-byte ExtHash hash as their 32-byte hash.
TEST(ExtHash, LeafValueTransformStripsCounters) {
  LeafValueTransform strip = [](ByteView stored, Bytes* out) {
    if (stored.size() != 39) return false;
    out->assign(stored.begin(), stored.begin() + 32);
    return true;
  };
  std::mt19937_64 rng(21);
  AtomicExtHashCounter counter(5);
  MemoryNodeStore store;
  Trie ext(&store, TrieOptions{.ext_hash = true, .counter = &counter, .leaf_value_for_hash = strip});
  Trie plain;
  std::map<Bytes, Bytes> stored_values;
  for (int i = 0; i < 200; ++i) {
    const Bytes k = test::random_bytes(rng, 32);
    const Hash h = keccak256(k);
    const Bytes v = to_bytes(NodeKey::ext(h, 1 + rng() % 1000).view());
    ASSERT_TRUE(ext.put(k, v).is_ok());
    ASSERT_TRUE(plain.put(k, h.view()).is_ok());
    stored_values[k] = v;
  }
  EXPECT_EQ(ext.root_hash(), plain.root_hash());
  auto r = ext.commit(store);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->root, plain.root_hash());
  auto reopened = Trie::open(&store, r->root_key.view(), TrieOptions{.leaf_value_for_hash = strip});
  ASSERT_TRUE(reopened.has_value());
  for (const auto& [k, v] : stored_values) {
    auto got = reopened->get(k);
    ASSERT_TRUE(got.has_value() && got->has_value());
    EXPECT_EQ(**got, v);  // the stored form keeps the 39 bytes
  }
  ASSERT_TRUE(reopened->put(stored_values.begin()->first, as_view("plain")).is_ok());
  ASSERT_TRUE(plain.put(stored_values.begin()->first, as_view("plain")).is_ok());
  EXPECT_EQ(reopened->root_hash(), plain.root_hash());
}

}  // namespace
}  // namespace klay::trie
