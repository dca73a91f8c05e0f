// Fee delegation: who pays, exact ratio splits (including the refund's
// rounding), fee payer key roles and fee payer errors.
#include "node/execution/state_transition.h"

#include "tests/execution/exec_test_util.h"

namespace klay::execution {
namespace {

using test::addr;
using test::key;
using test::must;

struct FeeDelegationTest : test::StateFixture {
  const PrivateKey sender = key(1);
  const PrivateKey payer = key(2);
  const Address bob = addr(3);
  static constexpr uint64_t kFunds = 10'000'000;
  void SetUp() override {
    StateFixture::SetUp();
    fund(sender.address(), kFunds);
    fund(payer.address(), kFunds);
  }
  Transaction fd(TxType type, uint64_t nonce, uint64_t gas, uint64_t price, uint8_t ratio = 0) {
    Transaction t = test::klaytn_tx(type, sender.address(), nonce, gas, price);
    t.fee_payer = payer.address();
    t.fee_ratio = ratio;
    return t;
  }
};

TEST_F(FeeDelegationTest, FeePayerPaysEverything) {
  Transaction t = fd(TxType::kFeeDelegatedValueTransfer, 0, 40000, 25);
  t.to = bob;
  t.value = uint256(100);
  test::sign(t, {sender}, {payer});
  auto r = must(apply(t));
  EXPECT_EQ(r.gas_used, 31000u);
  EXPECT_EQ(balance(sender.address()), uint256(kFunds - 100));
  EXPECT_EQ(balance(payer.address()), uint256(kFunds - 31000 * 25));
  EXPECT_EQ(balance(bob), uint256(100));
  EXPECT_EQ(nonce(sender.address()), 1u);
  EXPECT_EQ(nonce(payer.address()), 0u);
}

TEST_F(FeeDelegationTest, RatioSplitIsExactIncludingRefundRounding) {
  Transaction t = fd(TxType::kFeeDelegatedValueTransferWithRatio, 0, 50001, 7, 33);
  t.to = bob;
  t.value = uint256(1);
  test::sign(t, {sender}, {payer});
  auto r = must(apply(t));
  EXPECT_EQ(r.gas_used, 36000u);
  // Bought: 350007 → payer 115502, sender 234505. Refund of 14001 × 7 = 98007
  // → payer 32342, sender 65665. Net: payer 83160, sender 168840 (sum 252000).
  EXPECT_EQ(balance(payer.address()), uint256(kFunds - 83160));
  EXPECT_EQ(balance(sender.address()), uint256(kFunds - 1 - 168840));
  EXPECT_EQ(balance(env.rewardbase), uint256(36000 * 7));
}

TEST_F(FeeDelegationTest, RatioTypesOfEveryKind) {
  Transaction memo = fd(TxType::kFeeDelegatedValueTransferMemoWithRatio, 0, 36200, 10, 50);
  memo.to = bob;
  memo.data = {1, 2};
  test::sign(memo, {sender}, {payer});
  EXPECT_EQ(must(apply(memo)).gas_used, 36200u);
  Transaction cancel = fd(TxType::kFeeDelegatedCancelWithRatio, 1, 36000, 10, 10);
  test::sign(cancel, {sender}, {payer});
  EXPECT_EQ(must(apply(cancel)).gas_used, 36000u);
  Transaction anchor = fd(TxType::kFeeDelegatedChainDataAnchoring, 2, 40000, 10);
  anchor.data = Bytes(10, 7);
  test::sign(anchor, {sender}, {payer});
  EXPECT_EQ(must(apply(anchor)).gas_used, 32000u);
  // payer: 36200*10/2 + 36000*10*10/100 + 32000*10
  EXPECT_EQ(balance(payer.address()), uint256(kFunds - 181000 - 36000 - 320000));
  EXPECT_EQ(balance(sender.address()), uint256(kFunds - 181000 - 324000));
  EXPECT_EQ(nonce(sender.address()), 3u);
}

TEST_F(FeeDelegationTest, FeePayerErrors) {
  // Not enough on the fee payer.
  const PrivateKey poor = key(9);
  fund(poor.address(), 100);
  Transaction t = fd(TxType::kFeeDelegatedValueTransfer, 0, 31000, 25);
  t.to = bob;
  t.fee_payer = poor.address();
  test::sign(t, {sender}, {poor});
  Status s = apply(t).status();
  EXPECT_NE(s.message().find("insufficient fee payer's balance"), std::string::npos) << s.message();

  // Ratio: the sender's share must be covered by the sender.
  const PrivateKey broke = key(10);
  fund(broke.address(), 10);
  Transaction r = test::klaytn_tx(TxType::kFeeDelegatedCancelWithRatio, broke.address(), 0, 36000, 25);
  r.fee_payer = payer.address();
  r.fee_ratio = 99;
  test::sign(r, {broke}, {payer});
  s = apply(r).status();
  EXPECT_NE(s.message().find("insufficient balance for gas"), std::string::npos) << s.message();
  EXPECT_EQ(balance(payer.address()), uint256(kFunds));

  // Ratio out of range.
  Transaction bad = fd(TxType::kFeeDelegatedCancelWithRatio, 0, 36000, 25, 100);
  test::sign(bad, {sender}, {payer});
  EXPECT_NE(apply(bad).status().message().find("fee ratio is out of range"), std::string::npos);

  // Fee payer signature by someone else.
  Transaction wrong = fd(TxType::kFeeDelegatedCancel, 0, 31000, 25);
  test::sign(wrong, {sender}, {key(11)});
  s = apply(wrong).status();
  EXPECT_NE(s.message().find("invalid fee payer"), std::string::npos) << s.message();
  EXPECT_EQ(nonce(sender.address()), 0u);
}

TEST_F(FeeDelegationTest, FeePayerRoleOfRoleBasedKey) {
  const PrivateKey fee_key = key(20);
  ASSERT_OK(st->set_account_key(payer.address(),
                                AccountKey::role_based({AccountKey::legacy(), AccountKey::legacy(),
                                                        AccountKey::public_key(fee_key.public_key())})));
  Transaction t = fd(TxType::kFeeDelegatedCancel, 0, 31000, 25);
  test::sign(t, {sender}, {payer});  // the payer's own key is not its fee-payer key
  EXPECT_FALSE(apply(t));
  test::sign(t, {sender}, {fee_key});
  auto r = must(apply(t));
  EXPECT_EQ(r.gas_used, 31000u);
  EXPECT_EQ(balance(payer.address()), uint256(kFunds - 31000 * 25));
}

TEST_F(FeeDelegationTest, MultisigFeePayerPaysValidationGas) {
  ASSERT_OK(st->set_account_key(payer.address(),
                                AccountKey::weighted_multisig(2, {{1, key(30).public_key()},
                                                                  {1, key(31).public_key()},
                                                                  {1, key(32).public_key()}})));
  Transaction t = fd(TxType::kFeeDelegatedCancel, 0, 60000, 10);
  test::sign(t, {sender}, {key(30)});
  EXPECT_FALSE(apply(t));  // weight 1 < 2
  test::sign(t, {sender}, {key(30), key(32)});
  auto r = must(apply(t));
  EXPECT_EQ(r.gas_used, 31000u + 15000u);  // one signature beyond the first
  EXPECT_EQ(balance(payer.address()), uint256(kFunds - 46000 * 10));
}

TEST_F(FeeDelegationTest, SplitFee) {
  EXPECT_EQ(split_fee(30, uint256(100)).fee_payer, uint256(30));
  EXPECT_EQ(split_fee(30, uint256(100)).sender, uint256(70));
  EXPECT_EQ(split_fee(33, uint256(10)).fee_payer, uint256(3));
  EXPECT_EQ(split_fee(33, uint256(10)).sender, uint256(7));
  EXPECT_EQ(split_fee(99, uint256(1)).fee_payer, uint256(0));
}

}  // namespace
}  // namespace klay::execution
