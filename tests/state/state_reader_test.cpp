// StateReader: reads and proofs at arbitrary roots, and the "state not
// available" error for pruned or unknown roots.
#include "engine/trie/proof.h"
#include "tests/state/state_test_util.h"

namespace klay::state {
namespace {

using test::addr;
using test::must;
using test::word;

struct ReaderTest : ::testing::TestWithParam<bool> {  // param: ExtHash mode
  trie::AtomicExtHashCounter counter{1000};
  trie::MemoryNodeStore nodes;
  MemoryCodeStore codes;
  StateOptions options() { return StateOptions{.ext_hash = GetParam(), .counter = &counter}; }
};

TEST_P(ReaderTest, ReadsAndProofsAtOldAndNewRoots) {
  StateDB st = must(StateDB::open(&nodes, &codes, empty_root().view(), options()));
  const Bytes code = {0x60, 0x01, 0x60, 0x02};
  ASSERT_OK(st.add_balance(addr(1), 42));
  ASSERT_OK(st.set_nonce(addr(1), 7));
  ASSERT_OK(st.create_sca(addr(2), make_code_info(0, 0)));
  ASSERT_OK(st.set_code(addr(2), code, make_code_info(0, 0)));
  for (uint64_t i = 0; i < 20; ++i) ASSERT_OK(st.set_storage(addr(2), word(i), word(i + 100)));
  auto c1 = must(st.commit(nodes, codes));
  ASSERT_OK(st.add_balance(addr(1), 8));
  ASSERT_OK(st.set_storage(addr(2), word(3), word(333)));
  auto c2 = must(st.commit(nodes, codes));

  auto old_view = must(StateReader::open(&nodes, &codes, c1.root_key.view()));
  auto new_view = must(StateReader::open(&nodes, &codes, c2.root_key.view()));
  EXPECT_EQ(must(old_view.balance(addr(1))), uint256(42));
  EXPECT_EQ(must(new_view.balance(addr(1))), uint256(50));
  EXPECT_EQ(must(new_view.nonce(addr(1))), 7u);
  EXPECT_EQ(must(new_view.account_key(addr(2))), AccountKey::fail());
  EXPECT_EQ(must(new_view.account_key(addr(9))), AccountKey::legacy());
  EXPECT_EQ(must(new_view.code(addr(2))), code);
  EXPECT_EQ(must(new_view.code_hash(addr(1))), empty_code_hash());
  EXPECT_EQ(must(old_view.storage(addr(2), word(3))), word(103));
  EXPECT_EQ(must(new_view.storage(addr(2), word(3))), word(333));
  EXPECT_EQ(must(new_view.storage(addr(2), word(99))), Hash{});
  EXPECT_EQ(must(new_view.storage(addr(1), word(3))), Hash{});

  // Account proof verifies against the root and yields the stored value's hash form.
  auto proof = must(new_view.account_proof(addr(2)));
  auto proved = must(trie::verify_proof(c2.root, keccak256(addr(2).view()).view(), proof));
  ASSERT_TRUE(proved.has_value());
  auto acc = must(decode_account(*proved));
  EXPECT_EQ(acc.balance, uint256(0));
  EXPECT_EQ(acc.storage_root.counter(), 0u);  // proofs carry the hash form
  // Storage proof verifies against the account's storage root hash.
  auto sproof = must(new_view.storage_proof(addr(2), word(3)));
  auto sval = must(trie::verify_proof(acc.storage_root.hash(), keccak256(word(3).view()).view(), sproof));
  ASSERT_TRUE(sval.has_value());
  EXPECT_EQ(must(decode_storage_value(*sval)), word(333));
  // Absence proofs.
  auto absent = must(new_view.account_proof(addr(77)));
  EXPECT_FALSE(must(trie::verify_proof(c2.root, keccak256(addr(77).view()).view(), absent)).has_value());
  EXPECT_TRUE(must(new_view.storage_proof(addr(1), word(0))).empty());
}

TEST_P(ReaderTest, PrunedRootIsNotAvailable) {
  StateDB st = must(StateDB::open(&nodes, &codes, empty_root().view(), options()));
  for (uint64_t i = 0; i < 30; ++i) ASSERT_OK(st.add_balance(addr(i), i + 1));
  ASSERT_OK(st.set_storage(addr(100), word(1), word(1)));
  auto c = must(st.commit(nodes, codes));
  nodes.erase(c.root_key.view());
  auto r = StateReader::open(&nodes, &codes, c.root_key.view());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.status().message(), "state not available at root " + c.root_key.hex() + ": missing trie node " +
                                      c.root_key.hex() + " (pruned or missing)");
  EXPECT_TRUE(r.status().is_not_found());
}

TEST_P(ReaderTest, MissingStorageNodeNamesTheNode) {
  StateDB st = must(StateDB::open(&nodes, &codes, empty_root().view(), options()));
  for (uint64_t i = 0; i < 40; ++i) ASSERT_OK(st.set_storage(addr(5), word(i), word(i + 1)));
  auto c = must(st.commit(nodes, codes));
  ASSERT_EQ(c.storage_roots.size(), 1u);
  const trie::NodeKey storage_root = c.storage_roots.front();
  nodes.erase(storage_root.view());
  auto view = must(StateReader::open(&nodes, &codes, c.root_key.view()));
  EXPECT_EQ(must(view.nonce(addr(5))), 1u);  // the account itself is intact
  auto v = view.storage(addr(5), word(1));
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.status().message(), "state not available at root " + c.root_key.hex() + ": missing trie node " +
                                      storage_root.hex() + " (pruned or missing)");
  auto db = must(StateDB::open(&nodes, &codes, c.root_key.view(), options()));
  auto w = db.storage(addr(5), word(1));
  ASSERT_FALSE(w.has_value());
  EXPECT_TRUE(is_state_unavailable(w.status()));
  EXPECT_TRUE(is_state_unavailable(db.set_storage(addr(5), word(1), word(9))));
}

INSTANTIATE_TEST_SUITE_P(Modes, ReaderTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? std::string("ExtHash") : std::string("Plain"); });

}  // namespace
}  // namespace klay::state
