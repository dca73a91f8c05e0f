#include "node/chain/chain_options.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "engine/rawdb/trie_store.h"

namespace klay::chain {

Result<GcMode> parse_gc_mode(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "full") return GcMode::kFull;
  if (lower == "archive") return GcMode::kArchive;
  return Status::invalid_argument("--gcmode must be \"full\" or \"archive\", got \"" + std::string(name) + "\"");
}

std::string_view gc_mode_name(GcMode mode) { return mode == GcMode::kArchive ? "archive" : "full"; }

namespace {

class DefaultStateSink : public StateSink {
 public:
  explicit DefaultStateSink(kv::Database& db) : batch_(db) {}
  Status put(ByteView key, ByteView node) override { return batch_.put(key, node); }
  Status put(const Hash& code_hash, ByteView code) override { return batch_.put(code_hash, code); }
  Status flush() override { return batch_.flush(); }

 private:
  rawdb::StateStoreBatch batch_;
};

}  // namespace

Result<std::unique_ptr<StateSink>> make_default_state_sink(const chaindata::DBManager& dbm) {
  kv::Database* db = dbm.find(chaindata::EntryType::kStateTrie);
  if (db == nullptr) return Status::invalid_argument("the state trie database is not open");
  return std::unique_ptr<StateSink>(std::make_unique<DefaultStateSink>(*db));
}

}  // namespace klay::chain
