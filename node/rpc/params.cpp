#include "node/rpc/params.h"

#include <cassert>

#include "node/rpc/hex_codec.h"

namespace klay::rpc {
namespace {

const nlohmann::json& null_json() {
  static const nlohmann::json kNull;
  return kNull;
}

RpcError missing(size_t i) {
  return RpcError::invalid_params("missing value for required argument " + std::to_string(i));
}

// Runs `parse` on entry i with the argument index added to its error.
template <typename T, typename Parse>
RpcExpected<T> typed(const ParamList& list, size_t i, Parse parse) {
  if (!list.has(i)) return missing(i);
  RpcExpected<T> r = parse(list.raw(i));
  if (!r) return with_arg_index(i, r.error());
  return r;
}

}  // namespace

RpcError with_arg_index(size_t i, RpcError e) {
  if (e.code == error_code::kInvalidParams) {
    e.message = "invalid argument " + std::to_string(i) + ": " + e.message;
  }
  return e;
}

RpcExpected<ParamList> ParamList::from(const nlohmann::json& params, size_t required, size_t max_count) {
  assert(required <= max_count);
  if (!params.is_array()) return RpcError::invalid_params("non-array args");
  if (params.size() > max_count) {
    return RpcError::invalid_params("too many arguments, want at most " + std::to_string(max_count));
  }
  for (size_t i = 0; i < required; ++i) {
    if (i >= params.size() || params[i].is_null()) return missing(i);
  }
  return ParamList(&params);
}

bool ParamList::has(size_t i) const { return i < params_->size() && !(*params_)[i].is_null(); }

const nlohmann::json& ParamList::raw(size_t i) const {
  return i < params_->size() ? (*params_)[i] : null_json();
}

RpcExpected<uint64_t> ParamList::quantity(size_t i) const {
  return typed<uint64_t>(*this, i, [](const nlohmann::json& v) { return parse_quantity_u64(v); });
}

RpcExpected<uint256> ParamList::quantity_u256(size_t i) const {
  return typed<uint256>(*this, i, [](const nlohmann::json& v) { return parse_quantity_u256(v); });
}

RpcExpected<Bytes> ParamList::data(size_t i) const {
  return typed<Bytes>(*this, i, [](const nlohmann::json& v) { return parse_data(v); });
}

RpcExpected<Address> ParamList::address(size_t i) const {
  return typed<Address>(*this, i, [](const nlohmann::json& v) { return parse_address(v); });
}

RpcExpected<Hash> ParamList::hash(size_t i) const {
  return typed<Hash>(*this, i, [](const nlohmann::json& v) { return parse_hash(v); });
}

RpcExpected<bool> ParamList::boolean(size_t i) const {
  return typed<bool>(*this, i, [](const nlohmann::json& v) -> RpcExpected<bool> {
    if (!v.is_boolean()) return RpcError::invalid_params("cannot unmarshal non-boolean into bool");
    return v.get<bool>();
  });
}

RpcExpected<std::string> ParamList::string(size_t i) const {
  return typed<std::string>(*this, i, [](const nlohmann::json& v) -> RpcExpected<std::string> {
    if (!v.is_string()) return RpcError::invalid_params("cannot unmarshal non-string into string");
    return v.get<std::string>();
  });
}

RpcExpected<BlockTag> ParamList::block_tag(size_t i) const {
  return typed<BlockTag>(*this, i, [](const nlohmann::json& v) { return parse_block_tag(v); });
}

RpcExpected<BlockSelector> ParamList::block_selector(size_t i) const {
  return typed<BlockSelector>(*this, i, [](const nlohmann::json& v) { return parse_block_selector(v); });
}

}  // namespace klay::rpc
