#include "node/rpc/rpc_error.h"

namespace klay::rpc {

nlohmann::json RpcError::to_json() const {
  nlohmann::json out = {{"code", code}, {"message", message}};
  if (data) out["data"] = *data;
  return out;
}

RpcError RpcError::parse_error(std::string detail) {
  return {error_code::kParseError, std::move(detail), std::nullopt};
}

RpcError RpcError::invalid_request(std::string message) {
  return {error_code::kInvalidRequest, std::move(message), std::nullopt};
}

RpcError RpcError::method_not_found(std::string_view method) {
  std::string msg = "the method ";
  msg += method;
  msg += " does not exist/is not available";
  return {error_code::kMethodNotFound, std::move(msg), std::nullopt};
}

RpcError RpcError::invalid_params(std::string message) {
  return {error_code::kInvalidParams, std::move(message), std::nullopt};
}

RpcError RpcError::internal(std::string message) {
  return {error_code::kInternalError, std::move(message), std::nullopt};
}

RpcError RpcError::server(std::string message, std::optional<nlohmann::json> data) {
  return {error_code::kServerError, std::move(message), std::move(data)};
}

}  // namespace klay::rpc
