// Block selectors in RPC parameters.
//
// BlockTag: the "defaultBlock" parameter of eth_getBalance and friends:
// "latest", "earliest", "pending" or a QUANTITY block number.
// BlockSelector: EIP-1898's wider form, which also accepts a 32-byte block
// hash string or an object {"blockNumber": tag} / {"blockHash": hash,
// "requireCanonical": bool}.
//
// Parsing follows go-ethereum (rpc.BlockNumber / rpc.BlockNumberOrHash):
// tags are case-sensitive, numbers must be hex QUANTITIES that fit in an
// int64. Errors are invalid-params RpcErrors. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/core/types.h"
#include "node/rpc/rpc_error.h"

namespace klay::rpc {

struct BlockTag {
  enum class Kind { kLatest, kEarliest, kPending, kNumber };
  Kind kind = Kind::kLatest;
  uint64_t block_num = 0;  // meaningful for kNumber (and 0 for kEarliest)

  static BlockTag latest() { return {Kind::kLatest, 0}; }
  static BlockTag earliest() { return {Kind::kEarliest, 0}; }
  static BlockTag pending() { return {Kind::kPending, 0}; }
  static BlockTag number(uint64_t n) { return {Kind::kNumber, n}; }

  bool is_number() const { return kind == Kind::kNumber; }
  // "latest", "earliest", "pending" or the QUANTITY.
  std::string to_string() const;
  bool operator==(const BlockTag&) const = default;
};

struct BlockSelector {
  std::optional<BlockTag> tag;     // exactly one of tag / block_hash is set
  std::optional<Hash> block_hash;
  bool require_canonical = false;  // only meaningful with block_hash

  bool operator==(const BlockSelector&) const = default;
};

// From a JSON string: a tag name or a QUANTITY.
RpcExpected<BlockTag> parse_block_tag(const nlohmann::json& v);
// From a JSON string (tag, QUANTITY, or 0x-prefixed 64-digit hash) or an
// EIP-1898 object. An object naming both or neither of blockHash and
// blockNumber is rejected.
RpcExpected<BlockSelector> parse_block_selector(const nlohmann::json& v);

}  // namespace klay::rpc
