// StateDB: accounts, transfers, snapshots, commit/reopen and roots computed
// independently of the StateDB.
#include "tests/state/state_test_util.h"

namespace klay::state {
namespace {

using test::addr;
using test::must;
using test::word;

struct Fixture : ::testing::Test {
  trie::MemoryNodeStore nodes;
  MemoryCodeStore codes;
  StateDB fresh(StateOptions o = {}) { return must(StateDB::open(&nodes, &codes, empty_root().view(), o)); }
  StateDB reopen(const trie::NodeKey& root, StateOptions o = {}) {
    return must(StateDB::open(&nodes, &codes, root.view(), o));
  }
};

using StateDBTest = Fixture;

TEST_F(StateDBTest, AbsentAccountsReadDefaults) {
  StateDB st = fresh();
  EXPECT_FALSE(must(st.exists(addr(1))));
  EXPECT_TRUE(must(st.is_empty(addr(1))));
  EXPECT_EQ(must(st.balance(addr(1))), uint256(0));
  EXPECT_EQ(must(st.nonce(addr(1))), 0u);
  EXPECT_EQ(must(st.account_key(addr(1))), AccountKey::legacy());
  EXPECT_EQ(must(st.code_hash(addr(1))), empty_code_hash());
  EXPECT_TRUE(must(st.code(addr(1))).empty());
  EXPECT_EQ(must(st.storage(addr(1), word(1))), Hash{});
  EXPECT_FALSE(must(st.account(addr(1))).has_value());
  EXPECT_EQ(must(st.intermediate_root()), empty_root());
}

TEST_F(StateDBTest, ValueTransferToFreshAddressCreatesEOA) {
  StateDB st = fresh();
  ASSERT_OK(st.add_balance(addr(1), 1000));
  ASSERT_OK(st.sub_balance(addr(1), 300));
  ASSERT_OK(st.add_balance(addr(2), 300));
  auto a = must(st.account(addr(2)));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->type, AccountType::kEOA);
  EXPECT_EQ(a->key, AccountKey::legacy());
  EXPECT_EQ(must(st.balance(addr(1))), uint256(700));
  EXPECT_EQ(must(st.balance(addr(2))), uint256(300));

