#include "engine/klaytn/json_util.h"

#include <cctype>
#include <vector>

namespace klay {

using nlohmann::json;

namespace {

// A SAX handler building a DOM like nlohmann's own, except that numbers which
// nlohmann can only represent as doubles are kept as their source text.
class RawNumberSax : public nlohmann::json_sax<json> {
 public:
  json root;
  std::string error;

  bool null() override { return put(json(nullptr)); }
  bool boolean(bool v) override { return put(json(v)); }
  bool number_integer(number_integer_t v) override { return put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
  bool number_float(number_float_t, const string_t& raw) override { return put(json(raw)); }
  bool string(string_t& v) override { return put(json(v)); }
  bool binary(binary_t&) override { return put(json::binary({})); }
  bool start_object(std::size_t) override {
    json* obj = put_container(json::object());
    if (!obj) return false;
    stack_.push_back(obj);
    return true;
  }
  bool key(string_t& k) override {
    pending_key_ = k;
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    json* arr = put_container(json::array());
    if (!arr) return false;
    stack_.push_back(arr);
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& ex) override {
    error = "invalid JSON at byte " + std::to_string(pos) + ": " + ex.what();
    return false;
  }

 private:
  json* put_container(json v) {
    if (stack_.empty()) {
      root = std::move(v);
      return &root;
    }
    json& parent = *stack_.back();
    if (parent.is_object()) {
      json& slot = parent[pending_key_];
      slot = std::move(v);
      return &slot;
    }
    parent.push_back(std::move(v));
    return &parent.back();
  }
  bool put(json v) { return put_container(std::move(v)) != nullptr; }

  std::vector<json*> stack_;
  std::string pending_key_;
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

Status type_error(std::string_view name, const char* want, const json& v) {
  return Status::invalid_argument(std::string(name) + ": expected " + want + ", got " +
                                  v.type_name() + " " + v.dump());
}

std::string_view strip_0x(std::string_view s) {
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
  return s;
}

}  // namespace

Result<json> parse_json(std::string_view text) {
  RawNumberSax sax;
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &sax);
  } catch (const std::exception& e) {
    return Status::invalid_argument(std::string("invalid JSON: ") + e.what());
  }
  if (!ok) return Status::invalid_argument(sax.error.empty() ? "invalid JSON" : sax.error);
  return std::move(sax.root);
}

const json* json_field(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const json* found = nullptr;
  auto exact = object.find(std::string(key));
  if (exact != object.end()) {
    found = &*exact;
  } else {
    for (auto it = object.begin(); it != object.end(); ++it)
      if (iequals(it.key(), key)) {
        found = &*it;
        break;
      }
  }
  if (found && found->is_null()) return nullptr;
  return found;
}

Result<uint256> json_uint256(const json& v, std::string_view name) {
  if (v.is_number_unsigned()) return uint256(v.get<uint64_t>());
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    if (i < 0) return Status::invalid_argument(std::string(name) + ": must not be negative");
    return uint256(static_cast<uint64_t>(i));
  }
  if (!v.is_string()) return type_error(name, "an unsigned integer", v);
  const auto& s = v.get_ref<const std::string&>();
  auto r = uint256::from_string(s);
  if (!r) return Status::invalid_argument(std::string(name) + ": " + r.status().message());
  return r;
}

Result<uint64_t> json_uint64(const json& v, std::string_view name) {
  auto r = json_uint256(v, name);
  if (!r) return r.status();
  if (!r->fits_u64()) return Status::invalid_argument(std::string(name) + ": value exceeds 64 bits");
  return r->low64();
}

Result<bool> json_bool(const json& v, std::string_view name) {
  if (!v.is_boolean()) return type_error(name, "a boolean", v);
  return v.get<bool>();
}

Result<std::string> json_string(const json& v, std::string_view name) {
  if (!v.is_string()) return type_error(name, "a string", v);
  return v.get<std::string>();
}

Result<Bytes> json_hex_bytes(const json& v, std::string_view name) {
  if (!v.is_string()) return type_error(name, "a hex string", v);
  Bytes out;
  if (!from_hex(strip_0x(v.get_ref<const std::string&>()), out))
    return Status::invalid_argument(std::string(name) + ": invalid hex string");
  return out;
}

Result<Address> json_address(const json& v, std::string_view name) {
  auto b = json_hex_bytes(v, name);
  if (!b) return b.status();
  if (b->size() != Address::kSize)
    return Status::invalid_argument(std::string(name) + ": an address must be 20 bytes, got " +
                                    std::to_string(b->size()));
  return Address::from(*b);
}

Result<Hash> json_word(std::string_view text, std::string_view name) {
  text = strip_0x(text);
  if (text.size() > 64)
    return Status::invalid_argument(std::string(name) + ": too many hex characters in storage key/value");
  if (text.size() % 2 != 0)
    return Status::invalid_argument(std::string(name) + ": invalid hex storage key/value (odd length)");
  Bytes b;
  if (!from_hex(text, b)) return Status::invalid_argument(std::string(name) + ": invalid hex storage key/value");
  Hash h;
  std::copy(b.begin(), b.end(), h.bytes.begin() + (32 - b.size()));
  return h;
}

std::string go_json_quote(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // Decode one UTF-8 sequence; invalid bytes become U+FFFD one at a time.
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    uint32_t cp = len == 4 ? (c & 0x07) : len == 3 ? (c & 0x0f) : (c & 0x1f);
    bool valid = len != 0 && c < 0xf5 && c != 0xc0 && c != 0xc1 && i + len <= s.size();
    for (size_t k = 1; valid && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) valid = false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (valid) {
      const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) valid = false;
    }
    if (!valid) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (cp == 0x2028 || cp == 0x2029) {
      out += cp == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  out += '"';
  return out;
}

}  // namespace klay
