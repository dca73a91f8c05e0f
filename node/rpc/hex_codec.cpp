#include "node/rpc/hex_codec.h"

#include <cstring>

namespace klay::rpc {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool has_hex_prefix(std::string_view s) { return s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'); }

RpcError bad(std::string_view msg) { return RpcError::invalid_params(std::string(msg)); }

// The digits of a QUANTITY after geth's checkNumber rules, or an error.
RpcExpected<std::string_view> number_digits(std::string_view text) {
  if (text.empty()) return bad(hex_error::kEmptyString);
  if (!has_hex_prefix(text)) return bad(hex_error::kMissingPrefix);
  text.remove_prefix(2);
  if (text.empty()) return bad(hex_error::kEmptyNumber);
  if (text.size() > 1 && text[0] == '0') return bad(hex_error::kLeadingZero);
  return text;
}

// The digits of DATA (prefix required, even length, hex only), or an error.
RpcExpected<std::string_view> data_digits(std::string_view text) {
  if (text.empty()) return bad(hex_error::kEmptyString);
  if (!has_hex_prefix(text)) return bad(hex_error::kMissingPrefix);
  text.remove_prefix(2);
  if (text.size() % 2 != 0) return bad(hex_error::kOddLength);
  return text;
}

RpcExpected<Bytes> digits_to_bytes(std::string_view digits) {
  Bytes out(digits.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(digits[2 * i]);
    int lo = hex_value(digits[2 * i + 1]);
    if (hi < 0 || lo < 0) return bad(hex_error::kSyntax);
    out[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  return out;
}

RpcExpected<std::string_view> json_string(const nlohmann::json& v, std::string_view what) {
  if (!v.is_string()) {
    return RpcError::invalid_params("cannot unmarshal non-string into " + std::string(what));
  }
  return std::string_view(v.get_ref<const std::string&>());
}

}  // namespace

std::string encode_quantity(uint64_t v) {
  char buf[2 + 16];
  char* end = buf + sizeof(buf);
  char* p = end;
  do {
    *--p = kDigits[v & 0xf];
    v >>= 4;
  } while (v != 0);
  *--p = 'x';
  *--p = '0';
  return std::string(p, end);
}

std::string encode_quantity(const uint256& v) { return v.to_hex(); }

std::string encode_data(ByteView data) {
  std::string out;
  out.resize(2 + 2 * data.size());
  out[0] = '0';
  out[1] = 'x';
  for (size_t i = 0; i < data.size(); ++i) {
    out[2 + 2 * i] = kDigits[data[i] >> 4];
    out[3 + 2 * i] = kDigits[data[i] & 0xf];
  }
  return out;
}

RpcExpected<uint64_t> decode_quantity_u64(std::string_view text) {
  auto digits = number_digits(text);
  if (!digits) return digits.error();
  std::string_view d = digits.value();
  if (d.size() > 16) return bad(hex_error::kUint64Range);
  uint64_t v = 0;
  for (char c : d) {
    int x = hex_value(c);
    if (x < 0) return bad(hex_error::kSyntax);
    v = (v << 4) | static_cast<uint64_t>(x);
  }
  return v;
}

RpcExpected<uint256> decode_quantity_u256(std::string_view text) {
  auto digits = number_digits(text);
  if (!digits) return digits.error();
  std::string_view d = digits.value();
  if (d.size() > 64) return bad(hex_error::kBig256Range);
  for (char c : d) {
    if (hex_value(c) < 0) return bad(hex_error::kSyntax);
  }
  auto v = uint256::from_hex(d);
  if (!v) return RpcError::invalid_params(v.status().message());
  return *v;
}

RpcExpected<Bytes> decode_data(std::string_view text) {
  auto digits = data_digits(text);
  if (!digits) return digits.error();
  return digits_to_bytes(digits.value());
}

RpcExpected<Bytes> decode_fixed_data(std::string_view text, size_t size, std::string_view type_name) {
  if (!text.empty() && !has_hex_prefix(text)) return bad(hex_error::kMissingPrefix);
  std::string_view digits = text.empty() ? text : text.substr(2);
  if (digits.size() % 2 != 0) return bad(hex_error::kOddLength);
  if (digits.size() != 2 * size) {
    return RpcError::invalid_params("hex string has length " + std::to_string(digits.size()) + ", want " +
                                    std::to_string(2 * size) + " for " + std::string(type_name));
  }
  return digits_to_bytes(digits);
}

RpcExpected<uint64_t> parse_quantity_u64(const nlohmann::json& v) {
  auto s = json_string(v, "quantity");
  if (!s) return s.error();
  return decode_quantity_u64(s.value());
}

RpcExpected<uint256> parse_quantity_u256(const nlohmann::json& v) {
  auto s = json_string(v, "quantity");
  if (!s) return s.error();
  return decode_quantity_u256(s.value());
}

RpcExpected<Bytes> parse_data(const nlohmann::json& v) {
  auto s = json_string(v, "hex data");
  if (!s) return s.error();
  return decode_data(s.value());
}

RpcExpected<Address> parse_address(const nlohmann::json& v) {
  auto s = json_string(v, "common.Address");
  if (!s) return s.error();
  auto b = decode_fixed_data(s.value(), Address::kSize, "common.Address");
  if (!b) return b.error();
  return Address::from(b.value());
}

RpcExpected<Hash> parse_hash(const nlohmann::json& v) {
  auto s = json_string(v, "common.Hash");
  if (!s) return s.error();
  auto b = decode_fixed_data(s.value(), Hash::kSize, "common.Hash");
  if (!b) return b.error();
  return Hash::from(b.value());
}

}  // namespace klay::rpc
