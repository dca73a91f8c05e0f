// apply_transaction for the non-delegated types: balances, nonces, fees and
// the errors that make a transaction non-includable.
#include "node/execution/state_transition.h"

#include "tests/execution/exec_test_util.h"

namespace klay::execution {
namespace {

using test::addr;
using test::key;
using test::must;

struct StateTransitionTest : test::StateFixture {
  const PrivateKey alice = key(1);
  const Address bob = addr(2);
  void SetUp() override {
    StateFixture::SetUp();
    fund(alice.address(), 1'000'000'000);
  }
  // Applies and expects the state root to be unchanged by a rejected txn.
  Status rejected(const Transaction& t) {
    const Hash before = must(st->intermediate_root());
    auto r = apply(t);
    EXPECT_FALSE(r.has_value());
    EXPECT_EQ(must(st->intermediate_root()), before) << "a rejected transaction changed the state";
    return r.status();
  }
};

TEST_F(StateTransitionTest, ValueTransferMovesValueAndPaysFee) {
  auto r = must(apply(test::value_transfer(alice, bob, 1000, 0, 30000)));
  EXPECT_EQ(r.status, kReceiptStatusSuccessful);
  EXPECT_EQ(r.gas_used, 21000u);
  EXPECT_TRUE(r.logs.empty());
  EXPECT_EQ(r.bloom, Bloom{});
  EXPECT_EQ(balance(bob), uint256(1000));
  EXPECT_EQ(balance(alice.address()), uint256(1'000'000'000 - 1000 - 21000 * 25));
  EXPECT_EQ(nonce(alice.address()), 1u);
  // Before Magma, without deferred fees: the proposer (here the rewardbase) gets the whole fee.
  EXPECT_EQ(balance(env.rewardbase), uint256(21000 * 25));
  EXPECT_EQ(r.tx_hash, tx_hash(test::value_transfer(alice, bob, 1000, 0, 30000)));
}

TEST_F(StateTransitionTest, ProposerReceivesFeesBeforeMagma) {
  env.proposer = addr(77);
  ASSERT_TRUE(apply(test::value_transfer(alice, bob, 1, 0)));
  EXPECT_EQ(balance(addr(77)), uint256(21000 * 25));
  EXPECT_EQ(balance(env.rewardbase), uint256(0));
}

TEST_F(StateTransitionTest, ZeroValueToAbsentAccountCreatesNothing) {
  ASSERT_TRUE(apply(test::value_transfer(alice, bob, 0, 0)));
  EXPECT_FALSE(must(st->exists(bob)));
  EXPECT_EQ(nonce(alice.address()), 1u);
}

TEST_F(StateTransitionTest, MemoCancelAndAnchoring) {
  Transaction memo = test::klaytn_tx(TxType::kValueTransferMemo, alice.address(), 0);
  memo.to = bob;
  memo.value = uint256(5);
  memo.data = to_bytes("hello");
  test::sign(memo, {alice});
  auto r = must(apply(memo));
  EXPECT_EQ(r.gas_used, 21000u + 500u);
  EXPECT_EQ(balance(bob), uint256(5));

  Transaction cancel = test::klaytn_tx(TxType::kCancel, alice.address(), 1);
  test::sign(cancel, {alice});
  const uint256 before = balance(alice.address());
  r = must(apply(cancel));
  EXPECT_EQ(r.gas_used, 21000u);
  EXPECT_EQ(balance(alice.address()), before - uint256(21000 * 25));
  EXPECT_EQ(nonce(alice.address()), 2u);

  Transaction anchor = test::klaytn_tx(TxType::kChainDataAnchoring, alice.address(), 2);
  anchor.data = Bytes(40, 0xab);
  test::sign(anchor, {alice});
  r = must(apply(anchor));
  EXPECT_EQ(r.gas_used, 21000u + 4000u);
  EXPECT_EQ(nonce(alice.address()), 3u);
  EXPECT_EQ(balance(alice.address()), before - uint256((21000 + 25000) * 25));
}

TEST_F(StateTransitionTest, LegacyEip155AndUnprotected) {
  Transaction t;
  t.type = TxType::kLegacy;
  t.nonce = 0;
  t.gas_price = uint256(25);
  t.gas = 50000;
  t.to = bob;
  t.value = uint256(7);
  t.data = {0, 1};
  test::sign(t, {alice});
  EXPECT_EQ(tx_chain_id(t), uint256(test::kChainId));
  auto r = must(apply(t));
  EXPECT_EQ(r.gas_used, 21000u + 200u);
  EXPECT_EQ(balance(bob), uint256(7));

  // Pre-EIP-155 (v = 27/28) is accepted too: a v of 27/28 selects the unprotected signing hash.
  Transaction u = t;
  u.nonce = 1;
  u.signatures = {TxSignature{uint256(27), uint256(1), uint256(1)}};
  const Signature s = alice.sign(signing_hash(u, uint256(test::kChainId)));
  u.signatures[0] = TxSignature{uint256(27 + s.recid), s.r, s.s};
  EXPECT_EQ(tx_chain_id(u), uint256(0));
  ASSERT_TRUE(apply(u));
  EXPECT_EQ(balance(bob), uint256(14));
}

TEST_F(StateTransitionTest, EthereumSenderWithNonLegacyKeyIsRejected) {
  ASSERT_OK(st->set_account_key(alice.address(), AccountKey::public_key(alice.public_key())));
  Transaction t;
  t.type = TxType::kLegacy;
  t.gas_price = uint256(25);
  t.gas = 21000;
  t.to = bob;
  test::sign(t, {alice});
  Status s = rejected(t);
  EXPECT_NE(s.message().find("legacy account key"), std::string::npos) << s.message();
}

TEST_F(StateTransitionTest, DynamicFeeWithBaseFeePaysBaseFeeAndBurnsHalf) {
  cfg = test::config(/*magma=*/true);
  env.base_fee = uint256(30);
  Transaction t;
  t.type = TxType::kEthereumDynamicFee;
  t.gas = 40000;
  t.gas_fee_cap = uint256(100);
  t.gas_tip_cap = uint256(5);
  t.to = bob;
  t.value = uint256(9);
  t.access_list = {AccessTuple{addr(3), {Hash{}}}};
  test::sign(t, {alice});
  auto r = must(apply(t));
  const uint64_t gas = 21000 + 2400 + 1900;
  EXPECT_EQ(r.gas_used, gas);
  EXPECT_EQ(balance(alice.address()), uint256(1'000'000'000 - 9 - gas * 30));
  EXPECT_EQ(balance(env.rewardbase), uint256(gas * 30 / 2));

  // Odd fee: the rewardbase gets the rounded-down half.
  env.base_fee = uint256(31);
  Transaction a;
  a.type = TxType::kEthereumAccessList;
  a.nonce = 1;
  a.gas = 21001;
  a.gas_price = uint256(1);  // ignored in favour of the base fee
  a.to = bob;
  test::sign(a, {alice});
  ASSERT_TRUE(apply(a));
  EXPECT_EQ(balance(env.rewardbase), uint256(gas * 30 / 2 + (21000 * 31) / 2));
}

TEST_F(StateTransitionTest, DynamicFeeBeforeMagmaPaysFeeCap) {
  Transaction t;
  t.type = TxType::kEthereumDynamicFee;
  t.gas = 21000;
  t.gas_fee_cap = uint256(40);
  t.gas_tip_cap = uint256(1);
  t.to = bob;
  test::sign(t, {alice});
  ASSERT_TRUE(apply(t));
  EXPECT_EQ(balance(alice.address()), uint256(1'000'000'000 - 21000 * 40));
}

TEST_F(StateTransitionTest, TypedTransactionsNeedTheEthTxTypeFork) {
  cfg.eth_tx_type_compatible_block = uint256(5);
  Transaction t;
  t.type = TxType::kEthereumAccessList;
  t.gas = 21000;
  t.gas_price = uint256(25);
  t.to = bob;
  test::sign(t, {alice});
  Status s = rejected(t);
  EXPECT_NE(s.message().find("EthTxType"), std::string::npos);
}

TEST_F(StateTransitionTest, InsufficientFundsForGasOrValue) {
  const PrivateKey poor = key(50);
  fund(poor.address(), 21000 * 25 - 1);
  Status s = rejected(test::value_transfer(poor, bob, 0, 0));
  EXPECT_NE(s.message().find("insufficient balance for gas"), std::string::npos) << s.message();

  fund(poor.address(), 1);  // now exactly the fee
  s = rejected(test::value_transfer(poor, bob, 1, 0));
  EXPECT_NE(s.message().find("insufficient balance for transfer"), std::string::npos) << s.message();
  ASSERT_TRUE(apply(test::value_transfer(poor, bob, 0, 0)));
  EXPECT_EQ(balance(poor.address()), uint256(0));
}

TEST_F(StateTransitionTest, NonceGapsAndReplays) {
  Status s = rejected(test::value_transfer(alice, bob, 1, 1));
  EXPECT_NE(s.message().find("nonce too high"), std::string::npos);
  ASSERT_TRUE(apply(test::value_transfer(alice, bob, 1, 0)));
  s = rejected(test::value_transfer(alice, bob, 1, 0));
  EXPECT_NE(s.message().find("nonce too low"), std::string::npos);
}

TEST_F(StateTransitionTest, IntrinsicGasTooLow) {
  Status s = rejected(test::value_transfer(alice, bob, 1, 0, 20999));
  EXPECT_NE(s.message().find("intrinsic gas too low"), std::string::npos) << s.message();
  EXPECT_EQ(nonce(alice.address()), 0u);
}

TEST_F(StateTransitionTest, UnusedGasIsRefunded) {
  ASSERT_TRUE(apply(test::value_transfer(alice, bob, 0, 0, 1'000'000)));
  EXPECT_EQ(balance(alice.address()), uint256(1'000'000'000 - 21000 * 25));
}

TEST_F(StateTransitionTest, BlockGasCap) {
  env.gas_limit = 50000;
  Status s = apply(test::value_transfer(alice, bob, 0, 0, 21000), 30000).status();
  EXPECT_NE(s.message().find("gas limit reached"), std::string::npos);
  EXPECT_TRUE(apply(test::value_transfer(alice, bob, 0, 0, 21000), 29000));
}

TEST_F(StateTransitionTest, EvmTransactionsAreNotSupported) {
  Transaction create;
  create.type = TxType::kLegacy;
  create.gas = 100000;
  create.gas_price = uint256(25);
  create.data = {0x60, 0x00};
  test::sign(create, {alice});
  Status s = rejected(create);
  EXPECT_EQ(s.code(), Status::Code::kNotSupported);
  EXPECT_NE(s.message().find("EVM not supported yet"), std::string::npos);

  Transaction deploy = test::klaytn_tx(TxType::kSmartContractDeploy, alice.address(), 0);
  deploy.data = {0x60};
  test::sign(deploy, {alice});
  EXPECT_EQ(rejected(deploy).code(), Status::Code::kNotSupported);

  // A contract holding code.
  const Address contract = addr(99);
  ASSERT_OK(st->set_code(contract, Bytes{0x60, 0x00}, 0));
  ASSERT_OK(st->finalise());
  Transaction call;
  call.type = TxType::kLegacy;
  call.gas = 100000;
  call.gas_price = uint256(25);
  call.to = contract;
  test::sign(call, {alice});
  s = rejected(call);
  EXPECT_EQ(s.code(), Status::Code::kNotSupported);

  Transaction exec = test::klaytn_tx(TxType::kSmartContractExecution, alice.address(), 0);
  exec.to = contract;
  test::sign(exec, {alice});
  EXPECT_EQ(rejected(exec).code(), Status::Code::kNotSupported);

  // Klaytn value transfers to a program account are refused outright.
  s = rejected(test::value_transfer(alice, contract, 1, 0));
  EXPECT_NE(s.message().find("cannot be sent to contract addresses"), std::string::npos);
}

TEST_F(StateTransitionTest, PrecompiledRecipientsAreRefused) {
  Address pre;
  pre.bytes[19] = 0x09;
  EXPECT_TRUE(is_precompiled_address(pre));
  pre.bytes[18] = 0x03;
  pre.bytes[19] = 0xff;
  EXPECT_TRUE(is_precompiled_address(pre));
  EXPECT_FALSE(is_precompiled_address(Address{}));
  pre.bytes[18] = 0x04;
  pre.bytes[19] = 0x00;
  EXPECT_FALSE(is_precompiled_address(pre));
  Address one;
  one.bytes[19] = 1;
  Status s = rejected(test::value_transfer(alice, one, 1, 0));
  EXPECT_NE(s.message().find("pre-compiled"), std::string::npos);
}

TEST_F(StateTransitionTest, WrongSignerIsRejected) {
  Transaction t = test::value_transfer(alice, bob, 1, 0);
  test::sign(t, {key(2)});  // from stays alice
  Status s = rejected(t);
  EXPECT_NE(s.message().find("invalid sender"), std::string::npos) << s.message();
  // The Address overload checks the claimed sender.
  Transaction good = test::value_transfer(alice, bob, 1, 0);
  EXPECT_FALSE(apply_transaction(*st, env, good, key(2).address(), 0));
  EXPECT_TRUE(apply_transaction(*st, env, good, alice.address(), 0));
}

TEST_F(StateTransitionTest, DeferredFeesAreLeftForTheBlockReward) {
  cfg.governance = GovernanceConfig{};
  cfg.governance->reward = RewardConfig{};
  cfg.governance->reward->deferred_tx_fee = true;
  ASSERT_TRUE(apply(test::value_transfer(alice, bob, 1, 0)));
  EXPECT_EQ(balance(env.rewardbase), uint256(0));
  EXPECT_EQ(balance(alice.address()), uint256(1'000'000'000 - 1 - 21000 * 25));
}

}  // namespace
}  // namespace klay::execution
