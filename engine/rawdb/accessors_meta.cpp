#include "engine/rawdb/accessors_meta.h"

#include <nlohmann/json.hpp>

#include "engine/core/rlp.h"
#include "engine/rawdb/read_util.h"

namespace klay::rawdb {

using detail::corrupt;
using detail::read_record;

// ---- chain config ----

Result<std::string> read_chain_config_json(const chaindata::DBManager& dbm, const Hash& genesis_hash) {
  auto v = read_record(dbm, kMetaDb, config_key(genesis_hash), "chain config for genesis " + genesis_hash.hex());
  if (!v) return v.status();
  return std::string(as_string_view(*v));
}

Result<ChainConfig> read_chain_config(const chaindata::DBManager& dbm, const Hash& genesis_hash) {
  auto text = read_chain_config_json(dbm, genesis_hash);
  if (!text) return text.status();
  const Bytes key = config_key(genesis_hash);
  const auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return corrupt("chain config", key, "not a JSON object");
  auto cfg = parse_chain_config(j);
  if (!cfg) return corrupt("chain config", key, cfg.status().message());
  return std::move(*cfg);
}

Status write_chain_config_json(ChainWriter& w, const Hash& genesis_hash, std::string_view json) {
  return w.put(kMetaDb, config_key(genesis_hash), as_view(json));
}

// ---- database version ----

Result<uint64_t> read_database_version(const chaindata::DBManager& dbm) {
  const Bytes key = fixed_key(kDatabaseVersionKey);
  auto v = read_record(dbm, kMetaDb, key, "database version");
  if (!v) return v.status();
  auto item = rlp::decode(*v);
  if (!item) return corrupt("database version", key, item.status().message());
  auto n = rlp::decode_uint(*item);
  if (!n) return corrupt("database version", key, n.status().message());
  return *n;
}

Status write_database_version(ChainWriter& w, uint64_t version) {
  Bytes enc;
  rlp::encode_uint(enc, version);
  return w.put(kMetaDb, fixed_key(kDatabaseVersionKey), enc);
}

// ---- migration ----

Result<uint64_t> read_migration_status(const chaindata::DBManager& dbm) {
  const Bytes key = fixed_key(kMigrationStatusKey);
  auto v = read_record(dbm, kMetaDb, key, "migration status");
  if (!v) return v.status().is_not_found() ? Result<uint64_t>(uint64_t{0}) : Result<uint64_t>(v.status());
  if (v->size() != 8) return corrupt("migration status", key, "expected 8 bytes, found " + std::to_string(v->size()));
  return get_be64(v->data());
}

Status write_migration_status(ChainWriter& w, uint64_t block_num) {
  uint8_t b[8];
  put_be64(b, block_num);
  return w.put(kMetaDb, fixed_key(kMigrationStatusKey), ByteView(b, 8));
}

Result<std::string> read_migration_old_db_path(const chaindata::DBManager& dbm) {
  auto v = read_record(dbm, kMetaDb, fixed_key(kMigrationOldDBPathKey), "old migration directory");
  if (!v) return v.status().is_not_found() ? Result<std::string>(std::string()) : Result<std::string>(v.status());
  return std::string(as_string_view(*v));
}

Status write_migration_old_db_path(ChainWriter& w, std::string_view dir) {
  return w.put(kMetaDb, fixed_key(kMigrationOldDBPathKey), as_view(dir));
}

Status delete_migration_old_db_path(ChainWriter& w) { return w.del(kMetaDb, fixed_key(kMigrationOldDBPathKey)); }

// ---- pruning ----

Result<bool> read_pruning_enabled(const chaindata::DBManager& dbm) {
  return detail::has_record(dbm, kMetaDb, fixed_key(kPruningEnabledKey));
}

Status write_pruning_enabled(ChainWriter& w) {
  return w.put(kMetaDb, fixed_key(kPruningEnabledKey), as_view(kPruningEnabledValue));
}

Status write_pruning_mark(ChainWriter& w, const PruningMark& mark) {
  const uint8_t v = kPruningMarkValue;
  return w.put(kMetaDb, pruning_mark_key(mark.block_num, mark.node), ByteView(&v, 1));
}

Status write_pruning_marks(ChainWriter& w, uint64_t block_num, std::span<const ExtHash> nodes) {
  const uint8_t v = kPruningMarkValue;
  uint8_t key[kPruningMarkKeySize];
  for (const ExtHash& node : nodes) {
    encode_pruning_mark_key(block_num, node, key);
    if (Status s = w.put(kMetaDb, ByteView(key, sizeof key), ByteView(&v, 1)); !s) return s;
  }
  return Status::ok();
}

Status delete_pruning_mark(ChainWriter& w, const PruningMark& mark) {
  return w.del(kMetaDb, pruning_mark_key(mark.block_num, mark.node));
}

Result<std::vector<PruningMark>> read_pruning_marks(const chaindata::DBManager& dbm, uint64_t start, uint64_t end) {
  kv::Database* db = dbm.find(kMetaDb);
  if (!db) return Status::invalid_argument("the misc database is not open");
  kv::IteratorOptions opts;
  opts.prefix = to_bytes(kPruningMarkPrefix);
  opts.start.resize(8);
  put_be64(opts.start.data(), start);
  std::vector<PruningMark> marks;
  auto it = db->new_iterator(opts);
  for (; it->valid(); it->next()) {
    auto m = parse_pruning_mark_key(it->key());
    if (!m) return corrupt("pruning mark", it->key(), "unexpected key length");
    if (m->block_num >= end) break;
    marks.push_back(*m);
  }
  if (auto s = it->status(); !s) return with_context(s, "misc");
  return marks;
}

Result<uint64_t> read_last_pruned_block_number(const chaindata::DBManager& dbm) {
  const Bytes key = fixed_key(kLastPrunedBlockNumberKey);
  auto v = read_record(dbm, kMetaDb, key, "last pruned block number");
  if (!v) return v.status();
  if (v->size() != 8) return corrupt("last pruned block number", key, "expected 8 bytes, found " + std::to_string(v->size()));
  return get_le64(v->data());
}

Status write_last_pruned_block_number(ChainWriter& w, uint64_t block_num) {
  uint8_t b[8];
  put_le64(b, block_num);
  return w.put(kMetaDb, fixed_key(kLastPrunedBlockNumberKey), ByteView(b, 8));
}

}  // namespace klay::rawdb
