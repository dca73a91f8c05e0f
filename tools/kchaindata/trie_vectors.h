// Reading the trie test-vector format of ../shared/vectors/README.md:
// a case is {"in": [[key, value|null], ...] or {key: value|null}, "root": "0x.."}.
// Strings starting with 0x are hex, anything else is ASCII.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::kchaindata {

struct TrieOp {
  Bytes key;
  std::optional<Bytes> value;  // nullopt deletes the key
};

struct TrieCase {
  std::string name;
  std::vector<TrieOp> ops;
  std::optional<Bytes> expected_root;
};

// Parses `text` holding either one case object or an object of named cases.
// `case_name` picks one of several; an empty name is only allowed when the text
// holds a single case.
Result<TrieCase> parse_trie_case(const std::string& text, const std::string& case_name);

}  // namespace klay::kchaindata
