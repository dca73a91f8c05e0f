// RpcServer and MetricsServer over real HTTP on ephemeral loopback ports.
#include "node/rpc/rpc_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "node/rpc/hex_codec.h"
#include "node/rpc/metrics_server.h"
#include "node/rpc/params.h"

namespace klay::rpc {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kHost = "127.0.0.1";

void register_test_methods(MethodRegistry& m) {
  ASSERT_TRUE(m.register_method("eth_chainId", [](const json&) -> MethodResult { return "0x2019"; }));
  ASSERT_TRUE(m.register_alias("klay_chainID", "eth_chainId"));
  ASSERT_TRUE(m.register_method("test_echo", [](const json& p) -> MethodResult { return p; }));
  ASSERT_TRUE(m.register_method("test_double", [](const json& p) -> MethodResult {
    auto args = ParamList::from(p, 1, 1).value_or_throw();
    return encode_quantity(args.quantity(0).value_or_throw() * 2);
  }));
  ASSERT_TRUE(m.register_method("test_throw", [](const json&) -> MethodResult {
    throw std::runtime_error("boom");
  }));
  ASSERT_TRUE(m.register_method("admin_peers", [](const json&) -> MethodResult { return json::array(); },
                                kMethodAdmin));
}

class RpcServerTest : public ::testing::Test {
 protected:
  void SetUp() override { register_test_methods(methods_); }

  // Starts a server on a free loopback port.
  void start(RpcServerConfig cfg = {}) {
    cfg.addr = kHost;
    cfg.port = 0;
    server_ = std::make_unique<RpcServer>(methods_, cfg);
    ASSERT_TRUE(server_->start());
    ASSERT_GT(server_->port(), 0);
  }

  httplib::Result post(const std::string& body, const char* content_type = "application/json") {
    httplib::Client cli(kHost, server_->port());
    cli.set_read_timeout(10, 0);
    return cli.Post("/", body, content_type);
  }

  json post_json(const std::string& body) {
    auto res = post(body);
    EXPECT_TRUE(res) << httplib::to_string(res.error());
    if (!res) return json();
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    return json::parse(res->body);
  }

  MethodRegistry methods_;
  std::unique_ptr<RpcServer> server_;
};

TEST_F(RpcServerTest, SingleCall) {
  start();
  json r = post_json(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})");
  EXPECT_EQ(r, json({{"jsonrpc", "2.0"}, {"id", 1}, {"result", "0x2019"}}));
  EXPECT_EQ(post_json(R"({"jsonrpc":"2.0","id":2,"method":"klay_chainID"})")["result"], "0x2019");
}

TEST_F(RpcServerTest, GetRootIsText) {
  start();
  httplib::Client cli(kHost, server_->port());
  auto res = cli.Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/plain");
  EXPECT_NE(res->body.find("JSON-RPC"), std::string::npos);
}

TEST_F(RpcServerTest, MixedBatch) {
  start();
  json r = post_json(R"([
    {"jsonrpc":"2.0","id":1,"method":"test_double","params":["0x15"]},
    {"jsonrpc":"2.0","method":"test_echo","params":[1]},
    {"jsonrpc":"2.0","id":2,"method":"no_such"},
    "junk",
    {"jsonrpc":"2.0","id":3,"method":"test_double","params":["15"]}
  ])");
  ASSERT_TRUE(r.is_array());
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0]["result"], "0x2a");
  EXPECT_EQ(r[1]["error"]["code"], error_code::kMethodNotFound);
  EXPECT_EQ(r[2]["error"]["code"], error_code::kInvalidRequest);
  EXPECT_EQ(r[3]["error"]["code"], error_code::kInvalidParams);
  EXPECT_EQ(r[3]["error"]["message"], "invalid argument 0: hex string without 0x prefix");
}

