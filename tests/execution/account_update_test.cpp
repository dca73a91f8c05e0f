// Account update: every key type, then transactions signed under the new key
// (and rejection of the old one); multisig thresholds; role-based roles.
#include "node/execution/state_transition.h"

#include "tests/execution/exec_test_util.h"

namespace klay::execution {
namespace {

using test::addr;
using test::key;
using test::must;

struct AccountUpdateTest : test::StateFixture {
  const PrivateKey owner = key(1);
  const Address me = owner.address();
  const Address bob = addr(2);
  void SetUp() override {
    StateFixture::SetUp();
    fund(me, 1'000'000'000);
  }
  Transaction update(const AccountKey& new_key, uint64_t nonce, const std::vector<PrivateKey>& signers,
                     uint64_t gas = 300000) {
    Transaction t = test::klaytn_tx(TxType::kAccountUpdate, me, nonce, gas);
    t.key = new_key;
    test::sign(t, signers);
    return t;
  }
  Transaction transfer(uint64_t nonce, const std::vector<PrivateKey>& signers, uint64_t gas = 100000) {
    Transaction t = test::klaytn_tx(TxType::kValueTransfer, me, nonce, gas);
    t.to = bob;
    t.value = uint256(1);
    test::sign(t, signers);
    return t;
  }
};

TEST_F(AccountUpdateTest, PublicKeyReplacesTheLegacyKey) {
  const PrivateKey next = key(10);
  auto r = must(apply(update(AccountKey::public_key(next.public_key()), 0, {owner})));
  EXPECT_EQ(r.status, kReceiptStatusSuccessful);
  EXPECT_EQ(r.gas_used, 21000u + 20000u);
  EXPECT_EQ(must(st->account_key(me)), AccountKey::public_key(next.public_key()));
  EXPECT_FALSE(apply(transfer(1, {owner})));  // the address's own key no longer signs
  EXPECT_TRUE(apply(transfer(1, {next})));
  EXPECT_EQ(balance(bob), uint256(1));
  // Ethereum-style transactions from it are refused now.
  Transaction legacy;
  legacy.type = TxType::kLegacy;
  legacy.nonce = 2;
  legacy.gas = 21000;
  legacy.gas_price = uint256(25);
  legacy.to = bob;
  test::sign(legacy, {owner});
  EXPECT_FALSE(apply(legacy));
}

TEST_F(AccountUpdateTest, MultisigThresholdAndValidationGas) {
  const AccountKey multi = AccountKey::weighted_multisig(
      3, {{1, key(10).public_key()}, {1, key(11).public_key()}, {2, key(12).public_key()}});
  auto r = must(apply(update(multi, 0, {owner})));
  EXPECT_EQ(r.gas_used, 21000u + 3 * 20000u);
  EXPECT_FALSE(apply(transfer(1, {key(10), key(11)})));  // weight 2 < 3
  EXPECT_FALSE(apply(transfer(1, {owner})));
  r = must(apply(transfer(1, {key(10), key(12)})));     // weight 3
  EXPECT_EQ(r.gas_used, 21000u + 15000u);
  r = must(apply(transfer(2, {key(10), key(11), key(12)})));
  EXPECT_EQ(r.gas_used, 21000u + 2 * 15000u);
  EXPECT_EQ(nonce(me), 3u);
}

TEST_F(AccountUpdateTest, UnsatisfiableMultisigIsNotIncludable) {
  const AccountKey bad = AccountKey::weighted_multisig(5, {{1, key(10).public_key()}, {1, key(11).public_key()}});
  Status s = apply(update(bad, 0, {owner})).status();
  EXPECT_NE(s.message().find("unsatisfiable threshold"), std::string::npos) << s.message();
  EXPECT_EQ(nonce(me), 0u);
  EXPECT_EQ(balance(me), uint256(1'000'000'000));
}

TEST_F(AccountUpdateTest, RoleBasedRoles) {
  const PrivateKey tx_key = key(10), upd_key = key(11), fee_key = key(12);
  const AccountKey roles = AccountKey::role_based({AccountKey::public_key(tx_key.public_key()),
                                                   AccountKey::public_key(upd_key.public_key()),
                                                   AccountKey::public_key(fee_key.public_key())});
  ASSERT_TRUE(apply(update(roles, 0, {owner})));
  // Transactions take the transaction key only.
  EXPECT_FALSE(apply(transfer(1, {upd_key})));
  EXPECT_TRUE(apply(transfer(1, {tx_key})));
  // Updates take the update key only; a nil role keeps the old role.
  const PrivateKey new_tx = key(20);
  const AccountKey partial = AccountKey::role_based({AccountKey::public_key(new_tx.public_key()), AccountKey::nil()});
  EXPECT_FALSE(apply(update(partial, 2, {tx_key})));
  auto r = must(apply(update(partial, 2, {upd_key})));
  EXPECT_EQ(r.gas_used, 21000u + 20000u);
  EXPECT_EQ(must(st->account_key(me)),
            AccountKey::role_based({AccountKey::public_key(new_tx.public_key()),
                                    AccountKey::public_key(upd_key.public_key()),
                                    AccountKey::public_key(fee_key.public_key())}));
  EXPECT_FALSE(apply(transfer(3, {tx_key})));
  EXPECT_TRUE(apply(transfer(3, {new_tx})));
}

TEST_F(AccountUpdateTest, FailKeyLocksTheAccount) {
  ASSERT_TRUE(apply(update(AccountKey::fail(), 0, {owner})));
  EXPECT_FALSE(apply(transfer(1, {owner})));
  EXPECT_FALSE(apply(update(AccountKey::legacy(), 1, {owner})));
  EXPECT_EQ(nonce(me), 1u);
}

TEST_F(AccountUpdateTest, BackToLegacyAndNilRefused) {
  const PrivateKey next = key(10);
  ASSERT_TRUE(apply(update(AccountKey::public_key(next.public_key()), 0, {owner})));
  Status s = apply(update(AccountKey::nil(), 1, {next})).status();
  EXPECT_NE(s.message().find("AccountKeyNil"), std::string::npos);
  ASSERT_TRUE(apply(update(AccountKey::legacy(), 1, {next})));
  EXPECT_TRUE(apply(transfer(2, {owner})));
  EXPECT_FALSE(apply(transfer(3, {next})));
}

TEST_F(AccountUpdateTest, FeeDelegatedUpdateWithRatio) {
  const PrivateKey payer = key(40);
  fund(payer.address(), 1'000'000'000);
  Transaction t = test::klaytn_tx(TxType::kFeeDelegatedAccountUpdateWithRatio, me, 0, 100000, 10);
  t.key = AccountKey::public_key(key(10).public_key());
  t.fee_payer = payer.address();
  t.fee_ratio = 40;
  test::sign(t, {owner}, {payer});
  auto r = must(apply(t));
  EXPECT_EQ(r.gas_used, 21000u + 15000u + 20000u);
  EXPECT_EQ(balance(payer.address()), uint256(1'000'000'000 - 56000 * 10 * 40 / 100));
  EXPECT_EQ(balance(me), uint256(1'000'000'000 - 56000 * 10 * 60 / 100));
}

TEST_F(AccountUpdateTest, LegacyTypeAccountFailsInExecutionButPays) {
  const PrivateKey old = key(60);
  ASSERT_OK(st->create_account(old.address(), AccountType::kLegacy));
  fund(old.address(), 1'000'000);
  Transaction t = test::klaytn_tx(TxType::kAccountUpdate, old.address(), 0, 50000, 10);
  t.key = AccountKey::public_key(key(61).public_key());
  test::sign(t, {old});
  auto r = must(apply(t));
  EXPECT_EQ(r.status, kReceiptStatusErrDefault);
  EXPECT_EQ(r.gas_used, 41000u);
  EXPECT_EQ(nonce(old.address()), 1u);
  EXPECT_EQ(balance(old.address()), uint256(1'000'000 - 41000 * 10));
  EXPECT_EQ(must(st->account_key(old.address())), AccountKey::legacy());
}

}  // namespace
}  // namespace klay::execution
