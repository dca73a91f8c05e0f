#include "tools/kchaindata/key_category.h"

#include "engine/rawdb/schema.h"

namespace klay::kchaindata {

namespace {

constexpr std::string_view kDirRecordPrefix = "databaseDirectory";
// Head pointers and markers kept in the header database.
constexpr std::array<std::string_view, 6> kHeaderSingletons = {
    rawdb::kHeadHeaderKey, rawdb::kHeadBlockKey, rawdb::kHeadBlockBackupKey,
    rawdb::kHeadFastBlockKey, rawdb::kHeadFastBlockBackupKey, rawdb::kStateBlockKey};
constexpr std::array<std::string_view, 5> kMiscSingletons = {
    rawdb::kDatabaseVersionKey, rawdb::kMigrationStatusKey, rawdb::kMigrationOldDBPathKey,
    rawdb::kPruningEnabledKey, rawdb::kLastPrunedBlockNumberKey};

bool has_prefix(ByteView key, std::string_view prefix, size_t total_len) {
  return key.size() == total_len && starts_with(key, as_view(prefix));
}

template <size_t N>
bool is_one_of(ByteView key, const std::array<std::string_view, N>& keys) {
  const std::string_view k = as_string_view(key);
  for (std::string_view s : keys) {
    if (k == s) return true;
  }
  return false;
}

}  // namespace

KeyCategory classify_key(ByteView key) {
  const size_t n = key.size();
  if (n == 32) return KeyCategory::kTrieNode;
  if (n == 39) return KeyCategory::kExtTrieNode;
  if (n == 0) return KeyCategory::kUnknown;
  switch (key[0]) {
    case 'h':
      if (n == 41) return KeyCategory::kHeader;
      if (n == 10 && key[9] == 'n') return KeyCategory::kCanonicalHash;
      if (n == 42 && key[41] == 't') return KeyCategory::kTotalScore;
      break;
    case 'H':
      if (n == 33) return KeyCategory::kHeaderNumber;
      break;
    case 'b':
      if (n == 41) return KeyCategory::kBody;
      break;
    case 'r':
      if (n == 41) return KeyCategory::kReceipts;
      break;
    case 'l':
      if (n == 33) return KeyCategory::kTxLookup;
      break;
    case 'c':
      if (n == 33) return KeyCategory::kCode;
      break;
    default:
      break;
  }
  if (has_prefix(key, rawdb::kPruningMarkPrefix, rawdb::kPruningMarkPrefix.size() + 8 + 39)) {
    return KeyCategory::kPruningMark;
  }
  if (has_prefix(key, rawdb::kPreimagePrefix, rawdb::kPreimagePrefix.size() + 32)) return KeyCategory::kPreimage;
  if (has_prefix(key, rawdb::kConfigPrefix, rawdb::kConfigPrefix.size() + 32)) return KeyCategory::kChainConfig;
  if (has_prefix(key, kDirRecordPrefix, kDirRecordPrefix.size() + 8)) return KeyCategory::kDirectoryRecord;
  if (is_one_of(key, kHeaderSingletons) || is_one_of(key, kMiscSingletons)) return KeyCategory::kMiscSingleton;
  return KeyCategory::kUnknown;
}

std::string_view category_name(KeyCategory c) {
  static constexpr std::array<std::string_view, kKeyCategoryCount> kNames = {
      "header",       "canonical_hash", "header_number", "total_score",  "body",
      "receipts",     "tx_lookup",      "trie_node",     "ext_trie_node", "pruning_mark",
      "code",         "preimage",       "chain_config",  "misc_singleton", "directory_record",
      "unknown"};
  return kNames[static_cast<size_t>(c)];
}

chaindata::EntryType home_entry_type(ByteView key) {
  using chaindata::EntryType;
  switch (classify_key(key)) {
    case KeyCategory::kHeader:
    case KeyCategory::kCanonicalHash:
    case KeyCategory::kHeaderNumber:
      return EntryType::kHeader;
    case KeyCategory::kBody:
      return EntryType::kBody;
    case KeyCategory::kReceipts:
      return EntryType::kReceipts;
    case KeyCategory::kTxLookup:
      return EntryType::kTxLookup;
    case KeyCategory::kTrieNode:
    case KeyCategory::kExtTrieNode:
    case KeyCategory::kCode:
    case KeyCategory::kPreimage:
      return EntryType::kStateTrie;
    case KeyCategory::kMiscSingleton:
      return is_one_of(key, kHeaderSingletons) ? EntryType::kHeader : EntryType::kMisc;
    default:
      return EntryType::kMisc;
  }
}

}  // namespace klay::kchaindata
