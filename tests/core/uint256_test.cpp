#include "engine/core/uint256.h"

#include <gtest/gtest.h>

#include <random>

namespace klay {
namespace {

__extension__ typedef unsigned __int128 u128;

constexpr const char* kMaxDec =
    "115792089237316195423570985008687907853269984665640564039457584007913129639935";

uint256 from128(u128 v) {
  return uint256({static_cast<uint64_t>(v), static_cast<uint64_t>(v >> 64), 0, 0});
}

uint256 pow2(unsigned k) { return uint256(1) << k; }

// A random value whose bit length is itself random, so that every limb count
// and normalisation shift of the divider is exercised.
uint256 random_value(std::mt19937_64& rng) {
  uint256 v({rng(), rng(), rng(), rng()});
  const unsigned bits = static_cast<unsigned>(rng() % 257);
  return bits == 256 ? v : v & (pow2(bits) - 1);
}

// Bit-at-a-time long division, an independent reference for divmod.
DivMod slow_divmod(const uint256& a, const uint256& b) {
  DivMod r;
  for (int i = 255; i >= 0; --i) {
    r.rem <<= 1;
    if ((a >> static_cast<unsigned>(i)).low64() & 1) r.rem |= 1;
    r.quot <<= 1;
    if (r.rem >= b) {
      r.rem -= b;
      r.quot |= 1;
    }
  }
  return r;
}

TEST(Uint256, ConstructionAndBytes) {
  EXPECT_TRUE(uint256().is_zero());
  EXPECT_EQ(uint256(42).low64(), 42u);
  EXPECT_EQ(uint256::max().to_hex(), "0x" + std::string(64, 'f'));

  const Bytes be = {0x01, 0x02, 0x03};
  auto v = uint256::from_be_bytes(be);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, uint256(0x010203));
  EXPECT_EQ(v->to_be_bytes(), be);
  EXPECT_EQ(v->byte_length(), 3u);
  EXPECT_EQ(v->bit_length(), 17u);

  EXPECT_EQ(*uint256::from_be_bytes({}), uint256());
  EXPECT_TRUE(uint256().to_be_bytes().empty());

  Bytes leading_zeros(32, 0);
  leading_zeros[31] = 7;
  EXPECT_EQ(*uint256::from_be_bytes(leading_zeros), uint256(7));

  Bytes too_long(33, 0);
  auto bad = uint256::from_be_bytes(too_long);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);

  uint8_t buf[32];
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<uint8_t>(i + 1);
  const uint256 x = uint256::from_be32(buf);
  EXPECT_EQ(x.limbs[3], 0x0102030405060708ULL);
  EXPECT_EQ(x.limbs[0], 0x191a1b1c1d1e1f20ULL);
  EXPECT_TRUE(equal(x.to_be32().view(), ByteView(buf, 32)));
  EXPECT_EQ(x.to_be_bytes().size(), 32u);
}

TEST(Uint256, ParseAndPrint) {
  EXPECT_EQ(uint256::from_string("0")->to_string(), "0");
  EXPECT_EQ(uint256::from_string("0x0")->to_hex(), "0x0");
  EXPECT_EQ(uint256::from_string("12345678901234567890123")->to_string(), "12345678901234567890123");
  EXPECT_EQ(uint256::from_string("0xDeadBeef")->low64(), 0xdeadbeefULL);
  EXPECT_EQ(uint256::from_string("0X10")->low64(), 16u);
  EXPECT_EQ(uint256::from_string("000123")->low64(), 123u);
  EXPECT_EQ(uint256::from_string(std::string("0x") + std::string(70, '0') + "1")->low64(), 1u);

  auto max = uint256::from_string(kMaxDec);
  ASSERT_TRUE(max);
  EXPECT_EQ(*max, uint256::max());
  EXPECT_EQ(uint256::max().to_string(), kMaxDec);
  EXPECT_EQ(*uint256::from_string("0x" + std::string(64, 'f')), uint256::max());
  // 10^19 boundaries of the decimal printer.
  EXPECT_EQ(uint256(10000000000000000000ULL).to_string(), "10000000000000000000");
  EXPECT_EQ((uint256(10000000000000000000ULL) * 10000000000000000000ULL).to_string(),
            "100000000000000000000000000000000000000");
  EXPECT_EQ(pow2(64).to_hex(), "0x10000000000000000");

  // Overflow and bad input.
  auto over_dec = uint256::from_string(
      "115792089237316195423570985008687907853269984665640564039457584007913129639936");
  ASSERT_FALSE(over_dec);
  EXPECT_NE(over_dec.status().message().find("exceeds"), std::string::npos);
  auto over_hex = uint256::from_string("0x1" + std::string(64, '0'));
  ASSERT_FALSE(over_hex);
  EXPECT_NE(over_hex.status().message().find("exceeds"), std::string::npos);
  auto bad_digit = uint256::from_string("12a4");
  ASSERT_FALSE(bad_digit);
  EXPECT_NE(bad_digit.status().message().find("'a' at position 2"), std::string::npos);
  EXPECT_FALSE(uint256::from_string("0xfg"));
  EXPECT_FALSE(uint256::from_string(""));
  EXPECT_FALSE(uint256::from_string("0x"));
  EXPECT_FALSE(uint256::from_string("-1"));
  EXPECT_FALSE(uint256::from_string(" 1"));
  EXPECT_FALSE(uint256::from_string("+1"));

  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const uint256 v = random_value(rng);
    EXPECT_EQ(*uint256::from_string(v.to_string()), v);
    EXPECT_EQ(*uint256::from_string(v.to_hex()), v);
  }
}

