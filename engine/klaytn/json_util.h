// JSON helpers for genesis and chain-config files, matching how the Go
// reference's encoding/json reads them.
//
// - parse_json() keeps the exact text of numbers that do not fit in 64 bits
//   (nlohmann would turn them into doubles): such numbers, and any number
//   with a fraction or exponent, become JSON strings holding the raw text.
// - json_field() looks a key up the way Go matches struct fields: an exact
//   match first, then a case-insensitive one.
// - The typed readers accept what the reference accepts for the field type
//   (and are a little more lenient: quoted numbers are accepted everywhere).
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"

namespace klay {

Result<nlohmann::json> parse_json(std::string_view text);

// nullptr when absent. A JSON null counts as absent (Go leaves the field unset).
const nlohmann::json* json_field(const nlohmann::json& object, std::string_view key);

// Unsigned integer: a JSON number, or a decimal / 0x-hex string.
Result<uint256> json_uint256(const nlohmann::json& v, std::string_view name);
Result<uint64_t> json_uint64(const nlohmann::json& v, std::string_view name);
Result<bool> json_bool(const nlohmann::json& v, std::string_view name);
Result<std::string> json_string(const nlohmann::json& v, std::string_view name);
// Hex string with optional 0x prefix (odd length is an error, as in hexutil).
Result<Bytes> json_hex_bytes(const nlohmann::json& v, std::string_view name);
// 20-byte address, with or without 0x prefix.
Result<Address> json_address(const nlohmann::json& v, std::string_view name);
// A 32-byte word given as up to 64 hex digits, left-padded (genesis storage keys/values).
Result<Hash> json_word(std::string_view text, std::string_view name);

// Go's encoding/json string encoding (HTML-safe escaping of <, >, &, U+2028,
// U+2029; invalid UTF-8 replaced by U+FFFD), including the quotes.
std::string go_json_quote(std::string_view s);

}  // namespace klay
