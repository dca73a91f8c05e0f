// Entry types: which Klaytn chaindata database a record belongs to.
//
// The numeric value of every entry type is persisted (it is part of the misc
// key that records an entry type's directory), so the numbers never change.
// The table below matches the reference node (klaytn/klaytn and kaiachain/kaia,
// storage/database/db_manager.go: DBEntryType, dbBaseDirs, dbConfigRatio).
//
// Everything here is a pure function of its arguments: thread-safe, no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/bytes.h"

namespace klay::chaindata {

enum class EntryType : uint8_t {
  kMisc = 0,                // heads, config, directory records, pruning marks; opened first
  kHeader = 1,
  kBody = 2,
  kReceipts = 3,
  kStateTrie = 4,           // trie nodes, code, preimages; sharded
  kStateTrieMigration = 5,  // target of a running state migration; sharded; open only while one runs
  kTxLookup = 6,
  kBridgeService = 7,
  kSnapshot = 8,
};

inline constexpr size_t kEntryTypeCount = 9;

inline constexpr std::array<EntryType, kEntryTypeCount> kAllEntryTypes = {
    EntryType::kMisc,     EntryType::kHeader,   EntryType::kBody,
    EntryType::kReceipts, EntryType::kStateTrie, EntryType::kStateTrieMigration,
    EntryType::kTxLookup, EntryType::kBridgeService, EntryType::kSnapshot};

constexpr size_t index_of(EntryType type) { return static_cast<size_t>(type); }

// The directory an entry type uses when misc records none ("misc", "header",
// ..., "statetrie_migrated" for the migration target, whose real directories
// are named by migration_dir_name()). Also the name used when printing, as
// the reference node does.
std::string_view default_dir_name(EntryType type);
std::string_view entry_type_name(EntryType type);

// Parses a name printed by entry_type_name (case-sensitive); nullopt if unknown.
std::optional<EntryType> parse_entry_type(std::string_view name);

// Percent of the total cache given to the entry type's database (sums to 100
// over all types; the migration target's 37 % is reserved even when idle).
int cache_share_percent(EntryType type);

// Entry types whose database is split into state-trie shards.
constexpr bool is_sharded_type(EntryType type) {
  return type == EntryType::kStateTrie || type == EntryType::kStateTrieMigration;
}

// "statetrie_migrated_<block_num>", the directory of a migration started at block_num.
std::string migration_dir_name(uint64_t block_num);

// The misc key recording an entry type's directory: "databaseDirectory" + BE64(type).
Bytes dir_record_key(EntryType type);

}  // namespace klay::chaindata