TEST(Uint256, WrappingEdges) {
  const uint256 max = uint256::max();
  EXPECT_EQ(max + 1, uint256());
  EXPECT_EQ(uint256() - 1, max);
  EXPECT_EQ(max * max, uint256(1));
  EXPECT_EQ(pow2(128) * pow2(128), uint256());
  EXPECT_EQ(pow2(255) * 2, uint256());
  EXPECT_EQ(-uint256(1), max);
  EXPECT_EQ(~uint256(), max);

  // A carry that ripples through every limb.
  const uint256 low_ones({~0ULL, ~0ULL, ~0ULL, 0});
  EXPECT_EQ(low_ones + 1, pow2(192));
  EXPECT_EQ(pow2(192) - 1, low_ones);

  auto add = checked_add(max, 1);
  EXPECT_TRUE(add.overflow);
  EXPECT_EQ(add.value, uint256());
  EXPECT_FALSE(checked_add(max - 1, 1).overflow);
  auto sub = checked_sub(1, 2);
  EXPECT_TRUE(sub.overflow);
  EXPECT_EQ(sub.value, max);
  EXPECT_FALSE(checked_sub(2, 2).overflow);
  EXPECT_TRUE(checked_mul(pow2(128), pow2(128)).overflow);
  EXPECT_FALSE(checked_mul(pow2(127), pow2(128)).overflow);
  EXPECT_TRUE(checked_mul(max, 2).overflow);
  EXPECT_FALSE(checked_mul(max, 1).overflow);
  EXPECT_FALSE(checked_mul(max, 0).overflow);
  auto big = checked_mul(pow2(200) + 3, pow2(100));
  EXPECT_TRUE(big.overflow);
  EXPECT_EQ(big.value, uint256(3) << 100);  // 2^300 wraps away
}

TEST(Uint256, ShiftsAndBitOps) {
  const uint256 one = 1;
  for (unsigned k = 0; k < 256; ++k) {
    const uint256 p = one << k;
    EXPECT_EQ(p.bit_length(), k + 1);
    EXPECT_EQ(p >> k, one);
    EXPECT_EQ(uint256::max() >> (255 - k), p + p - 1);
  }
  EXPECT_EQ(one << 256, uint256());
  EXPECT_EQ(uint256::max() >> 256, uint256());
  EXPECT_EQ(uint256::max() << 1000, uint256());

  const uint256 a({0x00ff00ff00ff00ffULL, 1, 2, 3});
  const uint256 b({0x0f0f0f0f0f0f0f0fULL, 3, 0, 1});
  EXPECT_EQ((a & b).limbs, (std::array<uint64_t, 4>{0x000f000f000f000fULL, 1, 0, 1}));
  EXPECT_EQ((a | b).limbs, (std::array<uint64_t, 4>{0x0fff0fff0fff0fffULL, 3, 2, 3}));
  EXPECT_EQ((a ^ b).limbs, (std::array<uint64_t, 4>{0x0ff00ff00ff00ff0ULL, 2, 2, 2}));
  EXPECT_EQ(a ^ a, uint256());
}

TEST(Uint256, Comparisons) {
  EXPECT_LT(uint256(1), uint256(2));
  EXPECT_LT(uint256(~0ULL), pow2(64));
  EXPECT_GT(pow2(255), uint256::max() >> 1);
  EXPECT_LE(uint256(5), uint256(5));
  EXPECT_NE(pow2(64), pow2(65));
  EXPECT_LT(uint256({~0ULL, ~0ULL, ~0ULL, 0}), uint256({0, 0, 0, 1}));
}

TEST(Uint256, DivisionByPowersAndSmallDivisors) {
  const uint256 max = uint256::max();
  for (unsigned k = 0; k < 256; ++k) {
    EXPECT_EQ(max / pow2(k), max >> k) << k;
    EXPECT_EQ(max % pow2(k), pow2(k) - 1) << k;
  }
  EXPECT_EQ(max / max, uint256(1));
  EXPECT_EQ(max % max, uint256());
  EXPECT_EQ(uint256(7) / max, uint256());
  EXPECT_EQ(uint256(7) % max, uint256(7));
  EXPECT_EQ(max / 10, *uint256::from_string(std::string(kMaxDec).substr(0, 77)));
  EXPECT_EQ(max % 10, uint256(5));
  EXPECT_EQ((pow2(200) * 12345) / 12345, pow2(200));
}

