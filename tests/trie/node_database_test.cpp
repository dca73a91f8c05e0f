// NodeDatabase: reference counting across roots, commit, size cap, clean cache.
#include <atomic>
#include <thread>
#include <set>

#include <gtest/gtest.h>

#include "engine/trie/node_database.h"
#include "engine/trie/node_iterator.h"
#include "tests/trie/trie_test_util.h"

namespace klay::trie {
namespace {

class CountingReader : public NodeReader {
 public:
  explicit CountingReader(const NodeReader& inner) : inner_(inner) {}
  Status get(ByteView key, Bytes* node) const override {
    ++reads;
    return inner_.get(key, node);
  }
  mutable std::atomic<size_t> reads{0};

 private:
  const NodeReader& inner_;
};

std::set<NodeKey> keys_reachable(const NodeReader& r, const NodeKey& root) {
  std::set<NodeKey> out;
  Status s = walk_nodes(r, root.view(), [&](const NodeVisit& v) {
    if (!v.is_embedded()) out.insert(NodeKey::from(v.key));
    return Status::ok();
  });
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return out;
}

struct Fixture {
  MemoryNodeStore disk;
  NodeDatabase db{&disk};
  std::mt19937_64 rng{17};
  std::vector<Bytes> keys;

  // Block 1: 500 keys; block 2: 20 changes on top.
  std::pair<NodeKey, NodeKey> two_roots(std::map<Bytes, Bytes>& state2) {
    Trie t(&db);
    for (int i = 0; i < 500; ++i) {
      keys.push_back(test::random_bytes(rng, 32));
      Bytes v = test::random_bytes(rng, 20);
      EXPECT_TRUE(t.put(keys.back(), v).is_ok());
      state2[keys.back()] = v;
    }
    auto r1 = t.commit(db);
    EXPECT_TRUE(r1.has_value());
    db.reference(r1->root_key);
    for (int i = 0; i < 20; ++i) {
      const Bytes& k = keys[rng() % keys.size()];
      Bytes v = test::random_bytes(rng, 20);
      EXPECT_TRUE(t.put(k, v).is_ok());
      state2[k] = v;
    }
    auto r2 = t.commit(db);
    EXPECT_TRUE(r2.has_value());
    db.reference(r2->root_key);
    return {r1->root_key, r2->root_key};
  }
};

void expect_contents(const NodeReader& r, const NodeKey& root, const std::map<Bytes, Bytes>& state) {
  auto t = Trie::open(&r, root.view());
  ASSERT_TRUE(t.has_value());
  for (const auto& [k, v] : state) {
    auto got = t->get(k);
    ASSERT_TRUE(got.has_value()) << got.status().to_string();
    ASSERT_TRUE(got->has_value());
    EXPECT_EQ(**got, v);
  }
}

TEST(NodeDatabase, DereferenceDropsOnlyUniqueNodes) {
  Fixture f;
  std::map<Bytes, Bytes> state2;
  auto [root1, root2] = f.two_roots(state2);
  const auto reach1 = keys_reachable(f.db, root1);
  const auto reach2 = keys_reachable(f.db, root2);
  EXPECT_EQ(f.db.stats().dirty_nodes, [&] {
    std::set<NodeKey> u = reach1;
    u.insert(reach2.begin(), reach2.end());
    return u.size();
  }());
  f.db.dereference(root1);
  for (const NodeKey& k : reach1) EXPECT_EQ(f.db.is_dirty(k), reach2.contains(k));
  for (const NodeKey& k : reach2) EXPECT_TRUE(f.db.is_dirty(k));
  expect_contents(f.db, root2, state2);
  f.db.dereference(root2);
  EXPECT_EQ(f.db.stats().dirty_nodes, 0u);
  EXPECT_EQ(f.db.stats().dirty_bytes, 0u);
  EXPECT_EQ(f.disk.size(), 0u);  // nothing was ever flushed
}

TEST(NodeDatabase, SharedRootSurvivesOneDereference) {
  Fixture f;
  std::map<Bytes, Bytes> state2;
  auto [root1, root2] = f.two_roots(state2);
  f.db.reference(root2);  // kept by two owners
  f.db.dereference(root2);
  EXPECT_TRUE(f.db.is_dirty(root2));
  expect_contents(f.db, root2, state2);
}

TEST(NodeDatabase, CommitFlushesOneRootsSubtree) {
  Fixture f;
  std::map<Bytes, Bytes> state2;
  auto [root1, root2] = f.two_roots(state2);
  const auto reach2 = keys_reachable(f.db, root2);
  const size_t before = f.db.stats().dirty_nodes;
  ASSERT_TRUE(f.db.commit(root2, f.disk).is_ok());
  EXPECT_EQ(f.disk.size(), reach2.size());
  for (const NodeKey& k : reach2) {
    EXPECT_TRUE(f.disk.has(k.view()));
    EXPECT_FALSE(f.db.is_dirty(k));
  }
  EXPECT_EQ(f.db.stats().dirty_nodes, before - reach2.size());  // root1's unique nodes remain
  expect_contents(f.disk, root2, state2);                          // the disk alone holds root2
  f.db.dereference(root1);
  EXPECT_EQ(f.db.stats().dirty_nodes, 0u);
}

// append_not_dirty keeps, in order, exactly the keys is_dirty() denies.
TEST(NodeDatabase, AppendNotDirtyKeepsKeysOnDiskOrUnknown) {
  Fixture f;
  std::map<Bytes, Bytes> state2;
  auto [root1, root2] = f.two_roots(state2);
  ASSERT_TRUE(f.db.commit(root1, f.disk).is_ok());  // root1's subtree on disk, root2's own nodes dirty
  std::vector<NodeKey> all;
  for (const NodeKey& k : keys_reachable(f.disk, root1)) all.push_back(k);
  for (const NodeKey& k : keys_reachable(f.db, root2)) all.push_back(k);
  all.push_back(NodeKey::plain(Hash{}));  // never put
  std::vector<NodeKey> expected;
  size_t dirty = 0;
  for (const NodeKey& k : all) {
    if (f.db.is_dirty(k)) {
      ++dirty;
    } else {
      expected.push_back(k);
    }
  }
  ASSERT_GT(dirty, 0u);
  ASSERT_GT(expected.size(), 1u);
  std::vector<NodeKey> got = {NodeKey::plain(Hash{})};  // appended to, not replaced
  f.db.append_not_dirty(all, &got);
  expected.insert(expected.begin(), NodeKey::plain(Hash{}));
  EXPECT_EQ(got, expected);
}

TEST(NodeDatabase, CapFlushesOldestAndStaysReadable) {
  Fixture f;
  std::map<Bytes, Bytes> state2;
  auto [root1, root2] = f.two_roots(state2);
  const size_t total = f.db.stats().dirty_bytes;
  ASSERT_TRUE(f.db.cap(total / 4, f.disk).is_ok());
  const auto st = f.db.stats();
  EXPECT_LE(st.dirty_bytes, total / 4);
  EXPECT_GT(f.disk.size(), 0u);
  EXPECT_EQ(st.flushed_nodes, f.disk.size());
  expect_contents(f.db, root2, state2);
  // Oldest-first: every flushed node's children are on disk too.
  for (const NodeKey& k : f.disk.keys()) {
    Bytes rlp;
    ASSERT_TRUE(f.disk.get(k.view(), &rlp).is_ok());
    NodeView v;
    ASSERT_TRUE(decode_node_view(rlp, &v).is_ok());
    auto check = [&](const ChildRef& c) {
      if (c.kind == ChildRef::Kind::kKey) {
        EXPECT_TRUE(f.disk.has(c.data));
      }
    };
    if (v.kind == NodeView::Kind::kExtension) check(v.child);
    if (v.kind == NodeView::Kind::kBranch)
      for (const auto& c : v.children) check(c);
  }
  ASSERT_TRUE(f.db.cap(0, f.disk).is_ok());
  EXPECT_EQ(f.db.stats().dirty_nodes, 0u);
  EXPECT_EQ(f.db.stats().dirty_bytes, 0u);  // every flushed node's bytes are accounted for
  expect_contents(f.disk, root1, {});
  expect_contents(f.disk, root2, state2);
}

TEST(NodeDatabase, CleanCacheServesRepeatedReads) {
  MemoryNodeStore disk;
  std::mt19937_64 rng(3);
  Trie t;
  std::map<Bytes, Bytes> state;
  for (int i = 0; i < 300; ++i) {
    Bytes k = test::random_bytes(rng, 32), v = test::random_bytes(rng, 10);
    ASSERT_TRUE(t.put(k, v).is_ok());
    state[k] = v;
  }
  auto r = t.commit(disk);
  ASSERT_TRUE(r.has_value());
  CountingReader counting(disk);
  NodeDatabase db(&counting);
  expect_contents(db, r->root_key, state);
  const size_t first = counting.reads;
  EXPECT_EQ(first, disk.size());
  expect_contents(db, r->root_key, state);
  EXPECT_EQ(counting.reads, first);  // all from the clean cache
  EXPECT_GT(db.stats().clean_hits, 0u);
  // A tiny cache evicts and reads again.
  NodeDatabase small(&counting, NodeDatabaseOptions{.clean_cache_bytes = 2000});
  expect_contents(small, r->root_key, state);
  EXPECT_LE(small.stats().clean_bytes, 2000u);
  // Missing nodes are named.
  Bytes out;
  Hash absent;
  absent.bytes[0] = 0xab;
  Status s = db.get(absent.view(), &out);
  EXPECT_TRUE(is_missing_node(s));
}

TEST(NodeDatabase, ConcurrentReadersWhileWriting) {
  Fixture f;
  std::map<Bytes, Bytes> state2;
  auto [root1, root2] = f.two_roots(state2);
  std::atomic<bool> done{false};
  std::atomic<size_t> failures{0};
  std::thread reader([&] {
    while (!done) {
      auto t = Trie::open(&f.db, root2.view());
      for (const auto& [k, v] : state2) {
        auto got = t->get(k);
        if (!got || !got->has_value() || **got != v) ++failures;
      }
    }
  });
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(f.db.cap(f.db.stats().dirty_bytes / 2, f.disk).is_ok());
  }
  ASSERT_TRUE(f.db.commit(root2, f.disk).is_ok());
  done = true;
  reader.join();
  EXPECT_EQ(failures, 0u);
}

// Leaf children: an "outer" trie whose 32-byte values name roots of "inner"
// tries (as account leaves name storage tries).
TEST(NodeDatabase, LeafChildrenLiveAndDieWithTheLeafNode) {
  MemoryNodeStore disk;
  NodeDatabaseOptions options;
  options.leaf_child = [](ByteView value, NodeKey* child) {
    if (value.size() != 32) return false;
    *child = NodeKey::from(value);
    return true;
  };
  NodeDatabase db(&disk, options);
  std::mt19937_64 rng(5);
  auto inner_root = [&](int salt) {
    Trie inner(&db);
    for (int i = 0; i < 40; ++i)
      EXPECT_TRUE(inner.put(test::random_bytes(rng, 32), Bytes(20, static_cast<uint8_t>(salt))).is_ok());
    auto c = inner.commit(db);
    EXPECT_TRUE(c.has_value());
    return c->root_key;
  };
  const NodeKey i1 = inner_root(1);
  Trie outer(&db);
  const Bytes holder = test::random_bytes(rng, 32);
  ASSERT_TRUE(outer.put(holder, Bytes(i1.view().begin(), i1.view().end())).is_ok());
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(outer.put(test::random_bytes(rng, 32), Bytes(8, 1)).is_ok());
  auto o1 = outer.commit(db);
  ASSERT_TRUE(o1.has_value());
  db.reference(o1->root_key);

  // A second root that leaves the holder leaf alone keeps i1 alive alone.
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(outer.put(test::random_bytes(rng, 32), Bytes(8, 2)).is_ok());
  auto o2 = outer.commit(db);
  ASSERT_TRUE(o2.has_value());
  db.reference(o2->root_key);
  db.dereference(o1->root_key);
  EXPECT_TRUE(db.is_dirty(i1));

  // Committing o2 writes i1 (before the leaf that names it).
  ASSERT_TRUE(db.commit(o2->root_key, disk).is_ok());
  EXPECT_TRUE(disk.has(i1.view()));
  EXPECT_EQ(keys_reachable(disk, i1).size(), keys_reachable(db, i1).size());

  // A root whose holder names a new inner trie: once the older roots go, the
  // replaced inner trie's dirty nodes go with them.
  const NodeKey i2 = inner_root(2);
  ASSERT_TRUE(outer.put(holder, Bytes(i2.view().begin(), i2.view().end())).is_ok());
  auto o3 = outer.commit(db);
  ASSERT_TRUE(o3.has_value());
  db.reference(o3->root_key);
  const NodeKey i3 = inner_root(3);  // then named only by the newest root
  ASSERT_TRUE(outer.put(holder, Bytes(i3.view().begin(), i3.view().end())).is_ok());
  auto o4 = outer.commit(db);
  ASSERT_TRUE(o4.has_value());
  db.reference(o4->root_key);
  EXPECT_TRUE(db.is_dirty(i2));
  db.dereference(o3->root_key);
  EXPECT_FALSE(db.is_dirty(i2));
  EXPECT_TRUE(db.is_dirty(i3));
  db.dereference(o4->root_key);
  EXPECT_FALSE(db.is_dirty(i3));
  EXPECT_EQ(db.stats().dirty_nodes, 0u);
}

}  // namespace
}  // namespace klay::trie
