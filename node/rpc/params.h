// ParamList: checked access to positional ("params": [...]) arguments.
//
//   auto args = ParamList::from(params, 1, 2).value_or_throw();
//   Address who = args.address(0).value_or_throw();
//   BlockSelector at = args.has(1) ? args.block_selector(1).value_or_throw()
//                                  : BlockSelector{BlockTag::latest()};
//
// Shape errors use geth's wording: "non-array args", "missing value for
// required argument N", "too many arguments, want at most N". Typed
// accessors prefix their error with "invalid argument N: " as geth does.
//
// A ParamList borrows the params JSON: it must not outlive it. It is
// read-only and safe to share between threads while the JSON is alive.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "engine/core/bytes.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "node/rpc/block_tag.h"
#include "node/rpc/rpc_error.h"

namespace klay::rpc {

class ParamList {
 public:
  // `params` must be an array (a method taking no arguments also accepts an
  // absent/empty array). Entries at index >= `required` are optional; a JSON
  // null counts as absent, so a null in a required slot is "missing".
  // REQUIRES: required <= max_count.
  static RpcExpected<ParamList> from(const nlohmann::json& params, size_t required, size_t max_count);

  // Number of entries actually sent (trailing optional ones may be absent).
  size_t size() const { return params_->size(); }
  // True when entry `i` was sent and is not null.
  bool has(size_t i) const;
  // Entry `i`, or a null JSON when absent.
  const nlohmann::json& raw(size_t i) const;

  // Typed accessors: an absent entry is an error ("missing value for
  // required argument N"); check has(i) first for optional arguments.
  RpcExpected<uint64_t> quantity(size_t i) const;
  RpcExpected<uint256> quantity_u256(size_t i) const;
  RpcExpected<Bytes> data(size_t i) const;
  RpcExpected<Address> address(size_t i) const;
  RpcExpected<Hash> hash(size_t i) const;
  RpcExpected<bool> boolean(size_t i) const;
  RpcExpected<std::string> string(size_t i) const;
  RpcExpected<BlockTag> block_tag(size_t i) const;
  RpcExpected<BlockSelector> block_selector(size_t i) const;

 private:
  explicit ParamList(const nlohmann::json* params) : params_(params) {}
  const nlohmann::json* params_;
};

// Prefixes "invalid argument N: " to an invalid-params error, leaves other
// errors and values untouched.
RpcError with_arg_index(size_t i, RpcError e);

}  // namespace klay::rpc
