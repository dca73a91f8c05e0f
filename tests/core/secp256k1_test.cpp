#include "engine/core/secp256k1.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "engine/core/keccak.h"
#include "engine/core/rlp.h"

namespace klay {
namespace {

Bytes unhex(std::string_view h) {
  Bytes b;
  EXPECT_TRUE(from_hex(h, b)) << h;
  return b;
}

uint256 u(std::string_view s) { return *uint256::from_string(s); }

Hash hash_of_hex(std::string_view h) { return Hash::from(unhex(h)); }

PrivateKey key_of_hex(std::string_view h) { return *PrivateKey::from_bytes(unhex(h)); }

Hash random_hash(std::mt19937_64& rng) {
  Hash h;
  for (auto& b : h.bytes) b = static_cast<uint8_t>(rng());
  return h;
}

// EIP-155's worked example: nonce 9, gas price 20 gwei, gas 21000,
// to 0x3535...35, value 1 ether, no data, chain id 1, key 0x4646...46.
constexpr const char* kEip155Key = "4646464646464646464646464646464646464646464646464646464646464646";
constexpr const char* kEip155SigningData =
    "ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000800180"
    "80";
constexpr const char* kEip155SigningHash =
    "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53";
constexpr const char* kEip155SignedTxn =
    "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080"
    "25a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aec"
    "b703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";
constexpr const char* kEip155R =
    "18515461264373351373200002665853028612451056578545711640558177340181847433846";
constexpr const char* kEip155S =
    "46948507304638947509940763649030358759909902576025900602547168820602576006531";
constexpr const char* kEip155Sender = "9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f";

TEST(Secp256k1, CurveOrder) {
  EXPECT_EQ(secp256k1_order().to_hex(),
            "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  EXPECT_EQ(secp256k1_half_order() * 2 + 1, secp256k1_order());
}

TEST(Secp256k1, GeneratorPointFromKeyOne) {
  const PrivateKey one = key_of_hex(std::string(63, '0') + "1");
  const PublicKey pub = one.public_key();
  EXPECT_EQ(to_hex(pub.uncompressed()),
            "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
  EXPECT_EQ(to_hex(pub.compressed()),
            "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  EXPECT_EQ(to_hex(one.address().view()), "7e5f4552091a69125d5dfcb7b8c2659029395bdf");
}

TEST(Secp256k1, Eip155ExampleKeyAndSignature) {
  const PrivateKey key = key_of_hex(kEip155Key);
  EXPECT_EQ(to_hex(key.address().view()), kEip155Sender);

  // The signing hash is keccak of the RLP signing data.
  const Hash msg = keccak256(unhex(kEip155SigningData));
  EXPECT_EQ(to_hex(msg.view()), kEip155SigningHash);

  // Deterministic RFC 6979 signing reproduces the published r and s.
  const Signature sig = key.sign(msg);
  EXPECT_EQ(sig.r, u(kEip155R));
  EXPECT_EQ(sig.s, u(kEip155S));
  EXPECT_EQ(eip155_v(sig.recid, 1), uint256(37));
}

TEST(Secp256k1, Eip155ExampleRecoversSenderFromSignedTransaction) {
  const Bytes txn = unhex(kEip155SignedTxn);
  auto fields = rlp::decode_list_item(txn);
  ASSERT_TRUE(fields);
  ASSERT_EQ(fields->size(), 9u);
  const uint256 v = *rlp::decode_uint256((*fields)[6]);
  const uint256 r = *rlp::decode_uint256((*fields)[7]);
  const uint256 s = *rlp::decode_uint256((*fields)[8]);
  EXPECT_EQ(v, uint256(37));
  EXPECT_EQ(r, u(kEip155R));
  EXPECT_EQ(s, u(kEip155S));

  auto recid = recid_from_v(v, 1);
  ASSERT_TRUE(recid) << recid.status().to_string();
  auto sender = recover_address(hash_of_hex(kEip155SigningHash), {r, s, *recid});
  ASSERT_TRUE(sender) << sender.status().to_string();
  EXPECT_EQ(to_hex(sender->view()), kEip155Sender);

  // The same signature read under the wrong chain id is refused, not misread.
  auto wrong = recid_from_v(v, 8217);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.status().message().find("chain id 1,"), std::string::npos)
      << wrong.status().message();
  // The other parity recovers some other key, never the sender.
  auto other = recover_address(hash_of_hex(kEip155SigningHash), {r, s, uint8_t(*recid ^ 1)});
  if (other) {
    EXPECT_NE(to_hex(other->view()), kEip155Sender);
  }
}

TEST(Secp256k1, RandomSignRecoverVerifyRoundTrips) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 200; ++i) {
    auto key = PrivateKey::generate();
    ASSERT_TRUE(key);
    const PublicKey pub = key->public_key();
    const Hash msg = random_hash(rng);
    const Signature sig = key->sign(msg);
    ASSERT_LE(sig.s, secp256k1_half_order());
    ASSERT_LE(sig.recid, 1);

    auto rec = recover(msg, sig);
    ASSERT_TRUE(rec) << rec.status().to_string();
    ASSERT_EQ(*rec, pub);
    ASSERT_EQ(*recover_address(msg, sig), key->address());
    ASSERT_TRUE(verify(msg, sig.r, sig.s, pub).is_ok());

    // A different message must not verify; recovery yields a different key.
    Hash other = msg;
    other.bytes[i % 32] ^= 0x01;
    ASSERT_FALSE(verify(other, sig.r, sig.s, pub).is_ok());
    auto rec_other = recover(other, sig);
    if (rec_other) {
      ASSERT_NE(*rec_other, pub);
    }

    // Serialisations round-trip.
    ASSERT_EQ(*Signature::from_rsv(sig.to_rsv()), sig);
    ASSERT_EQ(*PublicKey::parse(pub.compressed()), pub);
    ASSERT_EQ(*PublicKey::parse(pub.uncompressed()), pub);
    ASSERT_EQ(*PublicKey::from_xy(pub.xy()), pub);
    ASSERT_EQ(PrivateKey::from_bytes(key->bytes())->public_key(), pub);
  }
}

TEST(Secp256k1, HighSIsRejectedUnlessAllowed) {
  const PrivateKey key = key_of_hex(kEip155Key);
  const Hash msg = hash_of_hex(kEip155SigningHash);
  const Signature low = key.sign(msg);
  // (r, n - s) with the opposite parity is the same signature's mirror image.
  const Signature high{low.r, secp256k1_order() - low.s, static_cast<uint8_t>(low.recid ^ 1)};
  ASSERT_GT(high.s, secp256k1_half_order());

  auto rejected = recover(msg, high);
  ASSERT_FALSE(rejected);
  EXPECT_NE(rejected.status().message().find("high-s"), std::string::npos);
  EXPECT_FALSE(verify(msg, high.r, high.s, key.public_key()).is_ok());
  EXPECT_FALSE(check_signature_values(high.r, high.s).is_ok());

  auto allowed = recover(msg, high, SRule::kAllowHighS);
  ASSERT_TRUE(allowed) << allowed.status().to_string();
  EXPECT_EQ(*allowed, key.public_key());
  EXPECT_TRUE(verify(msg, high.r, high.s, key.public_key(), SRule::kAllowHighS).is_ok());

  // Exactly n/2 is still low.
  EXPECT_TRUE(check_signature_values(1, secp256k1_half_order()).is_ok());
  EXPECT_FALSE(check_signature_values(1, secp256k1_half_order() + 1).is_ok());
}

TEST(Secp256k1, OutOfRangeSignatureValuesAreRejected) {
  const PrivateKey key = key_of_hex(kEip155Key);
  const Hash msg = hash_of_hex(kEip155SigningHash);
  const Signature good = key.sign(msg);
  const uint256& n = secp256k1_order();
  const struct {
    uint256 r, s;
    const char* what;
  } bad[] = {
      {0, good.s, "r is zero"},
      {good.r, 0, "s is zero"},
      {n, good.s, "r is not below"},
      {n + 5, good.s, "r is not below"},
      {uint256::max(), good.s, "r is not below"},
      {good.r, n, "s is not below"},
  };
  for (const auto& c : bad) {
    for (SRule rule : {SRule::kRequireLowS, SRule::kAllowHighS}) {
      const Status st = check_signature_values(c.r, c.s, rule);
      ASSERT_FALSE(st.is_ok());
      EXPECT_NE(st.message().find(c.what), std::string::npos) << st.message();
      EXPECT_FALSE(recover(msg, {c.r, c.s, good.recid}, rule));
      EXPECT_FALSE(verify(msg, c.r, c.s, key.public_key(), rule).is_ok());
    }
  }
  EXPECT_FALSE(recover(msg, {good.r, good.s, 2}));
  EXPECT_FALSE(recover(msg, {good.r, good.s, 27}));
}

TEST(Secp256k1, PrivateKeyValidation) {
  EXPECT_FALSE(PrivateKey::from_bytes(Bytes(32, 0)));
  EXPECT_FALSE(PrivateKey::from_bytes(Bytes(31, 1)));
  EXPECT_FALSE(PrivateKey::from_bytes(Bytes(33, 1)));
  EXPECT_FALSE(PrivateKey::from_bytes(secp256k1_order().to_be32().view()));
  EXPECT_FALSE(PrivateKey::from_bytes(uint256::max().to_be32().view()));
  EXPECT_TRUE(PrivateKey::from_bytes((secp256k1_order() - 1).to_be32().view()));

  auto a = PrivateKey::generate();
  auto b = PrivateKey::generate();
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(equal(a->bytes(), b->bytes()));
}

TEST(Secp256k1, PublicKeyParsing) {
  const PublicKey pub = key_of_hex(kEip155Key).public_key();
  EXPECT_FALSE(PublicKey::parse(ByteView(pub.uncompressed().data(), 64)));
  EXPECT_FALSE(PublicKey::from_xy(ByteView(pub.uncompressed().data(), 65)));

  auto off_curve = pub.uncompressed();
  off_curve[64] ^= 0x01;  // y no longer matches x
  auto bad = PublicKey::parse(off_curve);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("not a point"), std::string::npos);

