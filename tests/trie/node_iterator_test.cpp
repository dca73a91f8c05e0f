// Node walks: completeness, leaves, resume and parallel splitting.
#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include "engine/trie/node_iterator.h"
#include "tests/trie/trie_test_util.h"

namespace klay::trie {
namespace {

struct Built {
  MemoryNodeStore store;
  NodeKey root;
  std::map<Bytes, Bytes> contents;
};

// Mixed key lengths give embedded nodes and branch values too.
void build(Built& b, uint64_t seed, size_t n, bool ext_hash, bool short_keys = false) {
  std::mt19937_64 rng(seed);
  AtomicExtHashCounter counter(seed);
  Trie t(&b.store, TrieOptions{.ext_hash = ext_hash, .counter = &counter});
  for (size_t i = 0; i < n; ++i) {
    Bytes k = short_keys ? test::random_bytes(rng, 1 + rng() % 3) : test::random_bytes(rng, 32);
    Bytes v = test::random_bytes(rng, 1 + rng() % 30);
    ASSERT_TRUE(t.put(k, v).is_ok());
    b.contents[k] = v;
  }
  auto r = t.commit(b.store);
  ASSERT_TRUE(r.has_value());
  b.root = r->root_key;
}

struct Seen {
  Bytes key;
  Bytes path;
  bool operator<(const Seen& o) const { return std::tie(path, key) < std::tie(o.path, o.key); }
  bool operator==(const Seen& o) const { return path == o.path && key == o.key; }
};

std::vector<Seen> walk_all(const Built& b, ByteView start = {}) {
  std::vector<Seen> out;
  Status s = walk_nodes(b.store, b.root.view(), [&](const NodeVisit& v) {
    out.push_back({to_bytes(v.key), to_bytes(v.path)});
    return Status::ok();
  }, start);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return out;
}

TEST(NodeIterator, VisitsEveryStoredNodeAndLeaf) {
  for (bool ext : {false, true}) {
    for (bool short_keys : {false, true}) {
      Built b;
      build(b, 7, short_keys ? 300 : 2000, ext, short_keys);
      std::set<NodeKey> stored;
      for (const NodeKey& k : b.store.keys()) stored.insert(k);
      std::set<NodeKey> visited;
      std::map<Bytes, Bytes> leaves;
      Bytes last_path;
      bool first = true;
      Status s = walk_nodes(b.store, b.root.view(), [&](const NodeVisit& v) {
        if (!first) {
          EXPECT_LT(compare(last_path, v.path), 0) << "paths must ascend";
        }
        first = false;
        last_path = to_bytes(v.path);
        if (!v.is_embedded()) {
          EXPECT_TRUE(visited.insert(NodeKey::from(v.key)).second);
        }
        if (v.has_value) leaves[to_bytes(v.value_key)] = to_bytes(v.value);
        return Status::ok();
      });
      ASSERT_TRUE(s.is_ok()) << s.to_string();
      EXPECT_EQ(visited, stored);
      EXPECT_EQ(leaves, b.contents);
    }
  }
}

TEST(NodeIterator, ResumeYieldsTheSuffix) {
  Built b;
  build(b, 8, 1500, true);
  const auto full = walk_all(b);
  ASSERT_GT(full.size(), 1500u);
  for (size_t cut : {size_t{0}, size_t{1}, size_t{17}, full.size() / 3, full.size() / 2, full.size() - 1}) {
    const auto rest = walk_all(b, full[cut].path);
    const std::vector<Seen> expected(full.begin() + static_cast<long>(cut), full.end());
    EXPECT_EQ(rest, expected) << "cut " << cut;
  }
  // A start between nodes: every node with a path >= start.
  std::mt19937_64 rng(1);
  for (int i = 0; i < 20; ++i) {
    Bytes start(1 + rng() % 5);
    for (auto& n : start) n = static_cast<uint8_t>(rng() % 16);
    std::vector<Seen> expected;
    for (const Seen& s : full)
      if (compare(s.path, start) >= 0) expected.push_back(s);
    EXPECT_EQ(walk_all(b, start), expected);
  }
}

TEST(NodeIterator, SkipChildren) {
  Built b;
  build(b, 9, 500, false);
  NodeIterator it(b.store, b.root.view());
  size_t count = 0;
  while (it.next(false)) ++count;  // only the root: its children are skipped
  EXPECT_TRUE(it.status().is_ok());
  EXPECT_EQ(count, 1u);
}

TEST(NodeIterator, ParallelMatchesSequential) {
  Built b;
  build(b, 10, 3000, true);
  auto seq = walk_all(b);
  std::sort(seq.begin(), seq.end());
  for (size_t split : {0, 1, 2, 3}) {
    std::mutex mu;
    std::vector<Seen> par;
    Status s = parallel_walk_nodes(b.store, b.root.view(), [&](const NodeVisit& v) {
      std::lock_guard lock(mu);
      par.push_back({to_bytes(v.key), to_bytes(v.path)});
      return Status::ok();
    }, split);
    ASSERT_TRUE(s.is_ok()) << s.to_string();
    std::sort(par.begin(), par.end());
    EXPECT_EQ(par, seq) << "split " << split;
  }
}

TEST(NodeIterator, MissingNodeAndStop) {
  Built b;
  build(b, 11, 1000, false);
  NodeKey victim;
  for (const NodeKey& k : b.store.keys())
    if (!(k == b.root)) victim = k;
  b.store.erase(victim.view());
  Status s = walk_nodes(b.store, b.root.view(), [](const NodeVisit&) { return Status::ok(); });
  EXPECT_TRUE(is_missing_node(s)) << s.to_string();
  EXPECT_NE(s.message().find(to_hex(victim.view())), std::string::npos);
  Status p = parallel_walk_nodes(b.store, b.root.view(), [](const NodeVisit&) { return Status::ok(); });
  EXPECT_TRUE(is_missing_node(p)) << p.to_string();
  // A visitor error stops the walk and is returned.
  Status stop = walk_nodes(b.store, b.root.view(), [](const NodeVisit&) { return Status::aborted("enough"); });
  EXPECT_EQ(stop.code(), Status::Code::kAborted);
}

TEST(NodeIterator, EmptyTrie) {
  MemoryNodeStore store;
  size_t n = 0;
  ASSERT_TRUE(walk_nodes(store, empty_root().view(), [&](const NodeVisit&) {
    ++n;
    return Status::ok();
  }).is_ok());
  EXPECT_EQ(n, 0u);
}

}  // namespace
}  // namespace klay::trie
