// Live pruning (ExtHash) mode: same roots as plain mode, 39-byte storage roots
// in SCA values, and obsolete keys that are safe to delete.
#include <random>

#include "tests/state/state_test_util.h"

namespace klay::state {
namespace {

using test::addr;
using test::must;
using test::word;

// One block of pseudo-random work, the same for every StateDB given the same seed.
void run_block(StateDB& st, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int txn = 0; txn < 20; ++txn) {
    const int snap = st.snapshot();
    for (int op = 0; op < 8; ++op) {
      const Address eoa = addr(rng() % 40);
      const Address sca = addr(1000 + rng() % 6);
      switch (rng() % 5) {
        case 0: ASSERT_OK(st.add_balance(eoa, rng() % 1000 + 1)); break;
        case 1: ASSERT_OK(st.set_nonce(eoa, rng() % 50)); break;
        case 2: ASSERT_OK(st.set_storage(sca, word(rng() % 30), rng() % 4 ? word(rng()) : Hash{})); break;
        case 3:
          if (must(st.is_program_account(sca))) ASSERT_OK(st.add_balance(sca, 1));
          break;
        case 4: {
          Status s = st.sub_balance(eoa, rng() % 300);
          EXPECT_TRUE(s.is_ok() || s.code() == Status::Code::kInvalidArgument) << s.to_string();
          break;
        }
      }
    }
    if (rng() % 4 == 0) ASSERT_OK(st.revert_to(snap));
    ASSERT_OK(st.finalise());
  }
}

struct ExtHashTest : ::testing::Test {
  trie::AtomicExtHashCounter counter{1};
  trie::MemoryNodeStore plain_nodes, ext_nodes;
  MemoryCodeStore codes;
  StateOptions ext_options() { return StateOptions{.ext_hash = true, .counter = &counter}; }
};

TEST_F(ExtHashTest, SameOperationsGiveSamePlainRoot) {
  StateDB plain = must(StateDB::open(&plain_nodes, &codes, empty_root().view()));
  StateDB ext = must(StateDB::open(&ext_nodes, &codes, empty_root().view(), ext_options()));
  std::set<trie::NodeKey> account_roots;
  for (uint64_t block = 1; block <= 6; ++block) {
    run_block(plain, block);
    run_block(ext, block);
    EXPECT_EQ(must(plain.intermediate_root()), must(ext.intermediate_root())) << "block " << block;
    auto a = must(plain.commit(plain_nodes, codes));
    auto b = must(ext.commit(ext_nodes, codes));
    ASSERT_EQ(a.root, b.root) << "block " << block;
    EXPECT_EQ(b.root_key, trie::NodeKey::plain(b.root));  // the account-trie root keeps zero extension
    account_roots.insert(b.root_key);
    for (const auto& k : b.storage_roots) EXPECT_TRUE(k.is_ext());
    // Continue from freshly opened states, as a node does across restarts.
    plain = must(StateDB::open(&plain_nodes, &codes, a.root_key.view()));
    ext = must(StateDB::open(&ext_nodes, &codes, b.root_key.view(), ext_options()));
  }
  // SCA values hold 39-byte storage roots in the ExtHash store; every stored
  // node key is 39 bytes except the account-trie roots of the blocks.
  auto reader = must(StateReader::open(&ext_nodes, &codes, ext.root_key().view()));
  int extended = 0;
  for (uint64_t i = 0; i < 6; ++i) {
    auto a = must(reader.account(addr(1000 + i)));
    if (!a || a->storage_root.hash() == empty_root()) continue;
    EXPECT_NE(a->storage_root.counter(), 0u);
    ++extended;
    auto plain_reader = must(StateReader::open(&plain_nodes, &codes, ext.root_key().view()));
    auto p = must(plain_reader.account(addr(1000 + i)));
    EXPECT_EQ(p->storage_root.hash(), a->storage_root.hash());
    EXPECT_EQ(p->storage_root.counter(), 0u);
  }
  EXPECT_GT(extended, 0);
  for (const auto& k : ext_nodes.keys())
    EXPECT_EQ(k.is_ext(), !account_roots.contains(k)) << k.hex();
}

TEST_F(ExtHashTest, TransformHashesScaWithPlainStorageRoot) {
  Account sca = Account::sca(1, 5, AccountKey::fail(), keccak256(Bytes{1}), 0);
  sca.storage_root = ExtHash::make(keccak256(Bytes{2}), 77);
  const Bytes stored = encode_account(sca, ExtHashMode::kPreserveExtHash);
  Bytes hashed;
  ASSERT_TRUE(account_value_for_hash(stored, &hashed));
  EXPECT_EQ(hashed, encode_account(sca, ExtHashMode::kHashForm));
  EXPECT_EQ(hashed, unextend_account_value(stored));
  // Nothing to do for EOAs, legacy accounts and unextended SCAs.
  EXPECT_FALSE(account_value_for_hash(encode_account(Account::eoa(1, 1)), &hashed));
  sca.storage_root = ExtHash::make(keccak256(Bytes{2}), 0);
  EXPECT_FALSE(account_value_for_hash(encode_account(sca), &hashed));
}

TEST_F(ExtHashTest, ObsoleteKeysAreUnreachableAndSafeToDelete) {
  StateDB st = must(StateDB::open(&ext_nodes, &codes, empty_root().view(), ext_options()));
  run_block(st, 100);
  auto c = must(st.commit(ext_nodes, codes));
  size_t total_obsolete = 0;
  for (uint64_t block = 101; block <= 108; ++block) {
    st = must(StateDB::open(&ext_nodes, &codes, c.root_key.view(), ext_options()));
    run_block(st, block);
    auto next = must(st.commit(ext_nodes, codes));
    const auto reachable = test::reachable_state_keys(ext_nodes, next.root_key);
    std::set<trie::NodeKey> seen;
    for (const auto& k : next.obsolete) {
      EXPECT_TRUE(seen.insert(k).second) << "duplicate mark " << k.hex();
      EXPECT_TRUE(ext_nodes.has(k.view())) << "mark for a node never stored: " << k.hex();
      EXPECT_FALSE(reachable.contains(k)) << "obsolete key reachable from the new root: " << k.hex();
    }
    total_obsolete += next.obsolete.size();
    // Prune: delete every mark; the new state must still read completely.
    for (const auto& k : next.obsolete) ext_nodes.erase(k.view());
    EXPECT_EQ(test::reachable_state_keys(ext_nodes, next.root_key), reachable);
    c = next;
  }
  EXPECT_GT(total_obsolete, 0u);
  // After all that pruning, the final state equals the same work done in plain mode.
  StateDB plain = must(StateDB::open(&plain_nodes, &codes, empty_root().view()));
  for (uint64_t block = 100; block <= 108; ++block) {
    run_block(plain, block);
    auto pc = must(plain.commit(plain_nodes, codes));
    plain = must(StateDB::open(&plain_nodes, &codes, pc.root_key.view()));
  }
  EXPECT_EQ(plain.root_key().hash(), c.root);
  auto ext_reader = must(StateReader::open(&ext_nodes, &codes, c.root_key.view()));
  auto plain_reader = must(StateReader::open(&plain_nodes, &codes, c.root_key.view()));
  for (uint64_t i = 0; i < 6; ++i)
    for (uint64_t s = 0; s < 30; ++s)
      EXPECT_EQ(must(ext_reader.storage(addr(1000 + i), word(s))), must(plain_reader.storage(addr(1000 + i), word(s))));
  for (uint64_t i = 0; i < 40; ++i) EXPECT_EQ(must(ext_reader.balance(addr(i))), must(plain_reader.balance(addr(i))));
}

TEST_F(ExtHashTest, DestroyedAndReplacedContractsMarkTheirWholeStorage) {
  StateDB st = must(StateDB::open(&ext_nodes, &codes, empty_root().view(), ext_options()));
  for (uint64_t i = 0; i < 40; ++i) {
    ASSERT_OK(st.set_storage(addr(1), word(i), word(i + 1)));
    ASSERT_OK(st.set_storage(addr(2), word(i), word(i + 2)));
    ASSERT_OK(st.set_storage(addr(3), word(i), word(i + 3)));
  }
  auto c1 = must(st.commit(ext_nodes, codes));
  auto storage_keys = [&](const Address& a) {
    auto view = must(StateReader::open(&ext_nodes, &codes, c1.root_key.view()));
    auto acc = must(view.account(a));
    std::set<trie::NodeKey> keys;
    Status s = trie::walk_nodes(ext_nodes, storage_root_key(acc->storage_root).view(), [&](const trie::NodeVisit& v) {
      if (!v.is_embedded()) keys.insert(trie::NodeKey::from(v.key));
      return Status::ok();
    });
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return keys;
  };
  const auto destroyed = storage_keys(addr(1));
  const auto replaced = storage_keys(addr(2));
  ASSERT_GT(destroyed.size(), 5u);

  st = must(StateDB::open(&ext_nodes, &codes, c1.root_key.view(), ext_options()));
  ASSERT_OK(st.set_storage(addr(1), word(0), word(99)));  // updated, then destroyed in a later txn
  ASSERT_OK(st.finalise());
  ASSERT_OK(st.self_destruct(addr(1)));
  ASSERT_OK(st.finalise());
  ASSERT_OK(st.create_sca(addr(2), 0));                  // replaced by a fresh contract
  ASSERT_OK(st.set_storage(addr(2), word(7), word(7)));
  ASSERT_OK(st.set_storage(addr(3), word(5), word(55)));  // an ordinary update
  const int snap = st.snapshot();
  ASSERT_OK(st.create_sca(addr(3), 0));                  // replaced, then reverted: nothing dropped
  ASSERT_OK(st.revert_to(snap));
  auto c2 = must(st.commit(ext_nodes, codes));

  const std::set<trie::NodeKey> marks(c2.obsolete.begin(), c2.obsolete.end());
  EXPECT_EQ(marks.size(), c2.obsolete.size());
  for (const auto& k : destroyed) EXPECT_TRUE(marks.contains(k)) << k.hex();
  for (const auto& k : replaced) EXPECT_TRUE(marks.contains(k)) << k.hex();
  const auto reachable = test::reachable_state_keys(ext_nodes, c2.root_key);
  for (const auto& k : marks) EXPECT_FALSE(reachable.contains(k)) << k.hex();
  for (const auto& k : marks) ext_nodes.erase(k.view());

  auto view = must(StateReader::open(&ext_nodes, &codes, c2.root_key.view()));
  EXPECT_FALSE(must(view.account(addr(1))).has_value());
  EXPECT_EQ(must(view.storage(addr(2), word(7))), word(7));
  EXPECT_EQ(must(view.storage(addr(2), word(8))), Hash{});
  for (uint64_t i = 0; i < 40; ++i) EXPECT_EQ(must(view.storage(addr(3), word(i))), i == 5 ? word(55) : word(i + 3));
}

}  // namespace
}  // namespace klay::state
