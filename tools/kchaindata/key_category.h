// What a chaindata key is, from its bytes alone (the key schema of
// engine/rawdb/schema.h), and which entry type it belongs to.
//
// Classification is by exact length and prefix, so it is unambiguous: trie
// nodes are the only 32- and 39-byte keys, every prefixed record has a fixed
// length. Pure functions; thread-safe.
#pragma once

#include <array>
#include <string_view>

#include "engine/chaindata/entry_type.h"
#include "engine/core/bytes.h"

namespace klay::kchaindata {

enum class KeyCategory : uint8_t {
  kHeader,          // "h" + BE64 + hash
  kCanonicalHash,   // "h" + BE64 + "n"
  kHeaderNumber,    // "H" + hash
  kTotalScore,      // "h" + BE64 + hash + "t"
  kBody,            // "b" + BE64 + hash
  kReceipts,        // "r" + BE64 + hash
  kTxLookup,        // "l" + txHash
  kTrieNode,        // 32-byte node hash
  kExtTrieNode,     // 39-byte ExtHash
  kPruningMark,     // "Pruning-" + BE64 + ExtHash
  kCode,            // "c" + codeHash
  kPreimage,        // "secure-key-" + hash
  kChainConfig,     // "klay-config-" + genesisHash
  kMiscSingleton,   // LastHeader, LastBlock, DatabaseVersion, migrationStatus, ...
  kDirectoryRecord, // "databaseDirectory" + BE64(entry type)
  kUnknown,
};

inline constexpr size_t kKeyCategoryCount = 16;

KeyCategory classify_key(ByteView key);
// Stable snake_case name for text and JSON ("header", "trie_node", ...).
std::string_view category_name(KeyCategory c);

// The entry type whose database holds `key` in a multi-database layout (the
// reference node's placement). Unknown keys go to misc.
chaindata::EntryType home_entry_type(ByteView key);

}  // namespace klay::kchaindata
