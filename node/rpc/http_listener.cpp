#include "node/rpc/http_listener.h"

#include <sys/socket.h>

#include <chrono>

namespace klay::rpc {

Status HttpListener::start(const std::string& addr, int port) {
  if (thread_.joinable()) return Status::invalid_argument("HTTP server already started");
  if (port < 0 || port > 65535) return Status::invalid_argument("invalid port " + std::to_string(port));
  // httplib's default sets SO_REUSEPORT, which would let a second process
  // bind the same port and silently share its traffic; a node must fail instead.
  server_.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server_.set_tcp_nodelay(true);
  int bound = port;
  if (port == 0) {
    bound = server_.bind_to_any_port(addr);
    if (bound <= 0) return Status::io_error("cannot listen on " + addr + " (any port)");
  } else if (!server_.bind_to_port(addr, port)) {
    return Status::io_error("cannot listen on " + addr + ":" + std::to_string(port) +
                            " (address in use or not available)");
  }
  port_ = bound;
  finished_ = false;
  thread_ = std::thread([this] {
    server_.listen_after_bind();
    finished_ = true;
  });
  // stop() is a no-op until the accept loop runs, so wait for it here.
  while (!server_.is_running() && !finished_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (finished_.load()) {
    thread_.join();
    return Status::io_error("HTTP server on " + addr + ":" + std::to_string(bound) + " stopped at once");
  }
  return Status::ok();
}

void HttpListener::stop() {
  if (!thread_.joinable()) return;
  server_.stop();
  thread_.join();
}

}  // namespace klay::rpc
