// Every case of the public TrieTests vectors, in plain and ExtHash modes,
// through the trie, the secure trie, commit + reload, the HashBuilder and proofs.
#include <gtest/gtest.h>

#include "engine/trie/proof.h"
#include "engine/trie/secure_trie.h"
#include "tests/trie/trie_test_util.h"

namespace klay::trie {
namespace {

using test::VectorCase;

class TrieVectors : public ::testing::TestWithParam<VectorCase> {};

Hash apply(const VectorCase& c, Trie& t) {
  for (const auto& op : c.ops) {
    const Bytes k = test::trie_key(c, op.key);
    Status s = op.value ? t.put(k, *op.value) : t.erase(k);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
  }
  return t.root_hash();
}

TEST_P(TrieVectors, PlainTrieRoot) {
  const VectorCase& c = GetParam();
  Trie t;
  EXPECT_EQ(apply(c, t), c.root) << c.file << ":" << c.name;
}

TEST_P(TrieVectors, SecureTrieRoot) {
  const VectorCase& c = GetParam();
  SecureTrie t;
  size_t preimages = 0;
  t.set_preimage_callback([&](const Hash& h, ByteView key) {
    EXPECT_EQ(h, keccak256(key));
    ++preimages;
  });
  for (const auto& op : c.ops) {
    Status s = op.value ? t.put(op.key, *op.value) : t.erase(op.key);
    ASSERT_TRUE(s.is_ok()) << s.to_string();
  }
  if (c.hashed_keys) {
    EXPECT_EQ(t.root_hash(), c.root);
  } else {  // the same pairs with hashed keys, built independently
    VectorCase hashed = c;
    hashed.hashed_keys = true;
    EXPECT_EQ(t.root_hash(), test::builder_root(test::final_state(hashed)));
  }
  EXPECT_GT(preimages, 0u);
}

TEST_P(TrieVectors, ExtHashModeSameRoot) {
  const VectorCase& c = GetParam();
  AtomicExtHashCounter counter(1000);
  for (bool zero_ext_root : {true, false}) {
    Trie t(nullptr, TrieOptions{.ext_hash = true, .root_zero_extension = zero_ext_root, .counter = &counter});
    EXPECT_EQ(apply(c, t), c.root);
    MemoryNodeStore store;
    auto r = t.commit(store);
    ASSERT_TRUE(r.has_value()) << r.status().to_string();
    EXPECT_EQ(r->root, c.root);
    if (r->root != empty_root()) {
      EXPECT_EQ(r->root_key.is_ext(), !zero_ext_root);
    }
    auto reopened = Trie::open(&store, r->root_key.view(), TrieOptions{.ext_hash = true, .counter = &counter});
    ASSERT_TRUE(reopened.has_value());
    EXPECT_EQ(reopened->root_hash(), c.root);
    for (const auto& [k, v] : test::final_state(c)) {
      auto got = reopened->get(k);
      ASSERT_TRUE(got.has_value()) << got.status().to_string();
      ASSERT_TRUE(got->has_value());
      EXPECT_EQ(**got, v);
    }
  }
}

TEST_P(TrieVectors, CommitReloadGets) {
  const VectorCase& c = GetParam();
  Trie t;
  apply(c, t);
  MemoryNodeStore store;
  auto r = t.commit(store);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->root, c.root);
  auto reopened = Trie::open(&store, r->root.view());
  ASSERT_TRUE(reopened.has_value());
  const auto state = test::final_state(c);
  for (const auto& [k, v] : state) {
    auto got = reopened->get(k);
    ASSERT_TRUE(got.has_value() && got->has_value());
    EXPECT_EQ(**got, v);
  }
  for (const auto& op : c.ops) {  // deleted keys read as absent
    const Bytes k = test::trie_key(c, op.key);
    if (state.contains(k)) continue;
    auto got = reopened->get(k);
    ASSERT_TRUE(got.has_value());
    EXPECT_FALSE(got->has_value());
  }
  EXPECT_EQ(reopened->root_hash(), c.root);
}

TEST_P(TrieVectors, HashBuilderRoot) {
  const VectorCase& c = GetParam();
  EXPECT_EQ(test::builder_root(test::final_state(c)), c.root);
}

TEST_P(TrieVectors, ProofsOfEveryKey) {
  const VectorCase& c = GetParam();
  Trie t;
  apply(c, t);
  const auto state = test::final_state(c);
  for (const auto& op : c.ops) {
    const Bytes k = test::trie_key(c, op.key);
    auto proof = t.prove(k);
    ASSERT_TRUE(proof.has_value());
    auto v = verify_proof(c.root, k, *proof);
    ASSERT_TRUE(v.has_value()) << v.status().to_string();
    auto it = state.find(k);
    if (it == state.end()) {
      EXPECT_FALSE(v->has_value());
    } else {
      ASSERT_TRUE(v->has_value());
      EXPECT_EQ(**v, it->second);
    }
  }
}

}  // namespace
namespace test {
void PrintTo(const VectorCase& c, std::ostream* os) { *os << c.file << ":" << c.name; }
}  // namespace test
namespace {

std::string case_name(const ::testing::TestParamInfo<VectorCase>& info) {
  std::string n = info.param.file.substr(0, info.param.file.find('.')) + "_" + info.param.name;
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(All, TrieVectors, ::testing::ValuesIn(test::all_vector_cases()), case_name);

TEST(TrieVectorsFiles, AllCasesLoaded) {
  // 5 + 7 + 3 + 7 + 3 cases in the shared vector files.
  EXPECT_EQ(test::all_vector_cases().size(), 25u);
}

}  // namespace
}  // namespace klay::trie
