// Dispatcher and MethodRegistry without HTTP: any remote address can be faked.
#include "node/rpc/dispatcher.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "node/rpc/hex_codec.h"
#include "node/rpc/loopback.h"
#include "node/rpc/params.h"

namespace klay::rpc {
namespace {

using nlohmann::json;

constexpr CallContext kLocal{"127.0.0.1"};
constexpr CallContext kRemote{"203.0.113.7"};

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(methods_.register_method("eth_chainId", [](const json&) -> MethodResult { return "0x2019"; }));
    ASSERT_TRUE(methods_.register_alias("klay_chainID", "eth_chainId"));
    ASSERT_TRUE(methods_.register_method("test_echo", [](const json& p) -> MethodResult { return p; }));
    ASSERT_TRUE(methods_.register_method("test_add", [](const json& p) -> MethodResult {
      auto args = ParamList::from(p, 2, 2).value_or_throw();
      return encode_quantity(args.quantity(0).value_or_throw() + args.quantity(1).value_or_throw());
    }));
    ASSERT_TRUE(methods_.register_method("test_throw", [](const json&) -> MethodResult {
      throw std::runtime_error("disk on fire");
    }));
    ASSERT_TRUE(methods_.register_method("test_fail", [](const json&) -> MethodResult {
      return RpcError::server("execution reverted", json("0x08c379a0"));
    }));
    ASSERT_TRUE(methods_.register_method("test_notify", [this](const json&) -> MethodResult {
      ++notified_;
      return nullptr;
    }));
    ASSERT_TRUE(methods_.register_method("admin_nodeInfo", [](const json&) -> MethodResult { return "info"; },
                                         kMethodAdmin));
    ASSERT_TRUE(methods_.register_method("debug_dump", [](const json&) -> MethodResult { return "dump"; },
                                         kMethodDebug));
  }

  json call(std::string_view body, const CallContext& ctx = kLocal, DispatchPolicy policy = {}) {
    Dispatcher d(methods_, policy);
    std::string out = d.handle(body, ctx);
    return out.empty() ? json() : json::parse(out);
  }

  static int code_of(const json& response) { return response.at("error").at("code").get<int>(); }

  MethodRegistry methods_;
  int notified_ = 0;
};

TEST_F(DispatcherTest, SingleCallAndAlias) {
  json r = call(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]})");
  EXPECT_EQ(r, json({{"jsonrpc", "2.0"}, {"id", 1}, {"result", "0x2019"}}));
  r = call(R"({"jsonrpc":"2.0","id":"abc","method":"klay_chainID"})");  // params may be absent
  EXPECT_EQ(r["result"], "0x2019");
  EXPECT_EQ(r["id"], "abc");
  r = call(R"({"jsonrpc":"2.0","id":null,"method":"test_echo","params":{"a":[1,2]}})");
  EXPECT_TRUE(r["id"].is_null());
  EXPECT_EQ(r["result"], json({{"a", {1, 2}}}));
}

TEST_F(DispatcherTest, ParseErrorAndDepthLimit) {
  json r = call(R"({"jsonrpc":"2.0","id":1,"method")");
  EXPECT_EQ(code_of(r), error_code::kParseError);
  EXPECT_TRUE(r["id"].is_null());
  EXPECT_EQ(r["error"]["message"].get<std::string>().find("[json.exception"), std::string::npos);

  std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"test_echo","params":)" + std::string(200, '[') +
                     std::string(200, ']') + "}";
  r = call(deep);
  EXPECT_EQ(code_of(r), error_code::kParseError);
  EXPECT_NE(r["error"]["message"].get<std::string>().find("nesting"), std::string::npos);
  // Brackets inside strings do not count.
  std::string in_string = R"({"jsonrpc":"2.0","id":1,"method":"test_echo","params":[")" + std::string(300, '[') +
                          R"(\"]"]})";
  r = call(in_string);
  EXPECT_EQ(r["result"][0].get<std::string>().size(), 302u);
}

TEST_F(DispatcherTest, InvalidRequestShapes) {
  for (const char* body : {"1", R"("x")", "null", "true"}) {
    json r = call(body);
    EXPECT_EQ(code_of(r), error_code::kInvalidRequest) << body;
    EXPECT_TRUE(r["id"].is_null()) << body;
  }
  json r = call(R"({"jsonrpc":"1.0","id":5,"method":"eth_chainId"})");
  EXPECT_EQ(code_of(r), error_code::kInvalidRequest);
  EXPECT_EQ(r["id"], 5);
  EXPECT_EQ(r["error"]["message"], "invalid request");
  EXPECT_EQ(code_of(call(R"({"id":5,"method":"eth_chainId"})")), error_code::kInvalidRequest);
  EXPECT_EQ(code_of(call(R"({"jsonrpc":"2.0","id":5})")), error_code::kInvalidRequest);
  EXPECT_EQ(code_of(call(R"({"jsonrpc":"2.0","id":5,"method":7})")), error_code::kInvalidRequest);
  EXPECT_EQ(code_of(call(R"({"jsonrpc":"2.0","id":5,"method":""})")), error_code::kInvalidRequest);
  r = call(R"({"jsonrpc":"2.0","id":{"x":1},"method":"eth_chainId"})");
  EXPECT_EQ(code_of(r), error_code::kInvalidRequest);
  EXPECT_TRUE(r["id"].is_null());
  r = call(R"({"jsonrpc":"2.0","id":3,"method":"test_echo","params":"0x1"})");
  EXPECT_EQ(code_of(r), error_code::kInvalidParams);
}

