// Merkle proofs: present and absent keys, tampering.
#include <gtest/gtest.h>

#include "engine/trie/proof.h"
#include "engine/trie/secure_trie.h"
#include "tests/trie/trie_test_util.h"

namespace klay::trie {
namespace {

TEST(Proof, PresentAndAbsentKeys) {
  for (bool short_keys : {false, true}) {
    std::mt19937_64 rng(short_keys ? 1 : 2);
    Trie t;
    std::map<Bytes, Bytes> ref;
    for (int i = 0; i < 500; ++i) {
      Bytes k = test::random_bytes(rng, short_keys ? 1 + rng() % 3 : 32);
      Bytes v = test::random_bytes(rng, 1 + rng() % 40);
      ASSERT_TRUE(t.put(k, v).is_ok());
      ref[k] = v;
    }
    const Hash root = t.root_hash();
    for (const auto& [k, v] : ref) {
      auto proof = t.prove(k);
      ASSERT_TRUE(proof.has_value());
      auto got = verify_proof(root, k, *proof);
      ASSERT_TRUE(got.has_value()) << got.status().to_string();
      ASSERT_TRUE(got->has_value());
      EXPECT_EQ(**got, v);
    }
    for (int i = 0; i < 200; ++i) {
      Bytes k = test::random_bytes(rng, short_keys ? 1 + rng() % 4 : 32);
      if (ref.contains(k)) continue;
      auto proof = t.prove(k);
      ASSERT_TRUE(proof.has_value());
      auto got = verify_proof(root, k, *proof);
      ASSERT_TRUE(got.has_value()) << got.status().to_string();
      EXPECT_FALSE(got->has_value());
    }
  }
}

TEST(Proof, TamperedProofsAreRejected) {
  std::mt19937_64 rng(3);
  Trie t;
  std::vector<Bytes> keys;
  for (int i = 0; i < 300; ++i) {
    keys.push_back(test::random_bytes(rng, 32));
    ASSERT_TRUE(t.put(keys.back(), test::random_bytes(rng, 20)).is_ok());
  }
  const Hash root = t.root_hash();
  for (int i = 0; i < 50; ++i) {
    const Bytes& k = keys[rng() % keys.size()];
    auto proof = t.prove(k);
    ASSERT_TRUE(proof.has_value());
    ASSERT_GE(proof->size(), 2u);
    // Flip one byte of one node: its hash no longer matches its parent's reference.
    auto bad = *proof;
    Bytes& node = bad[rng() % bad.size()];
    node[rng() % node.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
    auto r = verify_proof(root, k, bad);
    EXPECT_FALSE(r.has_value());
    if (!r) {
      EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    }
    // Drop a node.
    auto dropped = *proof;
    dropped.erase(dropped.begin() + static_cast<long>(rng() % dropped.size()));
    EXPECT_FALSE(verify_proof(root, k, dropped).has_value());
    // Against another root.
    Hash other = root;
    other.bytes[0] ^= 1;
    EXPECT_FALSE(verify_proof(other, k, *proof).has_value());
  }
  // A forged value: replace the leaf with one holding another value; its hash is unknown.
  auto proof = t.prove(keys[0]);
  ASSERT_TRUE(proof.has_value());
  Trie forged;
  ASSERT_TRUE(forged.put(keys[0], as_view("forged")).is_ok());
  auto fp = forged.prove(keys[0]);
  ASSERT_TRUE(fp.has_value());
  auto mixed = *proof;
  mixed.back() = fp->back();
  EXPECT_FALSE(verify_proof(root, keys[0], mixed).has_value());
  // Garbage in the proof is not a valid node.
  std::vector<Bytes> garbage{Bytes{0x01, 0x02, 0x03}};
  EXPECT_FALSE(verify_proof(keccak256(garbage[0]), keys[0], garbage).has_value());
}

TEST(Proof, EmptyTrieAndSingleEmbeddedRoot) {
  Trie t;
  auto p = t.prove(as_view("x"));
  ASSERT_TRUE(p.has_value());
  auto r = verify_proof(empty_root(), as_view("x"), *p);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->has_value());
  ASSERT_TRUE(t.put(as_view("a"), as_view("b")).is_ok());  // root RLP < 32 bytes
  p = t.prove(as_view("a"));
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->size(), 1u);
  r = verify_proof(t.root_hash(), as_view("a"), *p);
  ASSERT_TRUE(r.has_value() && r->has_value());
  EXPECT_EQ(**r, to_bytes(std::string_view("b")));
}

TEST(Proof, ExtHashTrieProofsUseMerkleHashes) {
  std::mt19937_64 rng(4);
  AtomicExtHashCounter counter(9);
  MemoryNodeStore store;
  SecureTrie t(&store, TrieOptions{.ext_hash = true, .counter = &counter});
  std::vector<Bytes> keys;
  for (int i = 0; i < 200; ++i) {
    keys.push_back(test::random_bytes(rng, 20));
    ASSERT_TRUE(t.put(keys.back(), test::random_bytes(rng, 30)).is_ok());
  }
  auto c = t.commit(store);
  ASSERT_TRUE(c.has_value());
  auto reopened = SecureTrie::open(&store, c->root_key.view(), TrieOptions{.ext_hash = true, .counter = &counter});
  ASSERT_TRUE(reopened.has_value());
  for (const Bytes& k : keys) {
    auto proof = reopened->prove(k);
    ASSERT_TRUE(proof.has_value()) << proof.status().to_string();
    auto got = verify_proof(c->root, keccak256(k).view(), *proof);
    ASSERT_TRUE(got.has_value()) << got.status().to_string();
    EXPECT_TRUE(got->has_value());
  }
}

}  // namespace
}  // namespace klay::trie
