// Block tags, EIP-1898 selectors and ParamList argument checking.
#include "node/rpc/params.h"

#include <gtest/gtest.h>

namespace klay::rpc {
namespace {

using nlohmann::json;

const std::string kHash = "0x" + std::string(60, '0') + "abcd";

TEST(BlockTag, NamedTagsAndNumbers) {
  EXPECT_EQ(parse_block_tag(json("latest")).value(), BlockTag::latest());
  EXPECT_EQ(parse_block_tag(json("earliest")).value(), BlockTag::earliest());
  EXPECT_EQ(parse_block_tag(json("pending")).value(), BlockTag::pending());
  EXPECT_EQ(parse_block_tag(json("0x0")).value(), BlockTag::number(0));
  EXPECT_EQ(parse_block_tag(json("0x1b4")).value(), BlockTag::number(0x1b4));
  EXPECT_EQ(parse_block_tag(json("0x7fffffffffffffff")).value(), BlockTag::number(0x7fffffffffffffff));
  EXPECT_EQ(BlockTag::number(0x1b4).to_string(), "0x1b4");
  EXPECT_EQ(BlockTag::pending().to_string(), "pending");
}

TEST(BlockTag, Rejections) {
  auto msg = [](const json& v) {
    auto r = parse_block_tag(v);
    EXPECT_FALSE(r.has_value()) << v.dump();
    return r.has_value() ? std::string() : r.error().message;
  };
  EXPECT_EQ(msg(json("Latest")), "hex string without 0x prefix");  // tags are case-sensitive
  EXPECT_EQ(msg(json("0x01")), "hex number with leading zero digits");
  EXPECT_EQ(msg(json("0x8000000000000000")), "block number larger than int64");
  EXPECT_EQ(msg(json("")), "empty hex string");
  EXPECT_NE(msg(json(12)).find("non-string"), std::string::npos);
}

TEST(BlockSelector, StringForms) {
  auto tag = parse_block_selector(json("latest"));
  ASSERT_TRUE(tag.has_value());
  EXPECT_EQ(tag.value().tag, BlockTag::latest());
  EXPECT_FALSE(tag.value().block_hash.has_value());

  auto num = parse_block_selector(json("0x10"));
  ASSERT_TRUE(num.has_value());
  EXPECT_EQ(num.value().tag, BlockTag::number(16));

  auto hash = parse_block_selector(json(kHash));
  ASSERT_TRUE(hash.has_value());
  ASSERT_TRUE(hash.value().block_hash.has_value());
  EXPECT_EQ(hash.value().block_hash->bytes[31], 0xcd);
  EXPECT_FALSE(hash.value().tag.has_value());

  EXPECT_EQ(parse_block_selector(json("0x8000000000000000")).error().message, "blocknumber too high");
}

TEST(BlockSelector, Eip1898Objects) {
  auto by_hash = parse_block_selector(json{{"blockHash", kHash}, {"requireCanonical", true}});
  ASSERT_TRUE(by_hash.has_value());
  EXPECT_TRUE(by_hash.value().block_hash.has_value());
  EXPECT_TRUE(by_hash.value().require_canonical);

  auto by_number = parse_block_selector(json{{"blockNumber", "0x2a"}});
  ASSERT_TRUE(by_number.has_value());
  EXPECT_EQ(by_number.value().tag, BlockTag::number(42));
  EXPECT_FALSE(by_number.value().require_canonical);

  EXPECT_EQ(parse_block_selector(json{{"blockNumber", "0x1"}, {"blockHash", kHash}}).error().message,
            "cannot specify both BlockHash and BlockNumber, choose one or the other");
  EXPECT_EQ(parse_block_selector(json::object()).error().message,
            "invalid arguments; neither block nor hash specified");
  EXPECT_FALSE(parse_block_selector(json{{"blockHash", "0x12"}}).has_value());
  EXPECT_FALSE(parse_block_selector(json{{"blockHash", kHash}, {"requireCanonical", "yes"}}).has_value());
  EXPECT_FALSE(parse_block_selector(json(true)).has_value());
}

TEST(ParamList, ShapeErrorsUseGethWording) {
  EXPECT_EQ(ParamList::from(json::object(), 0, 1).error().message, "non-array args");
  EXPECT_EQ(ParamList::from(json::array({1, 2, 3}), 0, 2).error().message, "too many arguments, want at most 2");
  EXPECT_EQ(ParamList::from(json::array(), 1, 2).error().message, "missing value for required argument 0");
  EXPECT_EQ(ParamList::from(json::array({"0x1", nullptr}), 2, 2).error().message,
            "missing value for required argument 1");
  EXPECT_TRUE(ParamList::from(json::array({"0x1"}), 1, 2).has_value());
}

TEST(ParamList, TypedAccessorsPrefixTheIndex) {
  const json params = json::array({"0x00000000000000000000000000000000000000ff", "0x01", nullptr, true});
  auto list = ParamList::from(params, 1, 4).value_or_throw();
  EXPECT_EQ(list.size(), 4u);
  EXPECT_EQ(list.address(0).value().bytes[19], 0xff);
  auto bad = list.quantity(1);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, error_code::kInvalidParams);
  EXPECT_EQ(bad.error().message, "invalid argument 1: hex number with leading zero digits");
  EXPECT_FALSE(list.has(2));
  EXPECT_TRUE(list.raw(2).is_null());
  EXPECT_EQ(list.block_tag(2).error().message, "missing value for required argument 2");
  EXPECT_TRUE(list.boolean(3).value());
  EXPECT_EQ(list.boolean(0).error().message, "invalid argument 0: cannot unmarshal non-boolean into bool");
  EXPECT_FALSE(list.has(7));
  EXPECT_EQ(list.string(0).value(), "0x00000000000000000000000000000000000000ff");
}

}  // namespace
}  // namespace klay::rpc
