#include "engine/klaytn/tx.h"

#include <gtest/gtest.h>

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"

namespace klay {
namespace {

PrivateKey key(uint8_t seed) {
  Bytes secret(32, 0);
  secret[0] = 0x11;
  secret[31] = seed;
  return *PrivateKey::from_bytes(secret);
}

const uint256 kChain(1001);

void sign_sender(Transaction& tx, const PrivateKey& k, const uint256& chain = kChain) {
  const Signature s = k.sign(signing_hash(tx, chain));
  tx.signatures.push_back({eip155_v(s.recid, chain), s.r, s.s});
}

void sign_fee_payer(Transaction& tx, const PrivateKey& k, const uint256& chain = kChain) {
  const Signature s = k.sign(*fee_payer_signing_hash(tx, chain));
  tx.fee_payer_signatures.push_back({eip155_v(s.recid, chain), s.r, s.s});
}

Transaction anchoring(TxType type) {
  Transaction tx;
  tx.type = type;
  tx.nonce = 3;
  tx.gas_price = 25000000000ULL;
  tx.gas = 100000;
  tx.from = key(1).address();
  tx.data = Bytes{0xde, 0xad, 0xbe, 0xef};
  if (has_fee_ratio(type)) tx.fee_ratio = 40;
  return tx;
}

TEST(Tx, TypeTable) {
  EXPECT_EQ(to_string(TxType::kFeeDelegatedSmartContractDeployWithRatio), "FeeDelegatedSmartContractDeployWithRatio");
  const auto& deploy = klaytn_sign_fields(TxType::kFeeDelegatedSmartContractDeployWithRatio);
  ASSERT_GE(deploy.size(), 2u);
  EXPECT_EQ(deploy[deploy.size() - 2], TxField::kFeeRatio);  // before codeFormat
  EXPECT_EQ(deploy.back(), TxField::kCodeFormat);
  EXPECT_EQ(klaytn_sign_fields(TxType::kFeeDelegatedCancelWithRatio).back(), TxField::kFeeRatio);
  TxType t;
  EXPECT_FALSE(tx_type_from(0x18, &t));  // account creation: no longer decoded
  EXPECT_FALSE(tx_type_from(0x40, &t));  // batch: never defined for decoding
  EXPECT_FALSE(tx_type_from(0x0b, &t));
  EXPECT_TRUE(tx_type_from(0x4a, &t));
}

// Chain data anchoring is not in the JS SDK: sign with our own code and check
// the invariants the SDK test checks for the other types.
TEST(Tx, ChainDataAnchoringAllVariants) {
  for (TxType type : {TxType::kChainDataAnchoring, TxType::kFeeDelegatedChainDataAnchoring,
                      TxType::kFeeDelegatedChainDataAnchoringWithRatio}) {
    SCOPED_TRACE(to_string(type));
    Transaction tx = anchoring(type);
    sign_sender(tx, key(1));
    if (is_fee_delegated(type)) {
      tx.fee_payer = key(2).address();
      sign_fee_payer(tx, key(2));
    }
    const Bytes raw = encode_transaction(tx);
    EXPECT_EQ(raw[0], static_cast<uint8_t>(type));
    auto dec = decode_transaction(raw);
    ASSERT_TRUE(dec) << dec.status().to_string();
    EXPECT_EQ(*dec, tx);
    EXPECT_EQ(encode_transaction(*dec), raw);
    EXPECT_EQ(tx_hash(*dec), keccak256(raw));
    auto keys = recover_sender_keys(*dec, kChain);
    ASSERT_TRUE(keys) << keys.status().to_string();
    EXPECT_EQ(address_of(keys->front()), key(1).address());
    if (is_fee_delegated(type)) {
      auto fp = recover_fee_payer_keys(*dec, kChain);
      ASSERT_TRUE(fp) << fp.status().to_string();
      EXPECT_EQ(address_of(fp->front()), key(2).address());
      // SenderTxHash = keccak(type ++ rlp([fields..., senderSigs])): without fee payer parts.
      Transaction plain = *dec;
      plain.type = TxType::kChainDataAnchoring;
      plain.fee_ratio = 0;
      EXPECT_NE(sender_tx_hash(*dec), tx_hash(*dec));
    } else {
      EXPECT_EQ(sender_tx_hash(*dec), tx_hash(*dec));
      EXPECT_FALSE(fee_payer_signing_hash(*dec, kChain));
    }
  }
}

TEST(Tx, SigningHashLayout) {
  // keccak(rlp([rlp([type, fields...]), chainId, 0, 0])) written out by hand.
  Transaction tx = anchoring(TxType::kChainDataAnchoring);
  Bytes inner;
  rlp::encode_uint(inner, 0x48);
  rlp::encode_uint(inner, 3);
  rlp::encode_uint(inner, 25000000000ULL);
  rlp::encode_uint(inner, 100000);
  rlp::encode_string(inner, tx.from.view());
  rlp::encode_string(inner, tx.data);
  Bytes outer;
  rlp::encode_string(outer, rlp::wrap_list(inner));
  rlp::encode_uint(outer, 1001);
  outer.push_back(0x80);
  outer.push_back(0x80);
  EXPECT_EQ(signing_hash(tx, kChain), keccak256(rlp::wrap_list(outer)));
}

TEST(Tx, MultipleSenderSignatures) {
  Transaction tx = anchoring(TxType::kChainDataAnchoring);
  sign_sender(tx, key(1));
  sign_sender(tx, key(3));
  auto dec = decode_transaction(encode_transaction(tx));
  ASSERT_TRUE(dec) << dec.status().to_string();
  auto keys = recover_sender_keys(*dec, kChain);
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ(address_of((*keys)[1]), key(3).address());
  // Signatures for two different chains in one transaction are rejected at decode.
  Transaction mixed = anchoring(TxType::kChainDataAnchoring);
  sign_sender(mixed, key(1));
  sign_sender(mixed, key(3), uint256(8217));
  auto bad = decode_transaction(encode_transaction(mixed));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("different chain"), std::string::npos);
}

TEST(Tx, LegacyPreAndPostEip155) {
  Transaction tx;
  tx.type = TxType::kLegacy;
  tx.nonce = 9;
  tx.gas_price = 20;
  tx.gas = 21000;
  tx.to = key(5).address();
  tx.value = 1;
  // EIP-155
  sign_sender(tx, key(4));
  auto dec = decode_transaction(encode_transaction(tx));
  ASSERT_TRUE(dec) << dec.status().to_string();
  EXPECT_EQ(*tx_sender(*dec, kChain), key(4).address());
  EXPECT_EQ(tx_chain_id(*dec), kChain);
  // Pre-EIP-155: v = 27 + recid, hash without chain id.
  Transaction old = tx;
  old.signatures.clear();
  old.signatures.push_back({27, 1, 1});  // placeholder for signing_hash's v check
  const Signature s = key(4).sign(signing_hash(old, kChain));
  old.signatures = {{uint256(27 + s.recid), s.r, s.s}};
  auto dec_old = decode_transaction(encode_transaction(old));
  ASSERT_TRUE(dec_old) << dec_old.status().to_string();
  EXPECT_EQ(*tx_sender(*dec_old, uint256(8217)), key(4).address());  // any chain
  // Contract creation: empty "to"
  Transaction create = tx;
  create.to.reset();
  create.signatures.clear();
  sign_sender(create, key(4));
  auto dc = decode_transaction(encode_transaction(create));
  ASSERT_TRUE(dc);
  EXPECT_FALSE(dc->to);
}

TEST(Tx, EthereumEnvelopeForms) {
  Transaction tx;
  tx.type = TxType::kEthereumDynamicFee;
  tx.chain_id = kChain;
  tx.nonce = 1;
  tx.gas_tip_cap = 2;
  tx.gas_fee_cap = 3;
  tx.gas = 21000;
  tx.to = key(5).address();
  tx.access_list = {{key(6).address(), {Hash(), keccak256(as_view("x"))}}};
  const Signature s = key(4).sign(signing_hash(tx, kChain));
  tx.signatures = {{uint256(s.recid), s.r, s.s}};
  const Bytes klaytn_form = encode_transaction(tx);
  const Bytes eth_form = encode_ethereum_envelope(tx);
  EXPECT_EQ(klaytn_form[0], 0x78);
  EXPECT_EQ(klaytn_form[1], 0x02);
  EXPECT_EQ(eth_form[0], 0x02);
  auto a = decode_transaction(klaytn_form);
  auto b = decode_transaction(eth_form);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(tx_hash(*a), keccak256(eth_form));  // Ethereum hash, not of the 0x78 form
  EXPECT_EQ(*tx_sender(*a, kChain), key(4).address());
}

TEST(Tx, DecodeErrors) {
  auto expect_error = [](const Bytes& raw, const char* needle) {
    auto r = decode_transaction(raw);
    ASSERT_FALSE(r) << needle;
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
  };
  expect_error(Bytes{}, "empty");
  expect_error(Bytes{0x18, 0xc0}, "AccountCreation");
  expect_error(Bytes{0x40, 0xc0}, "undefined transaction type");
  expect_error(Bytes{0x08, 0xc0}, "missing");                 // fields absent
  expect_error(Bytes{0x08, 0xc5, 0x01}, "rlp");                // truncated
  Transaction tx = anchoring(TxType::kChainDataAnchoring);
  expect_error(encode_transaction(tx), "no sender signature");
  sign_sender(tx, key(1));
  Bytes raw = encode_transaction(tx);
  raw.push_back(0x00);
  expect_error(raw, "trailing");
  Transaction bad_v = tx;
  bad_v.signatures[0].v = 30;
  expect_error(encode_transaction(bad_v), "EIP-155");
  Transaction zero_r = tx;
  zero_r.signatures[0].r = 0;
  EXPECT_FALSE(decode_transaction(encode_transaction(zero_r)));
  // High s is accepted when decoding (as the reference does) but refused when recovering.
  Transaction high_s = tx;
  high_s.signatures[0].s = secp256k1_order() - tx.signatures[0].s;
  auto dec = decode_transaction(encode_transaction(high_s));
  ASSERT_TRUE(dec) << dec.status().to_string();
  EXPECT_FALSE(recover_sender_keys(*dec, kChain));
  // Wrong chain id.
  auto wrong = recover_sender_keys(tx, uint256(8217));
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.status().message().find("chain 1001"), std::string::npos);
  // A malformed account key inside an account update.
  Bytes upd;
  rlp::encode_uint(upd, 0x20);
  Bytes f;
  rlp::encode_uint(f, 0);
  rlp::encode_uint(f, 1);
  rlp::encode_uint(f, 1);
  rlp::encode_string(f, key(1).address().view());
  rlp::encode_string(f, Bytes{0x09, 0xc0});  // key type 9
  f.push_back(0xc0);
  rlp::encode_list(upd, f);
  expect_error(upd, "account key");
}

}  // namespace
}  // namespace klay
