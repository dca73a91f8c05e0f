#include "node/rpc/block_tag.h"

#include <limits>

#include "node/rpc/hex_codec.h"

namespace klay::rpc {
namespace {

constexpr uint64_t kMaxBlockNum = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

std::optional<BlockTag> named_tag(std::string_view s) {
  if (s == "latest") return BlockTag::latest();
  if (s == "earliest") return BlockTag::earliest();
  if (s == "pending") return BlockTag::pending();
  return std::nullopt;
}

RpcExpected<BlockTag> tag_from_text(std::string_view s, std::string_view too_high_message) {
  if (auto tag = named_tag(s)) return *tag;
  auto n = decode_quantity_u64(s);
  if (!n) return n.error();
  if (n.value() > kMaxBlockNum) return RpcError::invalid_params(std::string(too_high_message));
  return BlockTag::number(n.value());
}

}  // namespace

std::string BlockTag::to_string() const {
  switch (kind) {
    case Kind::kLatest: return "latest";
    case Kind::kEarliest: return "earliest";
    case Kind::kPending: return "pending";
    case Kind::kNumber: return encode_quantity(block_num);
  }
  return "latest";
}

RpcExpected<BlockTag> parse_block_tag(const nlohmann::json& v) {
  if (!v.is_string()) {
    return RpcError::invalid_params("cannot unmarshal non-string into block number");
  }
  return tag_from_text(v.get_ref<const std::string&>(), "block number larger than int64");
}

RpcExpected<BlockSelector> parse_block_selector(const nlohmann::json& v) {
  BlockSelector out;
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    // Like geth: a 66-character string that is not a tag is a block hash.
    if (s.size() == 66 && !named_tag(s)) {
      auto hash = parse_hash(v);
      if (!hash) return hash.error();
      out.block_hash = hash.value();
      return out;
    }
    auto tag = tag_from_text(s, "blocknumber too high");
    if (!tag) return tag.error();
    out.tag = tag.value();
    return out;
  }
  if (!v.is_object()) {
    return RpcError::invalid_params("block selector must be a tag, a block number, a block hash or an object");
  }
  auto number_it = v.find("blockNumber");
  auto hash_it = v.find("blockHash");
  bool has_number = number_it != v.end() && !number_it->is_null();
  bool has_hash = hash_it != v.end() && !hash_it->is_null();
  if (has_number && has_hash) {
    return RpcError::invalid_params("cannot specify both BlockHash and BlockNumber, choose one or the other");
  }
  if (!has_number && !has_hash) {
    return RpcError::invalid_params("invalid arguments; neither block nor hash specified");
  }
  if (auto canon_it = v.find("requireCanonical"); canon_it != v.end() && !canon_it->is_null()) {
    if (!canon_it->is_boolean()) return RpcError::invalid_params("requireCanonical must be a boolean");
    out.require_canonical = canon_it->get<bool>();
  }
  if (has_hash) {
    auto hash = parse_hash(*hash_it);
    if (!hash) return hash.error();
    out.block_hash = hash.value();
  } else {
    auto tag = parse_block_tag(*number_it);
    if (!tag) return tag.error();
    out.tag = tag.value();
  }
  return out;
}

}  // namespace klay::rpc
