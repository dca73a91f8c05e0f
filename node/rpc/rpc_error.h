// JSON-RPC 2.0 errors: the typed error a method handler returns, and the
// value-or-error type every handler and parameter parser produces.
//
// Codes follow the JSON-RPC 2.0 specification and go-ethereum/Klaytn, so
// existing tooling (ethers, web3, caver) recognises them. Messages reuse the
// Klaytn/geth wording where one exists.
//
// Everything here is a value type with no shared state: safe to use from any
// thread.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

namespace klay::rpc {

namespace error_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
// Application errors (geth: "execution reverted", "nonce too low", ...).
inline constexpr int kServerError = -32000;
}  // namespace error_code

// An error object as sent on the wire: {"code", "message", "data"?}.
struct RpcError {
  int code = error_code::kInternalError;
  std::string message;
  std::optional<nlohmann::json> data;  // omitted from the wire when empty

  nlohmann::json to_json() const;

  static RpcError parse_error(std::string detail);
  static RpcError invalid_request(std::string message = "invalid request");
  // "the method <name> does not exist/is not available" (also used when a
  // restricted method is refused, so callers cannot probe for it).
  static RpcError method_not_found(std::string_view method);
  static RpcError invalid_params(std::string message);
  static RpcError internal(std::string message);
  static RpcError server(std::string message, std::optional<nlohmann::json> data = std::nullopt);
};

// Thrown by handlers (usually through RpcExpected::value_or_throw) to return
// `error` as-is. The dispatcher catches it; any other exception becomes
// -32603. Never escapes the dispatcher.
class RpcException : public std::exception {
 public:
  explicit RpcException(RpcError error) : error_(std::move(error)) {}
  const RpcError& error() const noexcept { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  RpcError error_;
};

// A value of type T or an RpcError. Implicitly built from either, so a parser
// can `return RpcError::invalid_params(...)` or `return value;`.
template <typename T>
class [[nodiscard]] RpcExpected {
 public:
  RpcExpected(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  RpcExpected(RpcError error) : v_(std::move(error)) {}   // NOLINT(google-explicit-constructor)

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  // REQUIRES: has_value().
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  // REQUIRES: !has_value().
  const RpcError& error() const { return std::get<1>(v_); }
  // The value, or throws RpcException carrying the error.
  T value_or_throw() && {
    if (!has_value()) throw RpcException(std::get<1>(std::move(v_)));
    return std::get<0>(std::move(v_));
  }
  const T& value_or_throw() const& {
    if (!has_value()) throw RpcException(std::get<1>(v_));
    return std::get<0>(v_);
  }

 private:
  std::variant<T, RpcError> v_;
};

// What a method handler returns: a JSON result or an error. Built implicitly
// from anything nlohmann::json can be built from (`return "0x2019";`,
// `return nlohmann::json::array();`) or from an RpcError.
class [[nodiscard]] MethodResult {
 public:
  template <typename V>
    requires(!std::is_same_v<std::remove_cvref_t<V>, RpcError> &&
             !std::is_same_v<std::remove_cvref_t<V>, MethodResult> &&
             std::is_constructible_v<nlohmann::json, V>)
  MethodResult(V&& value) : v_(std::in_place_index<0>, nlohmann::json(std::forward<V>(value))) {}  // NOLINT
  MethodResult(RpcError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  // REQUIRES: ok().
  const nlohmann::json& value() const { return std::get<0>(v_); }
  nlohmann::json& value() { return std::get<0>(v_); }
  // REQUIRES: !ok().
  const RpcError& error() const { return std::get<1>(v_); }

 private:
  std::variant<nlohmann::json, RpcError> v_;
};

}  // namespace klay::rpc