  // Root equals the trie built directly from the expected encodings.
  std::map<Address, test::ExpectedAccount> expect;
  expect[addr(1)].account = Account::eoa(0, 700);
  expect[addr(2)].account = Account::eoa(0, 300);
  EXPECT_EQ(must(st.intermediate_root()), test::expected_root(expect));
}

TEST_F(StateDBTest, SubBalanceUnderflowFailsAndChangesNothing) {
  StateDB st = fresh();
  ASSERT_OK(st.add_balance(addr(1), 10));
  Status s = st.sub_balance(addr(1), 11);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("insufficient balance"), std::string::npos) << s.message();
  EXPECT_EQ(must(st.balance(addr(1))), uint256(10));
  s = st.sub_balance(addr(9), 1);
  EXPECT_FALSE(s.is_ok());
  EXPECT_FALSE(must(st.exists(addr(9))));
  // Overflow is refused too.
  ASSERT_OK(st.set_balance(addr(2), uint256::max()));
  EXPECT_EQ(st.add_balance(addr(2), 1).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(must(st.balance(addr(2))), uint256::max());
}

TEST_F(StateDBTest, TouchedEmptyAccountsAreDeletedAtFinalise) {
  StateDB st = fresh();
  ASSERT_OK(st.add_balance(addr(1), 0));
  EXPECT_TRUE(must(st.exists(addr(1))));
  ASSERT_OK(st.finalise());
  EXPECT_FALSE(must(st.exists(addr(1))));
  EXPECT_EQ(must(st.intermediate_root()), empty_root());
  // Without EIP-158 deletion the empty account stays.
  StateDB keep = fresh(StateOptions{.delete_empty_objects = false});
  ASSERT_OK(keep.add_balance(addr(1), 0));
  ASSERT_OK(keep.finalise());
  EXPECT_TRUE(must(keep.exists(addr(1))));
}

TEST_F(StateDBTest, RevertUndoesEveryKindOfChange) {
  StateDB st = fresh();
  ASSERT_OK(st.add_balance(addr(1), 100));
  ASSERT_OK(st.set_nonce(addr(1), 3));
  ASSERT_OK(st.set_code(addr(2), Bytes{0x60, 0x00}, 0x00));
  ASSERT_OK(st.set_storage(addr(2), word(1), word(11)));
  ASSERT_OK(st.finalise());
  const Hash before = must(st.intermediate_root());

  const int snap = st.snapshot();
  ASSERT_OK(st.sub_balance(addr(1), 40));
  ASSERT_OK(st.set_nonce(addr(1), 4));
  ASSERT_OK(st.set_account_key(addr(1), AccountKey::fail()));
  ASSERT_OK(st.set_storage(addr(2), word(1), word(12)));
  ASSERT_OK(st.set_storage(addr(2), word(2), word(22)));
  ASSERT_OK(st.set_code(addr(2), Bytes{0x60, 0x01}, 0x10));
  ASSERT_OK(st.add_balance(addr(3), 5));          // created
  ASSERT_OK(st.set_code(addr(1), Bytes{0x00}, 0));  // EOA -> SCA
  ASSERT_OK(st.create_eoa(addr(2), true));        // replaces the contract, keeps its balance
  ASSERT_OK(st.self_destruct(addr(1)));
  EXPECT_TRUE(must(st.has_self_destructed(addr(1))));
  ASSERT_OK(st.revert_to(snap));

  EXPECT_EQ(must(st.balance(addr(1))), uint256(100));
  EXPECT_EQ(must(st.nonce(addr(1))), 3u);
  EXPECT_EQ(must(st.account_key(addr(1))), AccountKey::legacy());
  EXPECT_FALSE(must(st.is_program_account(addr(1))));
  EXPECT_FALSE(must(st.has_self_destructed(addr(1))));
  EXPECT_EQ(must(st.storage(addr(2), word(1))), word(11));
  EXPECT_EQ(must(st.storage(addr(2), word(2))), Hash{});
  EXPECT_EQ(must(st.code(addr(2))), (Bytes{0x60, 0x00}));
  EXPECT_EQ(must(st.account(addr(2)))->code_info, 0);
  EXPECT_EQ(must(st.account(addr(2)))->type, AccountType::kSCA);
  EXPECT_FALSE(must(st.exists(addr(3))));
  EXPECT_EQ(must(st.intermediate_root()), before);
  EXPECT_EQ(st.revert_to(snap).code(), Status::Code::kInvalidArgument);  // consumed
}

TEST_F(StateDBTest, NestedSnapshots) {
  StateDB st = fresh();
  ASSERT_OK(st.add_balance(addr(1), 1));
  const int s1 = st.snapshot();
  ASSERT_OK(st.add_balance(addr(1), 10));
  const int s2 = st.snapshot();
  ASSERT_OK(st.add_balance(addr(1), 100));
  const int s3 = st.snapshot();
  ASSERT_OK(st.add_balance(addr(1), 1000));
  ASSERT_OK(st.revert_to(s3));
  EXPECT_EQ(must(st.balance(addr(1))), uint256(111));
  ASSERT_OK(st.revert_to(s2));
  EXPECT_EQ(must(st.balance(addr(1))), uint256(11));
  EXPECT_FALSE(st.revert_to(s3).is_ok());  // later snapshots are gone
  const int s4 = st.snapshot();
  ASSERT_OK(st.add_balance(addr(1), 5));
  ASSERT_OK(st.revert_to(s1));
  EXPECT_EQ(must(st.balance(addr(1))), uint256(1));
  EXPECT_FALSE(st.revert_to(s4).is_ok());
  // finalise() forgets all snapshots.
  const int s5 = st.snapshot();
  ASSERT_OK(st.finalise());
  EXPECT_FALSE(st.revert_to(s5).is_ok());
}

TEST_F(StateDBTest, ContractCreationFollowsTheReference) {
  StateDB st = fresh();
  // set_storage on a fresh address: SCA with nonce 1 and the fail key.
  ASSERT_OK(st.set_storage(addr(5), word(1), word(2)));
  auto a = must(st.account(addr(5)));
  EXPECT_EQ(a->type, AccountType::kSCA);
  EXPECT_EQ(a->nonce, 1u);
  EXPECT_EQ(a->key, AccountKey::fail());
  // create_sca keeps the balance of what was there.
  ASSERT_OK(st.add_balance(addr(6), 77));
  ASSERT_OK(st.create_sca(addr(6), make_code_info(1, 0)));
  a = must(st.account(addr(6)));
  EXPECT_EQ(a->type, AccountType::kSCA);
  EXPECT_EQ(a->balance, uint256(77));
  EXPECT_EQ(a->vm_version(), 1);
  // EOAs hold no storage.
  ASSERT_OK(st.add_balance(addr(7), 1));
  EXPECT_EQ(st.set_storage(addr(7), word(1), word(1)).code(), Status::Code::kInvalidArgument);
  // Keys can only be set on existing non-legacy accounts.
  EXPECT_TRUE(st.set_account_key(addr(8), AccountKey::fail()).is_not_found());
  ASSERT_OK(st.create_account(addr(9), AccountType::kLegacy));
  ASSERT_OK(st.add_balance(addr(9), 1));
  EXPECT_EQ(st.set_account_key(addr(9), AccountKey::fail()).code(), Status::Code::kInvalidArgument);
}

TEST_F(StateDBTest, CommitThenReopenGivesSameValues) {
  StateDB st = fresh();
  const Bytes code = {0x60, 0x80, 0x60, 0x40, 0x52};
  ASSERT_OK(st.add_balance(addr(1), 5000));
  ASSERT_OK(st.set_nonce(addr(1), 9));
  ASSERT_OK(st.create_eoa(addr(2), true, AccountKey::fail()));
  ASSERT_OK(st.add_balance(addr(2), 1));
  ASSERT_OK(st.create_sca(addr(3), make_code_info(0, 0)));
  ASSERT_OK(st.set_code(addr(3), code, make_code_info(0, 0)));
  for (uint64_t i = 1; i <= 50; ++i) ASSERT_OK(st.set_storage(addr(3), word(i), word(i * 1000 + 7)));
  ASSERT_OK(st.create_account(addr(4), AccountType::kLegacy));
  ASSERT_OK(st.add_balance(addr(4), 3));
  ASSERT_OK(st.set_storage(addr(4), word(1), word(4)));
  const Hash ir = must(st.intermediate_root());
  auto c = must(st.commit(nodes, codes));
  EXPECT_EQ(c.root, ir);
  EXPECT_EQ(c.root_key, trie::NodeKey::plain(c.root));
  EXPECT_GT(c.nodes_written, 0u);
  EXPECT_EQ(c.codes_written, 1u);
  EXPECT_EQ(c.storage_roots.size(), 2u);

  StateDB again = reopen(c.root_key);
  EXPECT_EQ(must(again.balance(addr(1))), uint256(5000));
  EXPECT_EQ(must(again.nonce(addr(1))), 9u);
  EXPECT_EQ(must(again.account_key(addr(2))), AccountKey::fail());
  EXPECT_TRUE(must(again.account(addr(2)))->human_readable);
  EXPECT_EQ(must(again.code(addr(3))), code);
  EXPECT_EQ(must(again.code_hash(addr(3))), keccak256(code));
  for (uint64_t i = 1; i <= 50; ++i) EXPECT_EQ(must(again.storage(addr(3), word(i))), word(i * 1000 + 7));
  EXPECT_EQ(must(again.storage(addr(4), word(1))), word(4));
  EXPECT_EQ(must(again.account(addr(4)))->type, AccountType::kLegacy);
  EXPECT_EQ(must(again.intermediate_root()), c.root);

  // Storage roots in the accounts equal tries built directly from the slots.
  std::map<Hash, Hash> slots;
  for (uint64_t i = 1; i <= 50; ++i) slots[word(i)] = word(i * 1000 + 7);
  EXPECT_EQ(must(again.account(addr(3)))->storage_root.hash(), test::storage_root_of(slots));
  EXPECT_EQ(must(again.account(addr(4)))->storage_root.hash(), test::storage_root_of({{word(1), word(4)}}));

  // The whole root, independently.
  std::map<Address, test::ExpectedAccount> expect;
  expect[addr(1)].account = Account::eoa(9, 5000);
  expect[addr(2)].account = Account::eoa(0, 1);
  expect[addr(2)].account.human_readable = true;
  expect[addr(2)].account.key = AccountKey::fail();
  expect[addr(3)].account = Account::sca(1, 0, AccountKey::fail(), keccak256(code), 0);
  expect[addr(3)].storage = slots;
  Account legacy;
  legacy.type = AccountType::kLegacy;
  legacy.balance = 3;
  expect[addr(4)].account = legacy;
  expect[addr(4)].storage = {{word(1), word(4)}};
  EXPECT_EQ(c.root, test::expected_root(expect));

  // A second block on the reopened state: change, delete a slot, commit again.
  ASSERT_OK(again.set_storage(addr(3), word(1), Hash{}));
  ASSERT_OK(again.sub_balance(addr(1), 1));
  auto c2 = must(again.commit(nodes, codes));
  EXPECT_EQ(c2.codes_written, 0u);
  expect[addr(3)].storage.erase(word(1));
  expect[addr(1)].account.balance = 4999;
  EXPECT_EQ(c2.root, test::expected_root(expect));
  EXPECT_FALSE(c2.obsolete.empty());
  StateDB third = reopen(c2.root_key);
  EXPECT_EQ(must(third.storage(addr(3), word(1))), Hash{});
  EXPECT_EQ(must(third.storage(addr(3), word(2))), word(2007));
}

TEST_F(StateDBTest, StorageValuesAreTrimmedRlp) {
  EXPECT_TRUE(encode_storage_value(Hash{}).empty());
  EXPECT_EQ(encode_storage_value(word(1)), (Bytes{0x01}));
  EXPECT_EQ(encode_storage_value(word(0x80)), (Bytes{0x81, 0x80}));
  Hash full;
  full.bytes.fill(0xff);
  Bytes enc = encode_storage_value(full);
  EXPECT_EQ(enc.size(), 33u);
  EXPECT_EQ(enc[0], 0xa0);
  EXPECT_EQ(must(decode_storage_value(enc)), full);
  EXPECT_EQ(must(decode_storage_value(Bytes{0x82, 0x01, 0x02})), word(0x0102));
  EXPECT_FALSE(decode_storage_value(Bytes{0xc1, 0x01}).has_value());
}

TEST_F(StateDBTest, SelfDestructDeletesAccountAndStorage) {
  StateDB st = fresh();
  ASSERT_OK(st.set_storage(addr(1), word(1), word(1)));
  ASSERT_OK(st.add_balance(addr(1), 10));
  ASSERT_OK(st.add_balance(addr(2), 10));
  auto c = must(st.commit(nodes, codes));
  StateDB next = reopen(c.root_key);
  ASSERT_OK(next.self_destruct(addr(1)));
  EXPECT_EQ(must(next.balance(addr(1))), uint256(0));
  EXPECT_TRUE(must(next.exists(addr(1))));
  ASSERT_OK(next.finalise());
  EXPECT_FALSE(must(next.exists(addr(1))));
  EXPECT_EQ(must(next.storage(addr(1), word(1))), Hash{});
  // Re-created in a later transaction: a fresh account with empty storage.
  ASSERT_OK(next.add_balance(addr(1), 1));
  EXPECT_EQ(must(next.storage(addr(1), word(1))), Hash{});
  auto c2 = must(next.commit(nodes, codes));
  std::map<Address, test::ExpectedAccount> expect;
  expect[addr(1)].account = Account::eoa(0, 1);
  expect[addr(2)].account = Account::eoa(0, 10);
  EXPECT_EQ(c2.root, test::expected_root(expect));
}

TEST_F(StateDBTest, MissingNodeGivesClearError) {
  StateDB st = fresh();
  for (uint64_t i = 0; i < 64; ++i) ASSERT_OK(st.add_balance(addr(i), i + 1));
  auto c = must(st.commit(nodes, codes));

  // A root the store lacks fails at open.
  Hash unknown = keccak256(to_bytes(std::string_view("nope")));
  auto bad = StateDB::open(&nodes, &codes, unknown.view());
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(is_state_unavailable(bad.status()));
  EXPECT_EQ(bad.status().message(), "state not available at root " + unknown.hex() + ": missing trie node " +
                                        unknown.hex() + " (pruned or missing)");

  // An inner node removed: some account read names exactly that node.
  trie::NodeKey victim;
  for (const auto& k : nodes.keys())
    if (!(k == c.root_key)) victim = k;
  ASSERT_FALSE(victim.empty());
  Bytes saved;
  ASSERT_OK(nodes.get(victim.view(), &saved));
  nodes.erase(victim.view());
  StateDB broken = reopen(c.root_key);
  int failures = 0;
  for (uint64_t i = 0; i < 64; ++i) {
    auto b = broken.balance(addr(i));
    if (b.has_value()) {
      EXPECT_EQ(*b, uint256(i + 1));
      continue;
    }
    ++failures;
    EXPECT_TRUE(is_state_unavailable(b.status()));
    EXPECT_EQ(b.status().message(), "state not available at root " + c.root_key.hex() +
                                        ": missing trie node " + victim.hex() + " (pruned or missing)");
    // Mutations fail the same way and change nothing.
    EXPECT_TRUE(is_state_unavailable(broken.add_balance(addr(i), 1)));
  }
  EXPECT_GT(failures, 0);
  ASSERT_OK(nodes.put(victim.view(), saved));
}

TEST_F(StateDBTest, MissingCodeGivesClearError) {
  StateDB st = fresh();
  const Bytes code = {0x01, 0x02, 0x03};
  ASSERT_OK(st.set_code(addr(1), code, 0));
  auto c = must(st.commit(nodes, codes));
  codes.erase(keccak256(code));
  StateDB again = reopen(c.root_key);
  auto r = again.code(addr(1));
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(is_state_unavailable(r.status()));
  EXPECT_NE(r.status().message().find("missing code " + keccak256(code).hex()), std::string::npos);
}

}  // namespace
}  // namespace klay::state
