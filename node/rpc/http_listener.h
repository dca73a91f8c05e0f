// HttpListener: runs a configured httplib::Server on its own thread. Shared
// by RpcServer and MetricsServer; internal to klay_rpc (include it only from
// .cpp files, it pulls in httplib.h).
//
// Threading: start() and stop() must not race each other (call them from the
// owning thread); port() and running() may be called from any thread. The
// httplib::Server must outlive the listener, and handlers must be installed
// before start().
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include <httplib.h>

#include "engine/core/status.h"

namespace klay::rpc {

class HttpListener {
 public:
  explicit HttpListener(httplib::Server& server) : server_(server) {}
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;
  ~HttpListener() { stop(); }

  // Binds addr:port (port 0 picks a free port) and serves on a background
  // thread. Returns once the server accepts connections. IOError when the
  // address cannot be bound; InvalidArgument when already started.
  Status start(const std::string& addr, int port);

  // Stops accepting, lets in-flight requests finish, joins the threads.
  // Idempotent.
  void stop();

  int port() const { return port_.load(); }
  bool running() const { return thread_.joinable() && !finished_.load(); }

 private:
  httplib::Server& server_;
  std::thread thread_;
  std::atomic<int> port_{0};
  std::atomic<bool> finished_{false};
};

}  // namespace klay::rpc
