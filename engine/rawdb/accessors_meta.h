// Chain-wide records in misc: the chain config, the database version, state
// migration and live-pruning bookkeeping.
// Same error conventions as accessors_chain.h.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/klaytn/chain_config.h"
#include "engine/rawdb/chain_batch.h"
#include "engine/rawdb/schema.h"

namespace klay::rawdb {

// ---- chain config: "klay-config-" + genesisHash -> JSON ----
Result<std::string> read_chain_config_json(const chaindata::DBManager& dbm, const Hash& genesis_hash);
// The stored JSON parsed like a genesis "config" object. Corruption when the
// JSON is invalid or not a config object.
Result<ChainConfig> read_chain_config(const chaindata::DBManager& dbm, const Hash& genesis_hash);
// REQUIRES: `json` is a JSON object (not checked here).
Status write_chain_config_json(ChainWriter& w, const Hash& genesis_hash, std::string_view json);

// ---- "DatabaseVersion" -> RLP uint ----
Result<uint64_t> read_database_version(const chaindata::DBManager& dbm);
Status write_database_version(ChainWriter& w, uint64_t version);

// ---- "migrationStatus" -> BE64 block_num; absent or 0 means no migration ----
Result<uint64_t> read_migration_status(const chaindata::DBManager& dbm);  // 0 when absent
Status write_migration_status(ChainWriter& w, uint64_t block_num);
// ---- "migrationOldDBPath" -> directory name still to delete ----
Result<std::string> read_migration_old_db_path(const chaindata::DBManager& dbm);  // "" when absent
Status write_migration_old_db_path(ChainWriter& w, std::string_view dir);
Status delete_migration_old_db_path(ChainWriter& w);

// ---- "PruningEnabled": present means live pruning is on for this datadir ----
Result<bool> read_pruning_enabled(const chaindata::DBManager& dbm);
Status write_pruning_enabled(ChainWriter& w);

// ---- "Pruning-" + BE64(num) + extHash -> 0x01 ----
Status write_pruning_mark(ChainWriter& w, const PruningMark& mark);
// The marks of one block, one put each, in the order given (no per-mark allocation).
Status write_pruning_marks(ChainWriter& w, uint64_t block_num, std::span<const ExtHash> nodes);
Status delete_pruning_mark(ChainWriter& w, const PruningMark& mark);
// Marks with start <= block_num < end, in key order.
Result<std::vector<PruningMark>> read_pruning_marks(const chaindata::DBManager& dbm, uint64_t start, uint64_t end);

// ---- "lastPrunedBlockNumber" -> LE64 ----
Result<uint64_t> read_last_pruned_block_number(const chaindata::DBManager& dbm);  // NotFound when absent
Status write_last_pruned_block_number(ChainWriter& w, uint64_t block_num);

}  // namespace klay::rawdb
