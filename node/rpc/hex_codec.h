// Ethereum-style JSON encodings used by the eth_/klay_ APIs.
//
// QUANTITY: "0x" + lower-case hex without leading zeros; zero is "0x0".
// DATA:     "0x" + two hex digits per byte; empty data is "0x".
//
// Decoders accept exactly what go-ethereum's hexutil accepts and reject the
// rest with an invalid-params (-32602) RpcError whose message uses geth's
// wording ("hex string without 0x prefix", "hex number with leading zero
// digits", ...). Upper-case hex digits and an "0X" prefix are accepted like
// geth does. The messages carry no argument index: ParamList (params.h)
// prefixes "invalid argument N: ".
//
// Pure functions, no shared state: safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/core/bytes.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "node/rpc/rpc_error.h"

namespace klay::rpc {

// ---- encoding ----
std::string encode_quantity(uint64_t v);
std::string encode_quantity(const uint256& v);
std::string encode_data(ByteView data);
template <size_t N>
std::string encode_data(const FixedBytes<N>& b) {
  return encode_data(b.view());
}

// ---- decoding from text (the string's contents, without JSON quotes) ----
RpcExpected<uint64_t> decode_quantity_u64(std::string_view text);
RpcExpected<uint256> decode_quantity_u256(std::string_view text);
RpcExpected<Bytes> decode_data(std::string_view text);
// Exactly `size` bytes; `type_name` names the type in the length error
// ("hex string has length 38, want 40 for common.Address").
RpcExpected<Bytes> decode_fixed_data(std::string_view text, size_t size, std::string_view type_name);

// ---- decoding from JSON values (must be JSON strings) ----
RpcExpected<uint64_t> parse_quantity_u64(const nlohmann::json& v);
RpcExpected<uint256> parse_quantity_u256(const nlohmann::json& v);
RpcExpected<Bytes> parse_data(const nlohmann::json& v);
RpcExpected<Address> parse_address(const nlohmann::json& v);
RpcExpected<Hash> parse_hash(const nlohmann::json& v);

// Geth's hexutil error messages, exposed for tests and for callers that
// build their own decoders.
namespace hex_error {
inline constexpr std::string_view kEmptyString = "empty hex string";
inline constexpr std::string_view kSyntax = "invalid hex string";
inline constexpr std::string_view kMissingPrefix = "hex string without 0x prefix";
inline constexpr std::string_view kOddLength = "hex string of odd length";
inline constexpr std::string_view kEmptyNumber = "hex string \"0x\"";
inline constexpr std::string_view kLeadingZero = "hex number with leading zero digits";
inline constexpr std::string_view kUint64Range = "hex number > 64 bits";
inline constexpr std::string_view kBig256Range = "hex number > 256 bits";
}  // namespace hex_error

}  // namespace klay::rpc
