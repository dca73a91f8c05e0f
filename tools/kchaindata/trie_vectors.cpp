#include "tools/kchaindata/trie_vectors.h"

#include <nlohmann/json.hpp>

namespace klay::kchaindata {

namespace {

using nlohmann::json;

Result<Bytes> decode_field(const json& v, const char* what) {
  if (!v.is_string()) return Status::invalid_argument(std::string(what) + " must be a string");
  const auto& s = v.get_ref<const std::string&>();
  if (s.rfind("0x", 0) == 0) {
    Bytes out;
    if (!from_hex(s, out)) return Status::invalid_argument(std::string(what) + " '" + s + "' is not valid hex");
    return out;
  }
  return to_bytes(std::string_view(s));
}

Result<TrieOp> decode_op(const json& key, const json& value) {
  auto k = decode_field(key, "a key");
  if (!k) return k.status();
  TrieOp op{std::move(*k), std::nullopt};
  if (!value.is_null()) {
    auto v = decode_field(value, "a value");
    if (!v) return v.status();
    op.value = std::move(*v);
  }
  return op;
}

bool is_case(const json& j) { return j.is_object() && j.contains("in"); }

Result<TrieCase> decode_case(const std::string& name, const json& j) {
  TrieCase c;
  c.name = name;
  const json& in = j.at("in");
  if (in.is_array()) {
    for (const auto& pair : in) {
      if (!pair.is_array() || pair.size() != 2)
        return Status::invalid_argument("case '" + name + "': each entry of \"in\" must be a [key, value] pair");
      auto op = decode_op(pair[0], pair[1]);
      if (!op) return op.status();
      c.ops.push_back(std::move(*op));
    }
  } else if (in.is_object()) {
    for (const auto& [k, v] : in.items()) {
      auto op = decode_op(json(k), v);
      if (!op) return op.status();
      c.ops.push_back(std::move(*op));
    }
  } else {
    return Status::invalid_argument("case '" + name + "': \"in\" must be a list of pairs or an object");
  }
  if (j.contains("root")) {
    auto r = decode_field(j["root"], "the root");
    if (!r) return r.status();
    c.expected_root = std::move(*r);
  }
  return c;
}

}  // namespace

Result<TrieCase> parse_trie_case(const std::string& text, const std::string& case_name) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::invalid_argument("the input is not valid JSON");
  if (!doc.is_object()) return Status::invalid_argument("the input must be a JSON object");
  if (is_case(doc)) {
    if (!case_name.empty()) return Status::invalid_argument("the input holds a single case; drop --case");
    return decode_case("input", doc);
  }
  if (case_name.empty()) {
    if (doc.size() == 1 && is_case(doc.begin().value())) return decode_case(doc.begin().key(), doc.begin().value());
    std::string names;
    for (const auto& [k, v] : doc.items()) names += (names.empty() ? "" : ", ") + k;
    return Status::invalid_argument("the input holds " + std::to_string(doc.size()) +
                                    " cases; pick one with --case NAME (" + names + ")");
  }
  auto it = doc.find(case_name);
  if (it == doc.end()) return Status::invalid_argument("no case named '" + case_name + "' in the input");
  if (!is_case(*it)) return Status::invalid_argument("case '" + case_name + "' has no \"in\" field");
  return decode_case(case_name, *it);
}

}  // namespace klay::kchaindata
