// MetricsServer: serves a MetricsRegistry at GET /metrics in the Prometheus
// text format, on its own port (Klaytn's --metrics.port; 61001 in our node).
//
// Threading: a small httplib worker pool renders the registry concurrently
// with updates (see metrics.h). start()/stop() are called by the owner, not
// concurrently. The registry must outlive the server.
#pragma once

#include <memory>
#include <string>

#include "engine/core/status.h"
#include "node/rpc/metrics.h"

namespace klay::rpc {

struct MetricsServerConfig {
  std::string addr = "127.0.0.1";  // listen address
  int port = 61001;                // --metrics.port; 0 picks a free port
  size_t thread_count = 2;         // worker threads (>= 1)
};

// Content-Type of the text exposition format.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

class MetricsServer {
 public:
  MetricsServer(const MetricsRegistry& registry, MetricsServerConfig config);
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;
  ~MetricsServer();

  // Binds and serves in the background. IOError when the address cannot be
  // bound; InvalidArgument for a bad config or a second start().
  Status start();
  // Finishes in-flight scrapes and joins the threads. Idempotent.
  void stop();
  // The bound port; 0 before start().
  int port() const;

 private:
  struct Impl;
  const MetricsRegistry& registry_;
  MetricsServerConfig config_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace klay::rpc
