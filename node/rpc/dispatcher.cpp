#include "node/rpc/dispatcher.h"

#include <chrono>
#include <exception>

#include <spdlog/spdlog.h>

#include "node/rpc/loopback.h"

namespace klay::rpc {
namespace {

using nlohmann::json;

bool valid_id(const json& id) { return id.is_string() || id.is_number() || id.is_null(); }

json result_response(const json& id, json result) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the
// client needs only the part after it.
std::string parse_error_detail(const char* what) {
  std::string_view msg(what);
  if (msg.starts_with("[json.exception.")) {
    if (auto end = msg.find("] "); end != std::string_view::npos) msg.remove_prefix(end + 2);
  }
  return std::string(msg);
}

}  // namespace

json error_response(const json& id, const RpcError& error) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"error", error.to_json()}};
}

std::string dump_response(const json& response) {
  return response.dump(-1, ' ', false, json::error_handler_t::replace);
}

size_t json_nesting_depth(std::string_view text, size_t limit) {
  size_t depth = 0;
  size_t max_depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        max_depth = depth;
        if (max_depth > limit) return limit + 1;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

Dispatcher::Dispatcher(const MethodRegistry& registry, DispatchPolicy policy, MetricsRegistry* metrics)
    : registry_(registry), policy_(policy), metrics_(metrics) {
  if (metrics_) {
    duration_ = &metrics_->histogram("rpc_request_duration_seconds", "Time spent in JSON-RPC method handlers",
                                     default_latency_buckets());
    unknown_method_ = &metrics_->counter("rpc_unknown_method_total",
                                         "JSON-RPC calls naming an unknown or unavailable method");
  }
}

bool Dispatcher::allowed(uint32_t flags, const CallContext& ctx) const {
  bool needs_local = ((flags & kMethodAdmin) && !policy_.allow_remote_admin) ||
                     ((flags & kMethodDebug) && !policy_.allow_remote_debug);
  return !needs_local || is_loopback(ctx.remote_addr);
}

MethodResult Dispatcher::invoke(const RegisteredMethod& method, const json& params) const {
  try {
    return method.handler(params);
  } catch (const RpcException& e) {
    return e.error();
  } catch (const std::exception& e) {
    // The detail stays in the log: exception text may name files, keys or
    // internals a remote client has no business seeing.
    spdlog::error("rpc: method {} failed: {}", method.name, e.what());
    return RpcError::internal("internal error");
  } catch (...) {
    spdlog::error("rpc: method {} failed with a non-standard exception", method.name);
    return RpcError::internal("internal error");
  }
}

std::optional<json> Dispatcher::handle_call(const json& request, const CallContext& ctx) const {
  try {
    if (!request.is_object()) return error_response(nullptr, RpcError::invalid_request());
    auto id_it = request.find("id");
    const bool is_notification = id_it == request.end();
    const json id = is_notification ? json(nullptr) : *id_it;
    if (!valid_id(id)) return error_response(nullptr, RpcError::invalid_request());

    auto version_it = request.find("jsonrpc");
    if (version_it == request.end() || *version_it != "2.0") {
      return error_response(id, RpcError::invalid_request());
    }
    auto method_it = request.find("method");
    if (method_it == request.end() || !method_it->is_string() || method_it->get_ref<const std::string&>().empty()) {
      return error_response(id, RpcError::invalid_request());
    }
    const std::string& name = method_it->get_ref<const std::string&>();

    static const json kNoParams = json::array();
    const json* params = &kNoParams;
    if (auto params_it = request.find("params"); params_it != request.end() && !params_it->is_null()) {
      if (!params_it->is_array() && !params_it->is_object()) {
        return is_notification ? std::nullopt
                               : std::optional<json>(error_response(
                                     id, RpcError::invalid_params("params must be an array or an object")));
      }
      params = &*params_it;
    }

    auto method = registry_.find(name);
    if (!method || !allowed(method->flags, ctx)) {
      if (unknown_method_) unknown_method_->inc();
      if (is_notification) return std::nullopt;
      return error_response(id, RpcError::method_not_found(name));
    }

    const auto started = std::chrono::steady_clock::now();
    MethodResult result = invoke(*method, *params);
    if (metrics_) {
      duration_->observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      metrics_->counter("rpc_requests_total", "JSON-RPC calls served", {{"method", name}}).inc();
      if (!result.ok()) metrics_->counter("rpc_errors_total", "JSON-RPC calls answered with an error",
                                          {{"method", name}}).inc();
    }
    if (is_notification) return std::nullopt;
    if (!result.ok()) return error_response(id, result.error());
    return result_response(id, std::move(result.value()));
  } catch (const std::exception& e) {
    // Only allocation failures and the like can get here.
    spdlog::error("rpc: request failed outside its handler: {}", e.what());
    return error_response(nullptr, RpcError::internal("internal error"));
  }
}

std::string Dispatcher::handle(std::string_view body, const CallContext& ctx) const {
  try {
    if (json_nesting_depth(body, policy_.max_json_depth) > policy_.max_json_depth) {
      return dump_response(error_response(
          nullptr, RpcError::parse_error("JSON nesting deeper than " + std::to_string(policy_.max_json_depth))));
    }
    json request;
    try {
      request = json::parse(body);
    } catch (const json::parse_error& e) {
      return dump_response(error_response(nullptr, RpcError::parse_error(parse_error_detail(e.what()))));
    }

    if (!request.is_array()) {
      auto response = handle_call(request, ctx);
      return response ? dump_response(*response) : std::string();
    }
    if (request.empty()) return dump_response(error_response(nullptr, RpcError::invalid_request("empty batch")));
    if (request.size() > policy_.max_batch_items) {
      json id = nullptr;
      for (const auto& entry : request) {
        if (entry.is_object() && entry.contains("id") && valid_id(entry["id"])) {
          id = entry["id"];
          break;
        }
      }
      return dump_response(json::array({error_response(id, RpcError::invalid_request("batch too large"))}));
    }
    json responses = json::array();
    for (const auto& entry : request) {
      if (auto response = handle_call(entry, ctx)) responses.push_back(std::move(*response));
    }
    return responses.empty() ? std::string() : dump_response(responses);
  } catch (const std::exception& e) {
    spdlog::error("rpc: request body failed: {}", e.what());
    return dump_response(error_response(nullptr, RpcError::internal("internal error")));
  }
}

}  // namespace klay::rpc
