// QUANTITY/DATA encoding and the geth-compatible decoders.
#include "node/rpc/hex_codec.h"

#include <gtest/gtest.h>

#include <limits>

namespace klay::rpc {
namespace {

using nlohmann::json;

template <typename T>
std::string error_of(const RpcExpected<T>& r) {
  EXPECT_FALSE(r.has_value());
  if (r.has_value()) return "<no error>";
  EXPECT_EQ(r.error().code, error_code::kInvalidParams);
  return r.error().message;
}

TEST(HexCodec, EncodeQuantityIsMinimal) {
  EXPECT_EQ(encode_quantity(uint64_t{0}), "0x0");
  EXPECT_EQ(encode_quantity(uint64_t{1}), "0x1");
  EXPECT_EQ(encode_quantity(uint64_t{0x2019}), "0x2019");
  EXPECT_EQ(encode_quantity(uint64_t{0x100}), "0x100");
  EXPECT_EQ(encode_quantity(std::numeric_limits<uint64_t>::max()), "0xffffffffffffffff");
  EXPECT_EQ(encode_quantity(uint256(0)), "0x0");
  EXPECT_EQ(encode_quantity(uint256({0, 1, 0, 0})), "0x10000000000000000");
}

TEST(HexCodec, EncodeData) {
  EXPECT_EQ(encode_data(ByteView{}), "0x");
  const Bytes b = {0x00, 0x0a, 0xff};
  EXPECT_EQ(encode_data(b), "0x000aff");
  Address a;
  a.bytes[19] = 0x01;
  EXPECT_EQ(encode_data(a), "0x0000000000000000000000000000000000000001");
}

TEST(HexCodec, QuantityRoundTrip) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{15}, uint64_t{16}, uint64_t{0xdeadbeef},
                     std::numeric_limits<uint64_t>::max()}) {
    auto d = decode_quantity_u64(encode_quantity(v));
    ASSERT_TRUE(d.has_value()) << v;
    EXPECT_EQ(d.value(), v);
  }
  EXPECT_EQ(decode_quantity_u64("0XAbC").value(), 0xabcu);
}

TEST(HexCodec, QuantityErrorsMatchGeth) {
  EXPECT_EQ(error_of(decode_quantity_u64("")), hex_error::kEmptyString);
  EXPECT_EQ(error_of(decode_quantity_u64("12")), hex_error::kMissingPrefix);
  EXPECT_EQ(error_of(decode_quantity_u64("0x")), hex_error::kEmptyNumber);
  EXPECT_EQ(error_of(decode_quantity_u64("0x00")), hex_error::kLeadingZero);
  EXPECT_EQ(error_of(decode_quantity_u64("0x01")), hex_error::kLeadingZero);
  EXPECT_EQ(error_of(decode_quantity_u64("0x1g")), hex_error::kSyntax);
  EXPECT_EQ(error_of(decode_quantity_u64("0x 1")), hex_error::kSyntax);
  EXPECT_EQ(error_of(decode_quantity_u64("0x10000000000000000")), hex_error::kUint64Range);
}

TEST(HexCodec, BigQuantity) {
  auto v = decode_quantity_u256("0x10000000000000000");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v.value(), uint256({0, 1, 0, 0}));
  EXPECT_EQ(decode_quantity_u256("0x" + std::string(64, 'f')).value(), uint256::max());
  EXPECT_EQ(error_of(decode_quantity_u256("0x1" + std::string(64, '0'))), hex_error::kBig256Range);
  EXPECT_EQ(error_of(decode_quantity_u256("0x0f")), hex_error::kLeadingZero);
  EXPECT_EQ(error_of(decode_quantity_u256("0xz")), hex_error::kSyntax);
}

TEST(HexCodec, Data) {
  EXPECT_EQ(decode_data("0x").value(), Bytes{});
  EXPECT_EQ(decode_data("0x00FF").value(), (Bytes{0x00, 0xff}));
  EXPECT_EQ(error_of(decode_data("")), hex_error::kEmptyString);
  EXPECT_EQ(error_of(decode_data("00")), hex_error::kMissingPrefix);
  EXPECT_EQ(error_of(decode_data("0x0")), hex_error::kOddLength);
  EXPECT_EQ(error_of(decode_data("0xzz")), hex_error::kSyntax);
}

TEST(HexCodec, JsonValuesMustBeStrings) {
  EXPECT_NE(error_of(parse_quantity_u64(json(5))).find("non-string"), std::string::npos);
  EXPECT_NE(error_of(parse_data(json::array())).find("non-string"), std::string::npos);
  EXPECT_EQ(parse_quantity_u64(json("0x5")).value(), 5u);
  EXPECT_EQ(parse_quantity_u256(json("0x5")).value(), uint256(5));
}

TEST(HexCodec, AddressAndHash) {
  const std::string addr = "0x00000000000000000000000000000000000000Ab";
  auto a = parse_address(json(addr));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a.value().bytes[19], 0xab);
  EXPECT_EQ(error_of(parse_address(json("0x1234"))), "hex string has length 4, want 40 for common.Address");
  EXPECT_EQ(error_of(parse_address(json(addr.substr(2)))), hex_error::kMissingPrefix);
  EXPECT_EQ(error_of(parse_address(json(""))), "hex string has length 0, want 40 for common.Address");
  EXPECT_EQ(error_of(parse_address(json("0x" + std::string(39, '1')))), hex_error::kOddLength);
  EXPECT_EQ(error_of(parse_address(json("0x" + std::string(38, '1') + "zz"))), hex_error::kSyntax);

  const std::string h = "0x" + std::string(60, '0') + "0102";
  auto hash = parse_hash(json(h));
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(hash.value().bytes[30], 0x01);
  EXPECT_EQ(hash.value().bytes[31], 0x02);
  EXPECT_EQ(encode_data(hash.value()), h);
  EXPECT_EQ(error_of(parse_hash(json(addr))), "hex string has length 40, want 64 for common.Hash");
}

TEST(HexCodec, ValueOrThrowCarriesTheError) {
  try {
    (void)decode_quantity_u64("0x01").value_or_throw();
    FAIL() << "expected RpcException";
  } catch (const RpcException& e) {
    EXPECT_EQ(e.error().code, error_code::kInvalidParams);
    EXPECT_EQ(e.error().message, hex_error::kLeadingZero);
  }
}

}  // namespace
}  // namespace klay::rpc
