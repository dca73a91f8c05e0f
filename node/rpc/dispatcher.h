// Dispatcher: JSON-RPC 2.0 request bodies in, response bodies out. No I/O;
// the HTTP server (rpc_server.h) feeds it, and tests drive it directly with
// any remote address.
//
// Behaviour (geth/Klaytn compatible):
//  - a body that is not JSON, or nests deeper than max_json_depth: one
//    -32700 error with id null;
//  - a single request object: one response object, or nothing for a
//    notification (a request without "id");
//  - a batch (array): an array with one response per non-notification
//    entry, in order; nothing when every entry is a notification; an empty
//    batch is one -32600 "empty batch" error; a batch longer than
//    max_batch_items is an array holding one -32600 "batch too large" error
//    carrying the id of the batch's first call;
//  - an invalid request object (not an object, "jsonrpc" other than "2.0",
//    "method" not a non-empty string, "id" neither string, number nor null):
//    -32600 "invalid request" with the id if it was valid, else null;
//  - unknown method: -32601 "the method X does not exist/is not available";
//  - restricted (admin/debug) methods from a non-loopback client, unless the
//    policy allows them: the same -32601 error (existence is not revealed);
//  - a handler that throws RpcException: its error; any other exception:
//    -32603 "internal error", its text logged here and never sent (it may
//    name paths, keys or internals). Deliberate sentences for the client
//    (pruned state, pool rejections) travel as RpcException / RpcError.
//
// Threading: handle() is const and may run concurrently on many threads; it
// calls method handlers concurrently. The registry (and the metrics registry,
// if any) must outlive the dispatcher.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "node/rpc/method_registry.h"
#include "node/rpc/metrics.h"
#include "node/rpc/rpc_error.h"

namespace klay::rpc {

struct DispatchPolicy {
  size_t max_batch_items = 1000;   // entries per batch; larger batches are refused
  size_t max_json_depth = 128;     // array/object nesting allowed in a body
  bool allow_remote_admin = false; // serve kMethodAdmin methods to non-loopback clients
  bool allow_remote_debug = false; // serve kMethodDebug methods to non-loopback clients
};

// Who is calling. `remote_addr` is the numeric peer address as text
// ("127.0.0.1", "::1"); empty means unknown and counts as remote.
struct CallContext {
  std::string_view remote_addr;
};

class Dispatcher {
 public:
  // `metrics` may be null. When set, the dispatcher records
  //   rpc_requests_total{method}, rpc_errors_total{method} (registered methods
  //   only, so label cardinality stays bounded), rpc_unknown_method_total and
  //   rpc_request_duration_seconds (histogram).
  Dispatcher(const MethodRegistry& registry, DispatchPolicy policy, MetricsRegistry* metrics = nullptr);

  // The response body for `body`; empty when nothing must be sent (only
  // notifications). Never throws for any input.
  std::string handle(std::string_view body, const CallContext& ctx) const;

  // One request value (an element of a batch, or a whole single request).
  // nullopt for a valid notification. Never throws.
  std::optional<nlohmann::json> handle_call(const nlohmann::json& request, const CallContext& ctx) const;

  // True when `method` (with `flags`) may be served to `ctx` under the policy.
  bool allowed(uint32_t flags, const CallContext& ctx) const;

  const DispatchPolicy& policy() const { return policy_; }

 private:
  MethodResult invoke(const RegisteredMethod& method, const nlohmann::json& params) const;

  const MethodRegistry& registry_;
  DispatchPolicy policy_;
  MetricsRegistry* metrics_;
  Histogram* duration_ = nullptr;
  Counter* unknown_method_ = nullptr;
};

// A complete error response object {"jsonrpc":"2.0","id":id,"error":{...}}.
nlohmann::json error_response(const nlohmann::json& id, const RpcError& error);
// Serialises a response; invalid UTF-8 in strings is replaced, never thrown.
std::string dump_response(const nlohmann::json& response);
// Greatest array/object nesting depth of a JSON text (strings skipped). Stops
// counting once `limit` is exceeded and returns limit + 1.
size_t json_nesting_depth(std::string_view text, size_t limit);

}  // namespace klay::rpc
