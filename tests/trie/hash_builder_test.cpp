// HashBuilder: same root as the trie, same nodes as a commit, ordering errors.
#include <set>

#include <gtest/gtest.h>

#include "engine/core/rlp.h"
#include "engine/trie/hash_builder.h"
#include "tests/trie/trie_test_util.h"

namespace klay::trie {
namespace {

TEST(HashBuilder, MatchesTrieRootAndCommittedNodes) {
  for (uint64_t seed : {1, 2, 3}) {
    std::mt19937_64 rng(seed);
    std::map<Bytes, Bytes> ref;
    const size_t n = seed == 1 ? 1 : seed == 2 ? 40 : 3000;
    for (size_t i = 0; i < n; ++i)
      ref[test::random_bytes(rng, seed == 2 ? 1 + rng() % 3 : 32)] = test::random_bytes(rng, 1 + rng() % 40);
    Trie t;
    for (const auto& [k, v] : ref) ASSERT_TRUE(t.put(k, v).is_ok());
    NodeSet committed;
    auto c = t.commit(committed);
    ASSERT_TRUE(c.has_value());

    std::set<std::pair<Hash, Bytes>> collected;
    HashBuilder hb([&](const Hash& h, ByteView rlp) {
      EXPECT_EQ(h, keccak256(rlp));
      collected.insert({h, to_bytes(rlp)});
    });
    for (const auto& [k, v] : ref) ASSERT_TRUE(hb.add(k, v).is_ok());
    EXPECT_EQ(hb.count(), ref.size());
    EXPECT_EQ(hb.root(), c->root);

    std::set<std::pair<Hash, Bytes>> written;
    for (const auto& e : committed.entries()) written.insert({e.key.hash(), e.node});
    EXPECT_EQ(collected, written);
  }
}

TEST(HashBuilder, RejectsUnorderedKeysAndResets) {
  HashBuilder hb;
  ASSERT_TRUE(hb.add(as_view("b"), as_view("1")).is_ok());
  EXPECT_EQ(hb.add(as_view("a"), as_view("2")).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(hb.add(as_view("b"), as_view("2")).code(), Status::Code::kInvalidArgument);
  Trie t;
  ASSERT_TRUE(t.put(as_view("b"), as_view("1")).is_ok());
  EXPECT_EQ(hb.root(), t.root_hash());
  EXPECT_EQ(hb.root(), empty_root());  // reset after root()
}

TEST(HashBuilder, OrderedRootOfTransactionIndexKeys) {
  // Keys as rlp(index), the transaction-root layout: not sorted by index.
  std::vector<Bytes> keys, values;
  Trie t;
  for (uint64_t i = 0; i < 300; ++i) {
    Bytes k;
    rlp::encode_uint(k, i);
    keys.push_back(k);
    values.push_back(to_bytes(std::string_view("txn-" + std::to_string(i))));
    ASSERT_TRUE(t.put(keys.back(), values.back()).is_ok());
  }
  std::vector<std::pair<ByteView, ByteView>> pairs;
  for (size_t i = 0; i < keys.size(); ++i) pairs.emplace_back(keys[i], values[i]);
  EXPECT_EQ(ordered_root(pairs), t.root_hash());
}

}  // namespace
}  // namespace klay::trie