TEST(Uint256, CrossCheckAgainstInt128) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 200000; ++i) {
    const uint64_t x = rng() >> (rng() % 64), y = rng() >> (rng() % 64);
    const u128 a = (static_cast<u128>(rng() >> (rng() % 64)) << 63) + x;  // < 2^127
    const u128 b = static_cast<u128>(y) + (i % 3 == 0 ? static_cast<u128>(rng()) << 40 : 0);
    ASSERT_EQ(from128(a) + from128(b), from128(a + b));
    if (a >= b) {
      ASSERT_EQ(from128(a) - from128(b), from128(a - b));
    }
    ASSERT_EQ(uint256(x) * uint256(y), from128(static_cast<u128>(x) * y));
    if (b != 0) {
      ASSERT_EQ(from128(a) / from128(b), from128(a / b)) << i;
      ASSERT_EQ(from128(a) % from128(b), from128(a % b)) << i;
    }
    const unsigned s = static_cast<unsigned>(rng() % 128);
    ASSERT_EQ(from128(a) >> s, from128(a >> s));
    ASSERT_EQ(from128(a) & from128(b), from128(a & b));
  }
}

TEST(Uint256, AlgebraicIdentitiesOnRandomValues) {
  std::mt19937_64 rng(2);
  for (int i = 0; i < 100000; ++i) {
    const uint256 a = random_value(rng);
    uint256 b = random_value(rng);
    if (b.is_zero()) b = 1;
    const DivMod qr = divmod(a, b);
    ASSERT_LT(qr.rem, b);
    ASSERT_EQ(qr.quot * b + qr.rem, a) << a.to_hex() << " / " << b.to_hex();
    const auto prod = checked_mul(qr.quot, b);
    ASSERT_FALSE(prod.overflow);
    ASSERT_EQ((a + b) - b, a);
    ASSERT_EQ(a * (b + 1), a * b + a);
    const auto c = checked_mul(a, b);
    if (!c.overflow) {
      ASSERT_EQ(c.value / b, a);
    }
  }
}

TEST(Uint256, DivisionMatchesBitSerialReferenceOnHardPatterns) {
  // Limbs chosen to provoke the corner cases of multi-limb division: quotient
  // digit estimates that are too large, add-back steps, all-ones and
  // top-bit-only limbs.
  const uint64_t limbs[] = {0, 1, 2, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
                            0xfffffffffffffffeULL, ~0ULL};
  std::vector<uint256> values;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 3000; ++i) {
    uint256 v;
    for (auto& l : v.limbs) l = limbs[rng() % std::size(limbs)];
    values.push_back(v);
  }
  for (size_t i = 0; i + 1 < values.size(); i += 2) {
    const uint256& a = values[i];
    const uint256& b = values[i + 1];
    if (b.is_zero()) continue;
    const DivMod got = divmod(a, b);
    const DivMod want = slow_divmod(a, b);
    ASSERT_EQ(got.quot, want.quot) << a.to_hex() << " / " << b.to_hex();
    ASSERT_EQ(got.rem, want.rem) << a.to_hex() << " % " << b.to_hex();
  }
  // 2^192 / (2^128 + 1): the quotient digit estimate survives the two-digit
  // test and is still one too large, so the divider must add back.
  const uint256 a({0, 0, 0, 1});
  const uint256 b({1, 0, 1, 0});
  const DivMod got = divmod(a, b);
  const DivMod want = slow_divmod(a, b);
  EXPECT_EQ(got.quot, want.quot);
  EXPECT_EQ(got.rem, want.rem);
}

TEST(Uint256, Rlp) {
  struct Case {
    uint256 v;
    const char* hex;
  } cases[] = {
      {0, "80"},
      {1, "01"},
      {0x7f, "7f"},
      {0x80, "8180"},
      {0x0400, "820400"},
      {pow2(64), "89010000000000000000"},
  };
  for (const auto& c : cases) {
    Bytes out;
    rlp::encode_uint256(out, c.v);
    EXPECT_EQ(to_hex(out), c.hex);
    auto item = rlp::decode(out);
    ASSERT_TRUE(item);
    auto back = rlp::decode_uint256(*item);
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, c.v);
  }
  Bytes out;
  rlp::encode_uint256(out, uint256::max());
  EXPECT_EQ(to_hex(out), "a0" + std::string(64, 'f'));
  EXPECT_EQ(*rlp::decode_uint256(*rlp::decode(out)), uint256::max());

  Bytes bad;
  ASSERT_TRUE(from_hex("820001", bad));  // leading zero
  EXPECT_FALSE(rlp::decode_uint256(*rlp::decode(bad)));
  ASSERT_TRUE(from_hex("a1" + std::string(66, 'f'), bad));  // 33 bytes
  EXPECT_FALSE(rlp::decode_uint256(*rlp::decode(bad)));
  ASSERT_TRUE(from_hex("c0", bad));  // a list
  EXPECT_FALSE(rlp::decode_uint256(*rlp::decode(bad)));
  ASSERT_TRUE(from_hex("00", bad));  // a single zero byte is a leading zero
  EXPECT_FALSE(rlp::decode_uint256(*rlp::decode(bad)));
}

}  // namespace
}  // namespace klay
