// MethodRegistry: the table of JSON-RPC methods the server dispatches to.
//
// The node registers its eth_/klay_/net_/admin_/debug_ methods before it
// starts the server; Klaytn serves many methods under two namespaces, so an
// alias shares one handler (`register_alias("eth_blockNumber",
// "klay_blockNumber")`).
//
// Threading: every member function is safe to call concurrently (a
// shared_mutex guards the table), so methods may also be added while the
// server runs. Handlers themselves run concurrently on the server's worker
// threads: a handler must be thread-safe and must not call back into the
// registry it is registered in while holding its own locks.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/status.h"
#include "node/rpc/rpc_error.h"

namespace klay::rpc {

// Receives the request's "params": a JSON array or object (an absent params
// member arrives as an empty array). May return an error or throw
// RpcException; any other exception is reported as -32603.
using MethodHandler = std::function<MethodResult(const nlohmann::json& params)>;

// Bit flags; restricted methods are served only where the server's config
// allows them (see RpcServerConfig / DispatchPolicy).
enum MethodFlags : uint32_t {
  kMethodPublic = 0,
  kMethodAdmin = 1u << 0,  // admin_*: node management
  kMethodDebug = 1u << 1,  // debug_*: tracing, profiling, raw database access
};

struct RegisteredMethod {
  std::string name;  // the name it was first registered under
  MethodHandler handler;
  uint32_t flags = kMethodPublic;
};

class MethodRegistry {
 public:
  MethodRegistry() = default;
  MethodRegistry(const MethodRegistry&) = delete;
  MethodRegistry& operator=(const MethodRegistry&) = delete;

  // Adds `name`. InvalidArgument when the name is empty, contains a
  // character outside [A-Za-z0-9_], is already registered, or the handler
  // is empty.
  Status register_method(std::string name, MethodHandler handler, uint32_t flags = kMethodPublic);

  // Makes `alias` call the same handler with the same flags as `target`.
  // InvalidArgument when `alias` is invalid or taken; NotFound when `target`
  // is not registered.
  Status register_alias(std::string alias, std::string_view target);

  // The method registered (or aliased) as `name`, or null. The returned
  // object stays valid for as long as the caller holds the pointer.
  std::shared_ptr<const RegisteredMethod> find(std::string_view name) const;

  bool contains(std::string_view name) const { return find(name) != nullptr; }
  // Every registered name and alias, sorted.
  std::vector<std::string> names() const;
  size_t size() const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const RegisteredMethod>, StringHash, std::equal_to<>>
      methods_;
};

// True when `name` is a usable method name: non-empty, [A-Za-z0-9_] only.
bool is_valid_method_name(std::string_view name);

}  // namespace klay::rpc