TEST_F(DispatcherTest, MethodNotFoundUsesGethMessage) {
  json r = call(R"({"jsonrpc":"2.0","id":9,"method":"eth_nope"})");
  EXPECT_EQ(code_of(r), error_code::kMethodNotFound);
  EXPECT_EQ(r["error"]["message"], "the method eth_nope does not exist/is not available");
  EXPECT_EQ(r["id"], 9);
}

TEST_F(DispatcherTest, InvalidParamsAndHandlerErrors) {
  json r = call(R"({"jsonrpc":"2.0","id":1,"method":"test_add","params":["0x1","0x02"]})");
  EXPECT_EQ(code_of(r), error_code::kInvalidParams);
  EXPECT_EQ(r["error"]["message"], "invalid argument 1: hex number with leading zero digits");
  r = call(R"({"jsonrpc":"2.0","id":1,"method":"test_add","params":["0x1"]})");
  EXPECT_EQ(r["error"]["message"], "missing value for required argument 1");
  r = call(R"({"jsonrpc":"2.0","id":1,"method":"test_add","params":["0x1","0x2"]})");
  EXPECT_EQ(r["result"], "0x3");

  r = call(R"({"jsonrpc":"2.0","id":2,"method":"test_throw"})");
  EXPECT_EQ(code_of(r), error_code::kInternalError);
  EXPECT_EQ(r["error"]["message"], "internal error");
  EXPECT_EQ(r["id"], 2);

  r = call(R"({"jsonrpc":"2.0","id":3,"method":"test_fail"})");
  EXPECT_EQ(code_of(r), error_code::kServerError);
  EXPECT_EQ(r["error"]["data"], "0x08c379a0");
  EXPECT_FALSE(r.contains("result"));
}

TEST_F(DispatcherTest, NotificationsGetNoResponseButRun) {
  Dispatcher d(methods_, {});
  EXPECT_EQ(d.handle(R"({"jsonrpc":"2.0","method":"test_notify"})", kLocal), "");
  EXPECT_EQ(notified_, 1);
  EXPECT_EQ(d.handle(R"([{"jsonrpc":"2.0","method":"test_notify"},{"jsonrpc":"2.0","method":"nope"}])", kLocal), "");
  EXPECT_EQ(notified_, 2);
}

TEST_F(DispatcherTest, MixedBatch) {
  json r = call(R"([
    {"jsonrpc":"2.0","id":1,"method":"eth_chainId"},
    {"jsonrpc":"2.0","method":"test_notify"},
    {"jsonrpc":"2.0","id":2,"method":"eth_missing"},
    42,
    {"jsonrpc":"2.0","id":3,"method":"test_add","params":["0x1"]},
    {"jsonrpc":"2.0","id":4,"method":"test_echo","params":["hi"]}
  ])");
  ASSERT_TRUE(r.is_array());
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0]["result"], "0x2019");
  EXPECT_EQ(code_of(r[1]), error_code::kMethodNotFound);
  EXPECT_EQ(r[1]["id"], 2);
  EXPECT_EQ(code_of(r[2]), error_code::kInvalidRequest);
  EXPECT_EQ(code_of(r[3]), error_code::kInvalidParams);
  EXPECT_EQ(r[4]["result"], json::array({"hi"}));
  EXPECT_EQ(notified_, 1);
}

TEST_F(DispatcherTest, EmptyAndOversizedBatches) {
  json r = call("[]");
  EXPECT_EQ(code_of(r), error_code::kInvalidRequest);
  EXPECT_EQ(r["error"]["message"], "empty batch");

  DispatchPolicy small;
  small.max_batch_items = 3;
  std::string batch = R"([{"jsonrpc":"2.0","method":"test_notify"})";
  for (int i = 7; i < 10; ++i) batch += R"(,{"jsonrpc":"2.0","id":)" + std::to_string(i) + R"(,"method":"eth_chainId"})";
  batch += "]";
  r = call(batch, kLocal, small);
  ASSERT_TRUE(r.is_array());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(code_of(r[0]), error_code::kInvalidRequest);
  EXPECT_EQ(r[0]["error"]["message"], "batch too large");
  EXPECT_EQ(r[0]["id"], 7);  // the first call's id
  EXPECT_EQ(notified_, 0);   // nothing in a refused batch runs
  small.max_batch_items = 4;
  EXPECT_EQ(call(batch, kLocal, small).size(), 3u);
}

