// Small helpers shared by the method files of node/api (internal).
#pragma once

#include <string>
#include <string_view>

#include "engine/core/status.h"
#include "node/rpc/method_registry.h"
#include "node/rpc/params.h"

namespace klay::api {

// Registers `handler` as eth_<name> and aliases klay_<name> to it.
inline Status register_eth_klay(rpc::MethodRegistry& methods, std::string_view name, rpc::MethodHandler handler) {
  const std::string eth = "eth_" + std::string(name);
  if (Status s = methods.register_method(eth, std::move(handler)); !s) return s;
  return methods.register_alias("klay_" + std::string(name), eth);
}

// Argument `i` as a block selector, "latest" when absent.
inline rpc::BlockSelector selector_or_latest(const rpc::ParamList& args, size_t i) {
  if (!args.has(i)) return rpc::BlockSelector{rpc::BlockTag::latest(), std::nullopt, false};
  return args.block_selector(i).value_or_throw();
}

// The value of a Result, or throws RpcException with -32000 and its message.
template <typename T>
T value_or_server_error(Result<T> r) {
  if (!r) throw rpc::RpcException(rpc::RpcError::server(r.status().message()));
  return std::move(*r);
}

}  // namespace klay::api
