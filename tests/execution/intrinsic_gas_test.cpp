// Intrinsic gas of every type, against the reference's constants.
#include "node/execution/intrinsic_gas.h"

#include <limits>

#include "tests/execution/exec_test_util.h"

namespace klay::execution {
namespace {

using test::must;

Transaction of(TxType type, size_t payload = 0) {
  Transaction t;
  t.type = type;
  t.to = test::addr(1);
  t.data.assign(payload, 0x01);
  return t;
}

uint64_t gas_of(const Transaction& t, const ForkRules& r = ForkRules::all()) { return must(type_intrinsic_gas(t, r)); }

TEST(IntrinsicGas, ValueTransferAndFeeDelegationExtras) {
  EXPECT_EQ(gas_of(of(TxType::kValueTransfer)), 21000u);
  EXPECT_EQ(gas_of(of(TxType::kFeeDelegatedValueTransfer)), 31000u);
  EXPECT_EQ(gas_of(of(TxType::kFeeDelegatedValueTransferWithRatio)), 36000u);
}

TEST(IntrinsicGas, MemoAndAnchoringPayFlatHundredPerByte) {
  // Zero and non-zero bytes cost the same for Klaytn types, before and after Istanbul.
  Transaction memo = of(TxType::kValueTransferMemo, 10);
  memo.data[3] = 0;
  EXPECT_EQ(gas_of(memo), 21000u + 1000u);
  EXPECT_EQ(gas_of(memo, ForkRules{}), 21000u + 1000u);
  EXPECT_EQ(gas_of(of(TxType::kFeeDelegatedValueTransferMemo, 7)), 31000u + 700u);
  EXPECT_EQ(gas_of(of(TxType::kFeeDelegatedValueTransferMemoWithRatio, 7)), 36000u + 700u);
  EXPECT_EQ(gas_of(of(TxType::kChainDataAnchoring, 100)), 21000u + 10000u);
  EXPECT_EQ(gas_of(of(TxType::kFeeDelegatedChainDataAnchoring, 1)), 31100u);
  EXPECT_EQ(gas_of(of(TxType::kFeeDelegatedChainDataAnchoringWithRatio, 0)), 36000u);
}

TEST(IntrinsicGas, CancelAndSmartContractTypes) {
  EXPECT_EQ(gas_of(of(TxType::kCancel)), 21000u);
  EXPECT_EQ(gas_of(of(TxType::kFeeDelegatedCancel)), 31000u);
  EXPECT_EQ(gas_of(of(TxType::kFeeDelegatedCancelWithRatio)), 36000u);
  EXPECT_EQ(gas_of(of(TxType::kSmartContractExecution, 4)), 21400u);
  // Deploy: 53000 + 100/byte + (Shanghai) 2 per 32-byte word.
  EXPECT_EQ(gas_of(of(TxType::kSmartContractDeploy, 33), ForkRules{}), 53000u + 3300u);
  EXPECT_EQ(gas_of(of(TxType::kSmartContractDeploy, 33)), 53000u + 3300u + 4u);
  Transaction hr = of(TxType::kFeeDelegatedSmartContractDeployWithRatio, 0);
  hr.human_readable = true;
  EXPECT_EQ(gas_of(hr), 53000u + 15000u + 4000000000u);
  EXPECT_EQ(type_intrinsic_gas(of(TxType::kAccountCreation), ForkRules::all()).status().code(),
            Status::Code::kNotSupported);
}

TEST(IntrinsicGas, AccountUpdatePaysPerNewKey) {
  const PublicKey a = test::key(1).public_key(), b = test::key(2).public_key(), c = test::key(3).public_key();
  Transaction t = of(TxType::kAccountUpdate);
  t.key = AccountKey::legacy();
  EXPECT_EQ(gas_of(t), 21000u);
  t.key = AccountKey::fail();
  EXPECT_EQ(gas_of(t), 21000u);
  t.key = AccountKey::public_key(a);
  EXPECT_EQ(gas_of(t), 41000u);
  t.key = AccountKey::weighted_multisig(2, {{1, a}, {1, b}, {1, c}});
  EXPECT_EQ(gas_of(t), 21000u + 60000u);
  t.key = AccountKey::role_based({AccountKey::public_key(a), AccountKey::weighted_multisig(1, {{1, b}, {1, c}}),
                                  AccountKey::nil()});
  EXPECT_EQ(gas_of(t), 21000u + 20000u + 40000u);
  t.type = TxType::kFeeDelegatedAccountUpdate;
  EXPECT_EQ(gas_of(t), 31000u + 60000u);
  t.type = TxType::kFeeDelegatedAccountUpdateWithRatio;
  EXPECT_EQ(gas_of(t), 36000u + 60000u);

  std::vector<AccountKey::Weighted> eleven;
  for (uint64_t i = 1; i <= 11; ++i) eleven.push_back({1, test::key(i).public_key()});
  t.key = AccountKey::weighted_multisig(1, eleven);
  auto r = type_intrinsic_gas(t, ForkRules::all());
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("exceeds the limit"), std::string::npos);
}

TEST(IntrinsicGas, EthereumTypesFollowIstanbulAndAccessLists) {
  Transaction t;
  t.type = TxType::kLegacy;
  t.to = test::addr(1);
  t.data = {0, 0, 1, 2};
  EXPECT_EQ(gas_of(t), 21000u + 400u);                  // Istanbul: flat 100 per byte
  EXPECT_EQ(gas_of(t, ForkRules{}), 21000u + 2 * 68u + 2 * 4u);  // before: 68 non-zero, 4 zero
  t.to.reset();
  EXPECT_EQ(gas_of(t), 53000u + 400u + 2u);  // creation with init-code word gas
  t.to = test::addr(1);
  t.type = TxType::kEthereumAccessList;
  t.access_list = {AccessTuple{test::addr(2), {Hash{}, Hash{}}}, AccessTuple{test::addr(3), {}}};
  EXPECT_EQ(gas_of(t), 21000u + 400u + 2 * 2400u + 2 * 1900u);
  t.type = TxType::kEthereumDynamicFee;
  EXPECT_EQ(gas_of(t), 21000u + 400u + 2 * 2400u + 2 * 1900u);
}

TEST(IntrinsicGas, SignatureValidationGas) {
  const PublicKey a = test::key(1).public_key(), b = test::key(2).public_key(), c = test::key(3).public_key();
  const AccountKey multi = AccountKey::weighted_multisig(2, {{1, a}, {1, b}, {1, c}});
  const ForkRules istanbul = ForkRules::all();
  EXPECT_EQ(must(sig_validation_gas(AccountKey::legacy(), KeyRole::kTransaction, 1, istanbul)), 0u);
  EXPECT_EQ(must(sig_validation_gas(AccountKey::public_key(a), KeyRole::kTransaction, 1, istanbul)), 0u);
  // From Istanbul on: per signature beyond the first; before: per key beyond the first.
  EXPECT_EQ(must(sig_validation_gas(multi, KeyRole::kTransaction, 2, istanbul)), 15000u);
  EXPECT_EQ(must(sig_validation_gas(multi, KeyRole::kTransaction, 2, ForkRules{})), 30000u);
  // Role-based: the role's key; a missing role falls back to the transaction key.
  const AccountKey roles = AccountKey::role_based({multi, AccountKey::public_key(a)});
  EXPECT_EQ(must(sig_validation_gas(roles, KeyRole::kTransaction, 3, istanbul)), 30000u);
  EXPECT_EQ(must(sig_validation_gas(roles, KeyRole::kAccountUpdate, 3, istanbul)), 0u);
  EXPECT_EQ(must(sig_validation_gas(roles, KeyRole::kFeePayer, 3, istanbul)), 30000u);
}

TEST(IntrinsicGas, OverflowAndTooLowErrors) {
  EXPECT_FALSE(add_gas(std::numeric_limits<uint64_t>::max(), 1));
  EXPECT_FALSE(mul_gas(std::numeric_limits<uint64_t>::max() / 2, 3));
  EXPECT_EQ(must(mul_gas(0, std::numeric_limits<uint64_t>::max())), 0u);
  EXPECT_FALSE(payload_gas(std::numeric_limits<uint64_t>::max() - 50, Bytes(1, 1), false, ForkRules::all()));
  EXPECT_TRUE(check_intrinsic_gas(21000, 21000).is_ok());
  Status s = check_intrinsic_gas(20999, 21000);
  EXPECT_EQ(s.message(), "intrinsic gas too low: gas limit 20999 is below the intrinsic gas 21000");
}

}  // namespace
}  // namespace klay::execution