TEST_F(RpcServerTest, ErrorsOverHttp) {
  start();
  json r = post_json("{oops");
  EXPECT_EQ(r["error"]["code"], error_code::kParseError);
  EXPECT_TRUE(r["id"].is_null());
  EXPECT_EQ(post_json(R"({"jsonrpc":"2.1","id":1,"method":"eth_chainId"})")["error"]["code"],
            error_code::kInvalidRequest);
  EXPECT_EQ(post_json(R"([1])")[0]["error"]["code"], error_code::kInvalidRequest);
  r = post_json(R"({"jsonrpc":"2.0","id":1,"method":"eth_foo"})");
  EXPECT_EQ(r["error"]["message"], "the method eth_foo does not exist/is not available");
  r = post_json(R"({"jsonrpc":"2.0","id":7,"method":"test_throw"})");
  EXPECT_EQ(r["error"]["code"], error_code::kInternalError);
  EXPECT_EQ(r["error"]["message"], "internal error");
  EXPECT_EQ(r["id"], 7);
}

TEST_F(RpcServerTest, NotificationOnlyBodyGetsEmptyResponse) {
  start();
  auto res = post(R"([{"jsonrpc":"2.0","method":"test_echo"},{"jsonrpc":"2.0","method":"eth_chainId"}])");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(res->body.empty());
}

TEST_F(RpcServerTest, ContentTypeIsChecked) {
  start();
  auto res = post(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 415);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], error_code::kInvalidRequest);
  res = post(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})", "application/json; charset=UTF-8");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(is_json_content_type("Application/JSON"));
  EXPECT_FALSE(is_json_content_type("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_content_type(""));
}

TEST_F(RpcServerTest, BodyLimitAt413WithJsonRpcError) {
  RpcServerConfig cfg;
  cfg.max_body_bytes = 4096;
  start(cfg);
  // Exactly at the limit: served (the padding is a long string parameter).
  std::string head = R"({"jsonrpc":"2.0","id":1,"method":"test_echo","params":[")";
  std::string tail = R"("]})";
  std::string body = head + std::string(4096 - head.size() - tail.size(), 'a') + tail;
  ASSERT_EQ(body.size(), 4096u);
  EXPECT_EQ(post_json(body)["result"][0].get<std::string>().size(), 4096 - head.size() - tail.size());

  body.insert(head.size(), "a");
  auto res = post(body);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  json r = json::parse(res->body);
  EXPECT_EQ(r["error"]["code"], error_code::kInvalidRequest);
  EXPECT_EQ(r["error"]["message"], "content length too large (4097>4096)");
  // The server keeps serving afterwards.
  EXPECT_EQ(post_json(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})")["result"], "0x2019");
}

TEST_F(RpcServerTest, DefaultBodyLimitIsFiveMiB) {
  start();
  std::string body(5 * 1024 * 1024 + 1, ' ');
  auto res = post(body);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], error_code::kInvalidRequest);
}

TEST_F(RpcServerTest, ChunkedBodiesAreRefused) {
  start();
  // httplib's chunked reader ignores the body limit, so the server refuses
  // chunked bodies before reading them. A raw socket sends only the headers,
  // so the refusal is observable without racing the upload.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  const std::string head =
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  ASSERT_EQ(send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  std::string reply;
  char buf[512];
  while (reply.find("\r\n\r\n") == std::string::npos) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 411 ")) << reply;
}

TEST_F(RpcServerTest, BatchLimit) {
  start();
  auto batch_of = [](size_t n) {
    json batch = json::array();
    for (size_t i = 0; i < n; ++i) batch.push_back({{"jsonrpc", "2.0"}, {"id", 100 + i}, {"method", "eth_chainId"}});
    return batch.dump();
  };
  json ok = post_json(batch_of(1000));
  ASSERT_EQ(ok.size(), 1000u);
  EXPECT_EQ(ok[999]["id"], 1099);
  json refused = post_json(batch_of(1001));
  ASSERT_TRUE(refused.is_array());
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0]["error"]["code"], error_code::kInvalidRequest);
  EXPECT_EQ(refused[0]["error"]["message"], "batch too large");
  EXPECT_EQ(refused[0]["id"], 100);
}

TEST_F(RpcServerTest, AdminMethodAllowedFromLoopback) {
  start();
  json r = post_json(R"({"jsonrpc":"2.0","id":1,"method":"admin_peers"})");
  EXPECT_EQ(r["result"], json::array());
}