  auto wrong_prefix = pub.compressed();
  wrong_prefix[0] = 0x05;
  EXPECT_FALSE(PublicKey::parse(wrong_prefix));
}

TEST(Secp256k1, RsvForm) {
  const Signature sig = key_of_hex(kEip155Key).sign(hash_of_hex(kEip155SigningHash));
  auto rsv = sig.to_rsv();
  rsv[64] = static_cast<uint8_t>(27 + sig.recid);
  EXPECT_EQ(*Signature::from_rsv(rsv), sig);
  rsv[64] = 29;
  EXPECT_FALSE(Signature::from_rsv(rsv));
  EXPECT_FALSE(Signature::from_rsv(ByteView(rsv.data(), 64)));
}

TEST(Secp256k1, VValues) {
  EXPECT_EQ(eip155_v(0, 1), uint256(37));
  EXPECT_EQ(eip155_v(1, 1), uint256(38));
  EXPECT_EQ(eip155_v(0, 8217), uint256(16469));  // Klaytn Cypress
  EXPECT_EQ(*recid_from_eip155_v(37, 1), 0);
  EXPECT_EQ(*recid_from_eip155_v(38, 1), 1);
  EXPECT_EQ(*recid_from_eip155_v(16470, 8217), 1);
  EXPECT_EQ(*recid_from_eip155_v(1002, 483), 1);  // 483 * 2 + 35 + 1
  EXPECT_EQ(*recid_from_v(27, 1001), 0);
  EXPECT_EQ(*recid_from_v(28, 1001), 1);
  EXPECT_EQ(*recid_from_v(16469, 8217), 0);
  EXPECT_FALSE(recid_from_eip155_v(27, 1));  // legacy v is not EIP-155

  auto mismatch = recid_from_v(16469, 1001);
  ASSERT_FALSE(mismatch);
  EXPECT_NE(mismatch.status().message().find("chain id 8217"), std::string::npos);
  EXPECT_NE(mismatch.status().message().find("expected chain id 1001"), std::string::npos);

  EXPECT_EQ(*recid_from_legacy_v(27), 0);
  EXPECT_EQ(*recid_from_legacy_v(28), 1);
  EXPECT_FALSE(recid_from_legacy_v(26));
  EXPECT_FALSE(recid_from_legacy_v(29));
  EXPECT_FALSE(recid_from_legacy_v(37));
  EXPECT_FALSE(recid_from_v(0, 1));
  EXPECT_FALSE(recid_from_v(34, 1));

  EXPECT_EQ(*recid_from_parity(0), 0);
  EXPECT_EQ(*recid_from_parity(1), 1);
  EXPECT_FALSE(recid_from_parity(2));
  EXPECT_FALSE(recid_from_parity(27));

  EXPECT_EQ(*chain_id_from_v(37), uint256(1));
  EXPECT_EQ(*chain_id_from_v(38), uint256(1));
  EXPECT_FALSE(chain_id_from_v(28));

  // Chain ids beyond 64 bits survive the round trip.
  const uint256 huge = uint256(1) << 200;
  for (uint8_t recid : {0, 1}) {
    const uint256 v = eip155_v(recid, huge);
    EXPECT_EQ(*chain_id_from_v(v), huge);
    EXPECT_EQ(*recid_from_v(v, huge), recid);
  }
}

TEST(Secp256k1, ConcurrentUseOfTheSharedContext) {
  const PrivateKey key = key_of_hex(kEip155Key);
  const Address want = key.address();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(100 + t);
      for (int i = 0; i < 50; ++i) {
        const Hash msg = random_hash(rng);
        auto got = recover_address(msg, key.sign(msg));
        if (!got || *got != want) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace klay
