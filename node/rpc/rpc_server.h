// RpcServer: JSON-RPC 2.0 over HTTP (POST /) on a configurable address.
//
//   MethodRegistry methods;
//   (void)methods.register_method("eth_chainId", [](const nlohmann::json&) -> MethodResult { return "0x2019"; });
//   RpcServer server(methods, RpcServerConfig{.addr = "127.0.0.1", .port = 8551});
//   if (Status s = server.start(); !s) { ... }
//   ...
//   server.stop();
//
// HTTP rules (geth compatible):
//  - POST / with Content-Type application/json (or application/json-rpc,
//    application/jsonrequest; parameters such as charset allowed). Anything
//    else: 415 with a JSON-RPC error body. This also makes browsers preflight
//    cross-origin requests, which the server never approves, so web pages
//    cannot reach loopback-only admin methods.
//  - bodies above max_body_bytes: 413 with a JSON-RPC -32600 error body;
//    chunked request bodies (no Content-Length) are refused with 411.
//  - JSON-RPC errors are HTTP 200; a body of only notifications gets an
//    empty 200 response.
//  - GET / returns a short text/plain description.
//
// Threading: requests are served by cpp-httplib's worker pool
// (`thread_count` threads, one connection each at a time, idle keep-alive
// connections included; further connections queue), so method handlers run
// concurrently and must be thread-safe. Requests of one batch run in order on
// one thread. start()/stop() are
// called by the owner, not concurrently with each other. The registry (and
// metrics registry, if any) must outlive the server.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "engine/core/status.h"
#include "node/rpc/dispatcher.h"
#include "node/rpc/method_registry.h"
#include "node/rpc/metrics.h"

namespace klay::rpc {

struct RpcServerConfig {
  std::string addr = "127.0.0.1";           // --rpc.addr
  int port = 8551;                          // --rpc.port; 0 picks a free port (see port())
  size_t max_body_bytes = 5 * 1024 * 1024;  // larger request bodies get HTTP 413
  size_t thread_count = 8;                  // worker threads (>= 1)
  int keep_alive_timeout_sec = 5;           // idle keep-alive connections are closed after this
  int read_timeout_sec = 30;                // per read while receiving a request
  DispatchPolicy dispatch;                  // batch/depth limits, admin/debug exposure
  MetricsRegistry* metrics = nullptr;       // optional: request counters and latency histogram
};

class RpcServer {
 public:
  RpcServer(const MethodRegistry& registry, RpcServerConfig config);
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;
  // Stops the server if running.
  ~RpcServer();

  // Binds and starts serving in the background; returns once connections
  // are accepted. IOError when the address cannot be bound, InvalidArgument
  // for a bad config or a second start(). A server is started at most once.
  Status start();

  // Stops accepting connections, waits for in-flight requests to complete,
  // joins the worker threads and returns. Idempotent. An idle keep-alive
  // connection can hold its worker for up to keep_alive_timeout_sec
  // (cpp-httplib 0.11 does not poll the stop flag while idle), which bounds
  // how long stop() can take beyond the slowest in-flight handler.
  void stop();

  // The bound port (useful with port 0); 0 before start().
  int port() const;
  const RpcServerConfig& config() const { return config_; }
  // The request logic, for callers that want to dispatch without HTTP
  // (e.g. an IPC transport).
  const Dispatcher& dispatcher() const { return dispatcher_; }

 private:
  struct Impl;
  RpcServerConfig config_;
  Dispatcher dispatcher_;
  std::unique_ptr<Impl> impl_;
};

// True for the media types accepted on POST ("application/json; charset=utf-8" ok).
bool is_json_content_type(std::string_view content_type);

}  // namespace klay::rpc
