#include "node/rpc/metrics_server.h"

#include "node/rpc/http_listener.h"

namespace klay::rpc {

struct MetricsServer::Impl {
  httplib::Server http;
  HttpListener listener{http};
  bool started = false;
};

MetricsServer::MetricsServer(const MetricsRegistry& registry, MetricsServerConfig config)
    : registry_(registry), config_(std::move(config)), impl_(std::make_unique<Impl>()) {}

MetricsServer::~MetricsServer() { stop(); }

int MetricsServer::port() const { return impl_->listener.port(); }

void MetricsServer::stop() { impl_->listener.stop(); }

Status MetricsServer::start() {
  if (impl_->started) return Status::invalid_argument("metrics server already started");
  if (config_.thread_count == 0) return Status::invalid_argument("metrics server needs at least one thread");
  impl_->started = true;

  httplib::Server& http = impl_->http;
  const size_t threads = config_.thread_count;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(64 * 1024);  // scrapes carry no body
  http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    try {
      res.set_content(registry_.render(), kPrometheusContentType);
    } catch (const std::exception& e) {
      res.status = 500;
      res.set_content(std::string("metrics rendering failed: ") + e.what() + "\n", "text/plain");
    }
  });
  http.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("klaychain metrics: GET /metrics\n", "text/plain");
  });
  return impl_->listener.start(config_.addr, config_.port);
}

}  // namespace klay::rpc
