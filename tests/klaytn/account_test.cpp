#include "engine/klaytn/account.h"

#include <gtest/gtest.h>

#include "engine/core/keccak.h"

namespace klay {
namespace {

Bytes hex(const char* h) {
  Bytes b;
  EXPECT_TRUE(from_hex(h, b)) << h;
  return b;
}

PublicKey key_from_secret(uint8_t seed) {
  Bytes secret(32, 0);
  secret[31] = seed;
  auto k = PrivateKey::from_bytes(secret);
  EXPECT_TRUE(k);
  return k->public_key();
}

TEST(AccountKey, SimpleForms) {
  EXPECT_EQ(to_hex(AccountKey::nil().encode()), "80");
  EXPECT_EQ(to_hex(AccountKey::legacy().encode()), "01c0");
  EXPECT_EQ(to_hex(AccountKey::fail().encode()), "03c0");
  const PublicKey pk = key_from_secret(1);
  const Bytes enc = AccountKey::public_key(pk).encode();
  ASSERT_EQ(enc.size(), 1u + 1u + 33u);
  EXPECT_EQ(enc[0], 0x02);
  EXPECT_EQ(enc[1], 0xa1);  // 33-byte string
  // secp256k1 generator point G, compressed
  EXPECT_EQ(to_hex(ByteView(enc).subspan(2)),
            "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  for (const auto& k : {AccountKey::nil(), AccountKey::legacy(), AccountKey::fail(), AccountKey::public_key(pk)}) {
    auto d = AccountKey::decode(k.encode());
    ASSERT_TRUE(d) << d.status().to_string();
    EXPECT_EQ(*d, k);
  }
}

TEST(AccountKey, MultisigAndRoleBased) {
  const auto multisig = AccountKey::weighted_multisig(
      2, {{1, key_from_secret(1)}, {1, key_from_secret(2)}, {2, key_from_secret(3)}});
  const Bytes ms = multisig.encode();
  EXPECT_EQ(ms[0], 0x04);
  auto d = AccountKey::decode(ms);
  ASSERT_TRUE(d) << d.status().to_string();
  EXPECT_EQ(*d, multisig);
  EXPECT_EQ(d->threshold(), 2u);
  EXPECT_EQ(d->weighted_keys().size(), 3u);

  const auto role = AccountKey::role_based({AccountKey::public_key(key_from_secret(4)), AccountKey::nil(), multisig});
  const Bytes rb = role.encode();
  EXPECT_EQ(rb[0], 0x05);
  auto r = AccountKey::decode(rb);
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ(*r, role);
  // A nil role inside a role-based key is the one-byte serialization 0x80
  // carried as a byte string: 0x81 0x80.
  const std::string s = to_hex(rb);
  EXPECT_NE(s.find("8180"), std::string::npos);
}

TEST(AccountKey, DecodeErrors) {
  EXPECT_FALSE(AccountKey::decode(hex("06c0")));     // undefined type
  EXPECT_FALSE(AccountKey::decode(hex("01")));       // missing body
  EXPECT_FALSE(AccountKey::decode(hex("01c180")));   // legacy body not empty
  EXPECT_FALSE(AccountKey::decode(hex("01c0c0")));   // trailing item
  EXPECT_FALSE(AccountKey::decode(hex("0280")));     // public key of 0 bytes
  // 33 bytes but not a point on the curve
  EXPECT_FALSE(AccountKey::decode(hex("02a1" "02ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")));
  EXPECT_FALSE(AccountKey::decode(hex("04c3" "01" "c180")));  // multisig weighted key malformed
  EXPECT_FALSE(AccountKey::decode(hex("05c180")));   // role must be a byte string of a key
  // Deeply nested role-based keys are refused instead of recursing without bound.
  AccountKey nested = AccountKey::legacy();
  for (int i = 0; i < 40; ++i) nested = AccountKey::role_based({nested});
  EXPECT_FALSE(AccountKey::decode(nested.encode()));
}

TEST(Account, SpecEmptyEoa) {
  const Account a = Account::eoa(0, 0);
  EXPECT_EQ(to_hex(encode_account(a)), "01c580808001c0");
  auto d = decode_account(hex("01c580808001c0"));
  ASSERT_TRUE(d) << d.status().to_string();
  EXPECT_EQ(*d, a);
  EXPECT_TRUE(d->empty());
}

TEST(Account, EoaRoundTrip) {
  Account a = Account::eoa(7, *uint256::from_string("0x10000000000000000000000"));
  a.human_readable = true;
  a.key = AccountKey::role_based({AccountKey::public_key(key_from_secret(9)), AccountKey::fail()});
  const Bytes enc = encode_account(a);
  auto d = decode_account(enc);
  ASSERT_TRUE(d) << d.status().to_string();
  EXPECT_EQ(*d, a);
  EXPECT_EQ(encode_account(*d), enc);
  // The nil key writes no body at all.
  a.key = AccountKey::nil();
  a.human_readable = false;
  EXPECT_EQ(to_hex(encode_account(a)), "01" "d0" "07" "8c" "010000000000000000000000" "80" "80");
}

TEST(Account, LegacyRoundTrip) {
  Account a;
  a.type = AccountType::kLegacy;
  a.nonce = 1;
  a.balance = 2;
  a.storage_root = ExtHash::make(empty_root(), 0);
  const Bytes enc = encode_account(a);
  EXPECT_EQ(enc[0], 0xf8);  // a plain list, no type prefix
  auto d = decode_account(enc);
  ASSERT_TRUE(d) << d.status().to_string();
  EXPECT_EQ(*d, a);
}

TEST(Account, ScaExtHashForms) {
  Account a = Account::sca(1, 5, AccountKey::fail(), keccak256(as_view("code")), make_code_info(0, 0));
  // Zero-extended root: both forms write 32 bytes and are identical.
  EXPECT_EQ(encode_account(a, ExtHashMode::kPreserveExtHash), encode_account(a, ExtHashMode::kHashForm));
  const Bytes plain = encode_account(a);
  // Extended root: the storage form carries the 39-byte ExtHash, the hash form 32 bytes.
  a.storage_root = ExtHash::make(empty_root(), 0x0102030405);
  const Bytes stored = encode_account(a, ExtHashMode::kPreserveExtHash);
  const Bytes hashed = encode_account(a, ExtHashMode::kHashForm);
  EXPECT_EQ(stored.size(), hashed.size() + 7);
  EXPECT_EQ(hashed, plain);
  auto d = decode_account(stored);
  ASSERT_TRUE(d) << d.status().to_string();
  EXPECT_EQ(d->storage_root, a.storage_root);
  EXPECT_EQ(encode_account(*d, ExtHashMode::kPreserveExtHash), stored);
  // unextend: SCA values lose the counter; other values pass unchanged.
  EXPECT_EQ(unextend_account_value(stored), hashed);
  EXPECT_EQ(unextend_account_value(hex("01c580808001c0")), hex("01c580808001c0"));
  EXPECT_EQ(unextend_account_value(hex("8203e8")), hex("8203e8"));  // a storage value
  EXPECT_EQ(unextend_account_value(ByteView()), Bytes());
  Bytes out;
  EXPECT_TRUE(account_leaf_value_for_hash(stored, &out));
  EXPECT_EQ(out, hashed);
  EXPECT_FALSE(account_leaf_value_for_hash(plain, &out));
  EXPECT_FALSE(account_leaf_value_for_hash(hex("01c580808001c0"), &out));
  // codeInfo layout
  a.code_info = make_code_info(1, 0);
  EXPECT_EQ(a.code_info, 0x10);
  EXPECT_EQ(a.vm_version(), 1);
  EXPECT_EQ(a.code_format(), 0);
}

TEST(Account, DecodeErrors) {
  EXPECT_FALSE(decode_account(ByteView()));
  EXPECT_FALSE(decode_account(hex("03c0")));              // undefined type
  EXPECT_FALSE(decode_account(hex("01c580808001c000")));  // trailing byte
  EXPECT_FALSE(decode_account(hex("01c480808001")));      // missing key body
  EXPECT_FALSE(decode_account(hex("01c5808002" "01c0")));  // humanReadable 0x02 is not a boolean
  EXPECT_FALSE(decode_account(hex("01c5008080" "01c0")));  // non-canonical nonce 0x00
  EXPECT_FALSE(decode_account(hex("02c0")));               // SCA without fields
  // SCA with a 33-byte storage root: patch the 32-byte string header (0xa0) to 33.
  Account a = Account::sca(0, 0, AccountKey::fail(), empty_code_hash(), 0);
  Bytes enc = encode_account(a);
  ASSERT_TRUE(decode_account(enc));
  Bytes bad = enc;
  for (size_t i = 0; i + 33 < bad.size(); ++i)
    if (bad[i] == 0xa0 && equal(ByteView(bad).subspan(i + 1, 32), empty_root().view())) {
      bad[i] = 0xa1;
      bad.insert(bad.begin() + static_cast<long>(i) + 33, 0x00);
      bad[1] = static_cast<uint8_t>(bad[1] + 1);  // list header grows by one
      break;
    }
  EXPECT_FALSE(decode_account(bad));
}

}  // namespace
}  // namespace klay