TEST_F(RpcServerTest, ConcurrentClientsAllAnswered) {
  RpcServerConfig cfg;
  cfg.thread_count = 4;
  start(cfg);
  constexpr int kThreads = 8;
  constexpr int kRequests = 40;
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client cli(kHost, server_->port());
      cli.set_keep_alive(t % 2 == 0);  // half reuse connections
      cli.set_tcp_nodelay(true);       // else Nagle + delayed ACK add 40 ms per request
      for (int i = 0; i < kRequests; ++i) {
        const uint64_t n = static_cast<uint64_t>(t) * 1000 + i;
        json req = {{"jsonrpc", "2.0"}, {"id", n}, {"method", "test_double"}, {"params", {encode_quantity(n)}}};
        auto res = cli.Post("/", req.dump(), "application/json");
        if (!res || res->status != 200) continue;
        json r = json::parse(res->body, nullptr, false);
        if (r.is_object() && r["id"] == n && r["result"] == encode_quantity(2 * n)) ++correct;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(correct.load(), kThreads * kRequests);
}

TEST_F(RpcServerTest, StopFinishesInFlightRequests) {
  std::atomic<bool> entered{false};
  ASSERT_TRUE(methods_.register_method("test_slow", [&entered](const json&) -> MethodResult {
    entered = true;
    std::this_thread::sleep_for(300ms);
    return "done";
  }));
  start();
  json answer;
  std::thread client([&] { answer = post_json(R"({"jsonrpc":"2.0","id":1,"method":"test_slow"})"); });
  for (int i = 0; i < 500 && !entered; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(entered.load());
  const int port = server_->port();
  server_->stop();
  client.join();
  EXPECT_EQ(answer["result"], "done");
  // Stopped: no longer accepting, and stop() is idempotent.
  httplib::Client cli(kHost, port);
  cli.set_connection_timeout(1, 0);
  EXPECT_FALSE(cli.Get("/"));
  server_->stop();
}

TEST_F(RpcServerTest, StartErrors) {
  start();
  EXPECT_EQ(server_->start().code(), Status::Code::kInvalidArgument);
  RpcServerConfig cfg;
  cfg.addr = kHost;
  cfg.port = server_->port();
  RpcServer clash(methods_, cfg);
  EXPECT_EQ(clash.start().code(), Status::Code::kIOError);
  cfg.port = 0;
  cfg.thread_count = 0;
  RpcServer no_threads(methods_, cfg);
  EXPECT_EQ(no_threads.start().code(), Status::Code::kInvalidArgument);
}

TEST(MetricsServer, ServesRegistry) {
  MetricsRegistry reg;
  reg.counter("blocks_imported_total", "Blocks imported").inc(42);
  MetricsServer server(reg, MetricsServerConfig{kHost, 0, 2});
  ASSERT_TRUE(server.start());
  httplib::Client cli(kHost, server.port());
  auto res = cli.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), kPrometheusContentType);
  EXPECT_EQ(res->body, reg.render());
  EXPECT_NE(res->body.find("blocks_imported_total 42\n"), std::string::npos);
  reg.counter("blocks_imported_total", "").inc();
  res = cli.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("blocks_imported_total 43\n"), std::string::npos);
  server.stop();
}

TEST(MetricsServer, RpcServerFeedsMetrics) {
  MethodRegistry methods;
  register_test_methods(methods);
  MetricsRegistry reg;
  RpcServerConfig cfg;
  cfg.addr = kHost;
  cfg.port = 0;
  cfg.metrics = &reg;
  RpcServer rpc(methods, cfg);
  ASSERT_TRUE(rpc.start());
  httplib::Client cli(kHost, rpc.port());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(cli.Post("/", R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})", "application/json"));
  rpc.stop();
  EXPECT_NE(reg.render().find("rpc_requests_total{method=\"eth_chainId\"} 3\n"), std::string::npos);
}

}  // namespace
}  // namespace klay::rpc
