// RLP against the public ethereum/tests vectors (see shared/vectors/README.md).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/core/rlp.h"
#include "engine/core/uint256.h"

namespace klay {
namespace {

using nlohmann::json;

json load(const std::string& name) {
  std::ifstream f(std::string(KLAY_VECTORS_DIR) + "/" + name);
  EXPECT_TRUE(f.good()) << "cannot open " << name;
  return json::parse(f);
}

// Decimal digits to minimal big-endian bytes, any size (some vectors exceed
// 256 bits): schoolbook base-256 accumulation.
Bytes decimal_to_be(std::string_view digits) {
  Bytes be;  // big-endian, no leading zeros
  for (char c : digits) {
    EXPECT_TRUE(c >= '0' && c <= '9') << digits;
    unsigned carry = static_cast<unsigned>(c - '0');
    for (size_t i = be.size(); i-- > 0;) {
      const unsigned t = be[i] * 10u + carry;
      be[i] = static_cast<uint8_t>(t);
      carry = t >> 8;
    }
    while (carry) {
      be.insert(be.begin(), static_cast<uint8_t>(carry));
      carry >>= 8;
    }
  }
  return be;
}

bool is_bigint(const json& j) { return j.is_string() && j.get<std::string>().starts_with('#'); }

void encode_json(Bytes& out, const json& j) {
  if (j.is_array()) {
    Bytes payload;
    for (const auto& e : j) encode_json(payload, e);
    rlp::encode_list(out, payload);
  } else if (j.is_number_unsigned() || j.is_number_integer()) {
    rlp::encode_uint(out, j.get<uint64_t>());
  } else if (is_bigint(j)) {
    rlp::encode_uint_bytes(out, decimal_to_be(j.get<std::string>().substr(1)));
  } else {
    rlp::encode_string(out, as_view(j.get<std::string>()));
  }
}

// Checks that decoded `item` carries what `j` describes.
void expect_matches(const rlp::Item& item, const json& j, const std::string& path) {
  if (j.is_array()) {
    ASSERT_TRUE(item.is_list()) << path;
    auto items = rlp::decode_list(item.payload);
    ASSERT_TRUE(items) << path << ": " << items.status().to_string();
    ASSERT_EQ(items->size(), j.size()) << path;
    for (size_t i = 0; i < j.size(); ++i)
      expect_matches((*items)[i], j[i], path + "/" + std::to_string(i));
  } else if (j.is_number()) {
    auto v = rlp::decode_uint(item);
    ASSERT_TRUE(v) << path << ": " << v.status().to_string();
    EXPECT_EQ(*v, j.get<uint64_t>()) << path;
  } else if (is_bigint(j)) {
    ASSERT_FALSE(item.is_list()) << path;
    const Bytes want = decimal_to_be(j.get<std::string>().substr(1));
    EXPECT_EQ(to_hex(item.payload), to_hex(want)) << path;
    auto as_u256 = rlp::decode_uint256(item);
    EXPECT_EQ(static_cast<bool>(as_u256), want.size() <= 32) << path;
    if (as_u256) {
      EXPECT_EQ(as_u256->to_be_bytes(), want) << path;
    }
  } else {
    ASSERT_FALSE(item.is_list()) << path;
    EXPECT_EQ(as_string_view(item.payload), j.get<std::string>()) << path;
  }
}

// A full recursive decode: the item and, inside lists, every nested item.
Status decode_fully(ByteView in) {
  auto item = rlp::decode(in);
  if (!item) return item.status();
  if (!item->is_list()) return Status::ok();
  rlp::ListReader reader(item->payload);
  while (!reader.done()) {
    auto child = reader.next();
    if (!child) return child.status();
    if (Status st = decode_fully(child->encoded); !st) return st;
  }
  return Status::ok();
}

TEST(RlpVectors, DecimalHelper) {
  EXPECT_TRUE(decimal_to_be("0").empty());
  EXPECT_EQ(to_hex(decimal_to_be("255")), "ff");
  EXPECT_EQ(to_hex(decimal_to_be("256")), "0100");
  EXPECT_EQ(to_hex(decimal_to_be("18446744073709551616")), "010000000000000000");
}

TEST(RlpVectors, EncodeAndDecodeEveryValidCase) {
  const json cases = load("rlptest.json");
  ASSERT_GE(cases.size(), 20u);
  for (const auto& [name, c] : cases.items()) {
    Bytes want;
    ASSERT_TRUE(from_hex(c["out"].get<std::string>(), want)) << name;

    Bytes got;
    encode_json(got, c["in"]);
    EXPECT_EQ(to_hex(got), to_hex(want)) << name;

    auto item = rlp::decode(want);
    ASSERT_TRUE(item) << name << ": " << item.status().to_string();
    EXPECT_EQ(item->encoded.size(), want.size()) << name;
    // Zero-copy: the payload points into the input buffer.
    EXPECT_GE(item->payload.data(), want.data()) << name;
    EXPECT_LE(item->payload.data() + item->payload.size(), want.data() + want.size()) << name;
    expect_matches(*item, c["in"], name);
  }
}

TEST(RlpVectors, StrictDecoderRejectsEveryInvalidCase) {
  const json cases = load("invalidRLPTest.json");
  ASSERT_GE(cases.size(), 20u);
  for (const auto& [name, c] : cases.items()) {
    Bytes in;
    ASSERT_TRUE(from_hex(c["out"].get<std::string>(), in)) << name;
    const Status st = decode_fully(in);
    EXPECT_FALSE(st.is_ok()) << name << " was accepted";
    if (!st.is_ok()) {
      EXPECT_EQ(st.code(), Status::Code::kCorruption) << name;
      EXPECT_FALSE(st.message().empty()) << name;
    }
  }
}

}  // namespace
}  // namespace klay
