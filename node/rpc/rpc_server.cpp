#include "node/rpc/rpc_server.h"

#include <algorithm>
#include <cctype>

#include <spdlog/spdlog.h>

#include "node/rpc/http_listener.h"

namespace klay::rpc {
namespace {

constexpr const char* kJsonType = "application/json";

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

void send_error(httplib::Response& res, int http_status, const RpcError& error) {
  res.status = http_status;
  res.set_content(dump_response(error_response(nullptr, error)), kJsonType);
}

}  // namespace

bool is_json_content_type(std::string_view content_type) {
  std::string media = lower(trim(content_type.substr(0, content_type.find(';'))));
  return media == "application/json" || media == "application/json-rpc" || media == "application/jsonrequest";
}

struct RpcServer::Impl {
  httplib::Server http;
  HttpListener listener{http};
  bool started = false;
};

RpcServer::RpcServer(const MethodRegistry& registry, RpcServerConfig config)
    : config_(std::move(config)),
      dispatcher_(registry, config_.dispatch, config_.metrics),
      impl_(std::make_unique<Impl>()) {}

RpcServer::~RpcServer() { stop(); }

int RpcServer::port() const { return impl_->listener.port(); }

void RpcServer::stop() { impl_->listener.stop(); }

Status RpcServer::start() {
  if (impl_->started) return Status::invalid_argument("RPC server already started");
  if (config_.thread_count == 0) return Status::invalid_argument("RPC server needs at least one thread");
  if (config_.max_body_bytes == 0) return Status::invalid_argument("RPC max body size must be positive");
  impl_->started = true;

  httplib::Server& http = impl_->http;
  const size_t threads = config_.thread_count;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(config_.max_body_bytes);
  http.set_keep_alive_timeout(config_.keep_alive_timeout_sec);
  http.set_read_timeout(config_.read_timeout_sec, 0);

  // Runs before the body is read, so bad requests are refused without
  // buffering them.
  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.method != "POST" || req.path != "/") return httplib::Server::HandlerResponse::Unhandled;
    if (lower(req.get_header_value("Transfer-Encoding")).find("chunked") != std::string::npos) {
      res.set_header("Connection", "close");
      send_error(res, 411, RpcError::invalid_request("chunked request bodies are not supported, send Content-Length"));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!is_json_content_type(req.get_header_value("Content-Type"))) {
      send_error(res, 415, RpcError::invalid_request("invalid content type, only application/json is supported"));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  http.Post("/", [this](const httplib::Request& req, httplib::Response& res) {
    try {
      CallContext ctx{req.remote_addr};
      res.status = 200;
      res.set_content(dispatcher_.handle(req.body, ctx), kJsonType);
    } catch (const std::exception& e) {
      spdlog::error("rpc: HTTP request failed: {}", e.what());
      send_error(res, 200, RpcError::internal("internal error"));
    }
  });

  http.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("klaychain JSON-RPC endpoint: POST JSON-RPC 2.0 requests (Content-Type: application/json)\n",
                    "text/plain");
  });

  // httplib answers oversized bodies with a bare 413; give it a JSON-RPC body.
  const size_t limit = config_.max_body_bytes;
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [limit](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || res.status != 413) return httplib::Server::HandlerResponse::Unhandled;
    std::string message = "content length too large";
    if (req.has_header("Content-Length")) {
      message += " (" + req.get_header_value("Content-Length") + ">" + std::to_string(limit) + ")";
    }
    send_error(res, 413, RpcError::invalid_request(message));
    return httplib::Server::HandlerResponse::Handled;
  }));

  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_error(res, 500, RpcError::internal("internal error"));
  });

  return impl_->listener.start(config_.addr, config_.port);
}

}  // namespace klay::rpc
