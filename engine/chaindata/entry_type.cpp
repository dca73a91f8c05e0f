#include "engine/chaindata/entry_type.h"

namespace klay::chaindata {

namespace {

struct EntryInfo {
  std::string_view dir;
  int cache_share;
};

// Indexed by the persisted number of the entry type.
constexpr std::array<EntryInfo, kEntryTypeCount> kEntryInfo = {{
    {"misc", 2},
    {"header", 5},
    {"body", 5},
    {"receipts", 5},
    {"statetrie", 40},
    {"statetrie_migrated", 37},
    {"txlookup", 2},
    {"bridgeservice", 1},
    {"snapshot", 3},
}};

constexpr int share_sum() {
  int sum = 0;
  for (const auto& e : kEntryInfo) sum += e.cache_share;
  return sum;
}
static_assert(share_sum() == 100, "cache shares must add up to 100 percent");

constexpr std::string_view kDirRecordPrefix = "databaseDirectory";

}  // namespace

std::string_view default_dir_name(EntryType type) { return kEntryInfo.at(index_of(type)).dir; }

std::string_view entry_type_name(EntryType type) { return default_dir_name(type); }

std::optional<EntryType> parse_entry_type(std::string_view name) {
  for (EntryType t : kAllEntryTypes) {
    if (entry_type_name(t) == name) return t;
  }
  return std::nullopt;
}

int cache_share_percent(EntryType type) { return kEntryInfo.at(index_of(type)).cache_share; }

std::string migration_dir_name(uint64_t block_num) {
  return std::string(default_dir_name(EntryType::kStateTrieMigration)) + "_" + std::to_string(block_num);
}

Bytes dir_record_key(EntryType type) {
  Bytes key = to_bytes(kDirRecordPrefix);
  const size_t at = key.size();
  key.resize(at + 8);
  put_be64(key.data() + at, static_cast<uint64_t>(type));
  return key;
}

}  // namespace klay::chaindata