TEST(Loopback, Addresses) {
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.255.0.9"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_TRUE(is_loopback("::ffff:127.0.0.1"));
  EXPECT_FALSE(is_loopback(""));
  EXPECT_FALSE(is_loopback("localhost"));
  EXPECT_FALSE(is_loopback("128.0.0.1"));
  EXPECT_FALSE(is_loopback("10.0.0.1"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("::"));
  EXPECT_FALSE(is_loopback("::2"));
  EXPECT_FALSE(is_loopback("::ffff:10.0.0.1"));
  EXPECT_FALSE(is_loopback("127.0.0.1 "));
  EXPECT_FALSE(is_loopback("fe80::1"));
}

TEST_F(DispatcherTest, RestrictedMethodsNeedLoopbackUnlessEnabled) {
  const char* admin = R"({"jsonrpc":"2.0","id":1,"method":"admin_nodeInfo"})";
  const char* debug = R"({"jsonrpc":"2.0","id":1,"method":"debug_dump"})";
  EXPECT_EQ(call(admin, kLocal)["result"], "info");
  EXPECT_EQ(call(admin, CallContext{"::1"})["result"], "info");
  EXPECT_EQ(call(debug, kLocal)["result"], "dump");

  json r = call(admin, kRemote);
  EXPECT_EQ(code_of(r), error_code::kMethodNotFound);
  EXPECT_EQ(r["error"]["message"], "the method admin_nodeInfo does not exist/is not available");
  EXPECT_EQ(code_of(call(admin, CallContext{""})), error_code::kMethodNotFound);
  EXPECT_EQ(code_of(call(debug, kRemote)), error_code::kMethodNotFound);
  EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})", kRemote)["result"], "0x2019");

  DispatchPolicy open_admin;
  open_admin.allow_remote_admin = true;
  EXPECT_EQ(call(admin, kRemote, open_admin)["result"], "info");
  EXPECT_EQ(code_of(call(debug, kRemote, open_admin)), error_code::kMethodNotFound);
  DispatchPolicy open_debug;
  open_debug.allow_remote_debug = true;
  EXPECT_EQ(call(debug, kRemote, open_debug)["result"], "dump");
}

TEST(MethodRegistry, RegistrationRules) {
  MethodRegistry reg;
  auto handler = [](const json&) -> MethodResult { return 1; };
  EXPECT_TRUE(reg.register_method("eth_blockNumber", handler));
  Status dup = reg.register_method("eth_blockNumber", handler);
  EXPECT_EQ(dup.code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(reg.register_method("", handler));
  EXPECT_FALSE(reg.register_method("eth block", handler));
  EXPECT_FALSE(reg.register_method("eth_x", MethodHandler{}));
  EXPECT_TRUE(reg.register_alias("klay_blockNumber", "eth_blockNumber"));
  EXPECT_EQ(reg.register_alias("klay_x", "eth_missing").code(), Status::Code::kNotFound);
  EXPECT_FALSE(reg.register_alias("klay_blockNumber", "eth_blockNumber"));
  EXPECT_EQ(reg.find("klay_blockNumber"), reg.find("eth_blockNumber"));
  EXPECT_EQ(reg.names(), (std::vector<std::string>{"eth_blockNumber", "klay_blockNumber"}));
  EXPECT_EQ(reg.size(), 2u);
  EXPECT_FALSE(reg.contains("eth_x"));
}

TEST(Dispatcher, RecordsMetrics) {
  MethodRegistry reg;
  ASSERT_TRUE(reg.register_method("eth_chainId", [](const json&) -> MethodResult { return "0x1"; }));
  ASSERT_TRUE(reg.register_method("eth_bad", [](const json&) -> MethodResult { return RpcError::server("no"); }));
  MetricsRegistry metrics;
  Dispatcher d(reg, {}, &metrics);
  (void)d.handle(R"([{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"eth_chainId"},
                    {"jsonrpc":"2.0","id":3,"method":"eth_bad"},{"jsonrpc":"2.0","id":4,"method":"x_y"}])",
                 kLocal);
  EXPECT_EQ(metrics.counter("rpc_requests_total", "", {{"method", "eth_chainId"}}).value(), 2u);
  EXPECT_EQ(metrics.counter("rpc_errors_total", "", {{"method", "eth_bad"}}).value(), 1u);
  EXPECT_EQ(metrics.counter("rpc_unknown_method_total", "").value(), 1u);
  EXPECT_NE(metrics.render().find("rpc_request_duration_seconds_count 3\n"), std::string::npos);
}

TEST(Dispatcher, JsonNestingDepth) {
  EXPECT_EQ(json_nesting_depth("1", 10), 0u);
  EXPECT_EQ(json_nesting_depth("[[],{}]", 10), 2u);
  EXPECT_EQ(json_nesting_depth(R"(["[[[", {"a":"\"[["}])", 10), 2u);
  EXPECT_EQ(json_nesting_depth(std::string(50, '['), 10), 11u);
}

}  // namespace
}  // namespace klay::rpc
