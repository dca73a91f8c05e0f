// Account-key validation of recovered signers and of new keys.
#include "node/execution/key_validation.h"

#include "tests/execution/exec_test_util.h"

namespace klay::execution {
namespace {

using test::key;
using test::must;

const ForkRules kIstanbul = ForkRules::all();
const ForkRules kBefore = ForkRules{};

std::vector<PublicKey> pubs(std::initializer_list<uint64_t> seeds) {
  std::vector<PublicKey> out;
  for (auto s : seeds) out.push_back(key(s).public_key());
  return out;
}

bool ok(const AccountKey& k, const Address& from, const std::vector<PublicKey>& rec,
        KeyRole role = KeyRole::kTransaction, const ForkRules& r = kIstanbul) {
  return validate_account_key(k, from, rec, role, r).is_ok();
}

AccountKey multisig(uint64_t threshold, std::initializer_list<std::pair<uint64_t, uint64_t>> seed_weight) {
  std::vector<AccountKey::Weighted> keys;
  for (auto [s, w] : seed_weight) keys.push_back({w, key(s).public_key()});
  return AccountKey::weighted_multisig(threshold, keys);
}

TEST(KeyValidation, LegacyKeyNeedsTheAddressOwner) {
  const Address from = key(1).address();
  EXPECT_TRUE(ok(AccountKey::legacy(), from, pubs({1})));
  EXPECT_FALSE(ok(AccountKey::legacy(), from, pubs({2})));
  EXPECT_FALSE(ok(AccountKey::legacy(), from, pubs({1, 1})));
  EXPECT_FALSE(ok(AccountKey::legacy(), from, {}));
}

TEST(KeyValidation, PublicFailAndNilKeys) {
  const Address from = test::addr(9);  // decoupled from the key
  const AccountKey pub = AccountKey::public_key(key(3).public_key());
  EXPECT_TRUE(ok(pub, from, pubs({3})));
  EXPECT_FALSE(ok(pub, from, pubs({4})));
  EXPECT_FALSE(ok(pub, from, pubs({3, 3})));
  EXPECT_FALSE(ok(AccountKey::fail(), key(1).address(), pubs({1})));
  EXPECT_FALSE(ok(AccountKey::nil(), key(1).address(), pubs({1})));
}

TEST(KeyValidation, WeightedMultisigThreshold) {
  const Address from = test::addr(9);
  const AccountKey k = multisig(3, {{1, 1}, {2, 1}, {3, 2}});
  EXPECT_TRUE(ok(k, from, pubs({3, 1})));     // 2 + 1
  EXPECT_TRUE(ok(k, from, pubs({1, 2, 3})));  // 4
  EXPECT_FALSE(ok(k, from, pubs({1, 2})));    // 2 < 3
  EXPECT_FALSE(ok(k, from, pubs({3})));       // 2 < 3
  // Duplicate signatures by one key count once.
  EXPECT_FALSE(ok(k, from, pubs({1, 1, 1})));
  // From Istanbul on a foreign signer invalidates the set; before, it is ignored.
  EXPECT_FALSE(ok(k, from, pubs({3, 1, 9})));
  EXPECT_TRUE(ok(k, from, pubs({3, 1, 9}), KeyRole::kTransaction, kBefore));
  // From Istanbul on, more signatures than keys fail.
  EXPECT_FALSE(ok(k, from, pubs({1, 2, 3, 3})));
  EXPECT_TRUE(ok(k, from, pubs({1, 2, 3, 3}), KeyRole::kTransaction, kBefore));
}

TEST(KeyValidation, RoleBasedPicksTheRoleAndFallsBack) {
  const Address from = test::addr(9);
  const AccountKey full = AccountKey::role_based({AccountKey::public_key(key(1).public_key()),
                                                  AccountKey::public_key(key(2).public_key()),
                                                  AccountKey::public_key(key(3).public_key())});
  EXPECT_TRUE(ok(full, from, pubs({1}), KeyRole::kTransaction));
  EXPECT_FALSE(ok(full, from, pubs({2}), KeyRole::kTransaction));
  EXPECT_TRUE(ok(full, from, pubs({2}), KeyRole::kAccountUpdate));
  EXPECT_FALSE(ok(full, from, pubs({1}), KeyRole::kAccountUpdate));
  EXPECT_TRUE(ok(full, from, pubs({3}), KeyRole::kFeePayer));
  // One role only: every role uses the transaction key.
  const AccountKey one = AccountKey::role_based({AccountKey::public_key(key(5).public_key())});
  EXPECT_TRUE(ok(one, from, pubs({5}), KeyRole::kAccountUpdate));
  EXPECT_TRUE(ok(one, from, pubs({5}), KeyRole::kFeePayer));
  EXPECT_FALSE(ok(one, from, pubs({6}), KeyRole::kFeePayer));
  // A legacy role checks the address.
  const AccountKey legacy_role = AccountKey::role_based({AccountKey::legacy(), AccountKey::fail()});
  EXPECT_TRUE(ok(legacy_role, key(7).address(), pubs({7}), KeyRole::kTransaction));
  EXPECT_FALSE(ok(legacy_role, key(7).address(), pubs({7}), KeyRole::kAccountUpdate));
  EXPECT_EQ(validation_role(TxType::kFeeDelegatedAccountUpdateWithRatio), KeyRole::kAccountUpdate);
  EXPECT_EQ(validation_role(TxType::kValueTransfer), KeyRole::kTransaction);
}

TEST(KeyValidation, EthereumSenderNeedsLegacyKey) {
  EXPECT_TRUE(check_ethereum_sender_key(AccountKey::legacy()).is_ok());
  EXPECT_FALSE(check_ethereum_sender_key(AccountKey::public_key(key(1).public_key())).is_ok());
  EXPECT_FALSE(check_ethereum_sender_key(AccountKey::nil()).is_ok());
  EXPECT_FALSE(check_ethereum_sender_key(AccountKey::fail()).is_ok());
}

TEST(KeyValidation, InstallableMultisig) {
  EXPECT_TRUE(check_installable(multisig(2, {{1, 1}, {2, 1}})).is_ok());
  EXPECT_FALSE(check_installable(multisig(3, {{1, 1}, {2, 1}})).is_ok());  // unreachable threshold
  EXPECT_FALSE(check_installable(multisig(1, {{1, 1}, {1, 1}})).is_ok());  // duplicate
  EXPECT_FALSE(check_installable(multisig(1, {{1, 0}, {2, 1}})).is_ok());  // zero weight
  EXPECT_FALSE(check_installable(AccountKey::weighted_multisig(0, {})).is_ok());
  EXPECT_FALSE(check_installable(multisig(1, {{1, ~uint64_t{0}}, {2, 2}})).is_ok());  // overflow
  std::vector<AccountKey::Weighted> eleven;
  for (uint64_t i = 1; i <= 11; ++i) eleven.push_back({1, key(i).public_key()});
  EXPECT_FALSE(check_installable(AccountKey::weighted_multisig(1, eleven)).is_ok());
  EXPECT_FALSE(check_installable(AccountKey::nil()).is_ok());
  EXPECT_TRUE(check_installable(AccountKey::fail()).is_ok());
}

TEST(KeyValidation, InstallableRoleBased) {
  const AccountKey pub = AccountKey::public_key(key(1).public_key());
  EXPECT_TRUE(check_installable(AccountKey::role_based({pub})).is_ok());
  EXPECT_FALSE(check_installable(AccountKey::role_based({})).is_ok());
  EXPECT_FALSE(check_installable(AccountKey::role_based({pub, pub, pub, pub})).is_ok());
  EXPECT_FALSE(check_installable(AccountKey::role_based({pub, AccountKey::role_based({pub})})).is_ok());
  EXPECT_FALSE(check_installable(AccountKey::role_based({pub, AccountKey::nil()})).is_ok());
}

TEST(KeyValidation, ReplaceableRules) {
  const AccountKey pub1 = AccountKey::public_key(key(1).public_key());
  const AccountKey pub2 = AccountKey::public_key(key(2).public_key());
  EXPECT_TRUE(check_replaceable(AccountKey::legacy(), AccountKey::legacy()).is_ok());
  EXPECT_TRUE(check_replaceable(AccountKey::legacy(), pub1).is_ok());
  EXPECT_TRUE(check_replaceable(pub1, pub2).is_ok());
  EXPECT_TRUE(check_replaceable(pub1, AccountKey::legacy()).is_ok());
  EXPECT_FALSE(check_replaceable(AccountKey::fail(), AccountKey::fail()).is_ok());
  EXPECT_TRUE(check_replaceable(AccountKey::fail(), pub1).is_ok());
  EXPECT_FALSE(check_replaceable(pub1, AccountKey::nil()).is_ok());

  // Role-based onto role-based: nil keeps a role, extra roles must be installable.
  const AccountKey old_roles = AccountKey::role_based({pub1, AccountKey::fail()});
  EXPECT_TRUE(check_replaceable(old_roles, AccountKey::role_based({AccountKey::nil(), pub2, pub1})).is_ok());
  EXPECT_FALSE(check_replaceable(old_roles, AccountKey::role_based({pub1, AccountKey::fail()})).is_ok());  // fail→fail
  EXPECT_FALSE(check_replaceable(old_roles, AccountKey::role_based({pub1, pub2, AccountKey::nil()})).is_ok());

  const AccountKey merged = must(updated_key(old_roles, AccountKey::role_based({AccountKey::nil(), pub2, pub1})));
  EXPECT_EQ(merged, AccountKey::role_based({pub1, pub2, pub1}));
  EXPECT_EQ(must(updated_key(pub1, old_roles)), old_roles);
  EXPECT_FALSE(updated_key(AccountKey::fail(), AccountKey::fail()));
}

}  // namespace
}  // namespace klay::execution
