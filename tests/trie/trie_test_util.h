// Helpers shared by the trie tests: vector loading and reference models.
#pragma once

#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/bytes.h"
#include "engine/core/keccak.h"
#include "engine/trie/hash_builder.h"

namespace klay::trie {
inline void PrintTo(const NodeKey& k, std::ostream* os) { *os << k.hex(); }
}  // namespace klay::trie

namespace klay::trie::test {

struct Op {
  Bytes key;
  std::optional<Bytes> value;  // nullopt: delete
};

struct VectorCase {
  std::string file;
  std::string name;
  std::vector<Op> ops;
  bool hashed_keys = false;
  Hash root;
};

inline Bytes parse_field(const std::string& s, bool all_hex) {
  Bytes out;
  if (all_hex || s.starts_with("0x")) {
    if (!from_hex(s, out)) throw std::runtime_error("bad hex in vector: " + s);
    return out;
  }
  return to_bytes(std::string_view(s));
}

inline std::vector<VectorCase> load_vector_file(const std::string& file, bool hashed_keys, bool all_hex) {
  std::ifstream in(std::string(KLAY_VECTORS_DIR) + "/" + file);
  if (!in) throw std::runtime_error("cannot open vector file " + file);
  const nlohmann::json doc = nlohmann::json::parse(in);
  std::vector<VectorCase> cases;
  for (const auto& [name, tc] : doc.items()) {
    VectorCase c;
    c.file = file;
    c.name = name;
    c.hashed_keys = hashed_keys;
    Bytes root;
    if (!from_hex(tc.at("root").get<std::string>(), root) || root.size() != 32)
      throw std::runtime_error("bad root in " + name);
    c.root = Hash::from(root);
    auto add = [&](const nlohmann::json& k, const nlohmann::json& v) {
      Op op;
      op.key = parse_field(k.get<std::string>(), all_hex);
      if (!v.is_null()) op.value = parse_field(v.get<std::string>(), all_hex);
      c.ops.push_back(std::move(op));
    };
    const auto& input = tc.at("in");
    if (input.is_array()) {
      for (const auto& pair : input) add(pair.at(0), pair.at(1));
    } else {
      for (const auto& [k, v] : input.items()) add(nlohmann::json(k), v);
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

inline std::vector<VectorCase> all_vector_cases() {
  std::vector<VectorCase> all;
  for (auto&& [file, hashed, hex] : std::vector<std::tuple<std::string, bool, bool>>{
           {"trietest.json", false, false},
           {"trieanyorder.json", false, false},
           {"trietest_secureTrie.json", true, false},
           {"trieanyorder_secureTrie.json", true, false},
           {"hex_encoded_securetrie_test.json", true, true}}) {
    auto cases = load_vector_file(file, hashed, hex);
    all.insert(all.end(), cases.begin(), cases.end());
  }
  return all;
}

// The key as inserted into the raw trie.
inline Bytes trie_key(const VectorCase& c, const Bytes& key) {
  return c.hashed_keys ? to_bytes(keccak256(key).view()) : key;
}

// Final contents after applying the ops in order (empty value deletes).
inline std::map<Bytes, Bytes> final_state(const VectorCase& c) {
  std::map<Bytes, Bytes> m;
  for (const Op& op : c.ops) {
    const Bytes k = trie_key(c, op.key);
    if (op.value && !op.value->empty()) m[k] = *op.value;
    else m.erase(k);
  }
  return m;
}

inline Hash builder_root(const std::map<Bytes, Bytes>& m) {
  HashBuilder hb;
  for (const auto& [k, v] : m)
    if (!hb.add(k, v)) throw std::runtime_error("hash builder rejected a sorted key");
  return hb.root();
}

inline Bytes random_bytes(std::mt19937_64& rng, size_t n) {
  Bytes b(n);
  for (auto& x : b) x = static_cast<uint8_t>(rng());
  return b;
}

}  // namespace klay::trie::test
