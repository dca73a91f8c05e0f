#include "migration/migration_cleanup.h"

#include "engine/chaindata/db_manager.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/chain_batch.h"
#include "migration/migration_records.h"
#include "migration/migrator.h"

namespace klay::migration {

using chaindata::EntryType;

Status delete_migration_records(kv::Database& db) {
  // Collect keys first: iterators are snapshots, and deleting while a
  // snapshot is alive is allowed, but batches stay small this way.
  auto batch = db.new_batch();
  kv::IteratorOptions io;
  io.prefix = to_bytes(kRecordKeysPrefix);
  auto it = db.new_iterator(io);
  for (; it->valid(); it->next()) {
    batch->del(it->key());
    if (batch->value_bytes() >= kv::kIdealBatchSize) {
      if (Status s = db.write(*batch); !s) return s;
      batch->clear();
    }
  }
  if (Status s = it->status(); !s) return s;
  it.reset();
  if (batch->count() > 0) return db.write(*batch);
  return Status::ok();
}

Status resume_pending_cleanup(chaindata::DBManager& dbm) {
  if (dbm.is_single() || dbm.config().read_only) return Status::ok();
  rawdb::DirectWriter w(dbm);
  auto live = dbm.dir_name(EntryType::kStateTrie);
  if (!live) return live.status();

  auto old_dir = rawdb::read_migration_old_db_path(dbm);
  if (!old_dir) return old_dir.status();
  if (!old_dir->empty()) {
    if (*old_dir != *live) {
      if (Status s = dbm.remove_dir(*old_dir); !s) return s;
    }
    if (Status s = rawdb::delete_migration_old_db_path(w); !s) return s;
  }

  auto block = rawdb::read_migration_status(dbm);
  if (!block) return block.status();
  const bool target_open = dbm.is_open(EntryType::kStateTrieMigration);
  if (*block != 0 && !target_open) {
    const std::string dir = chaindata::migration_dir_name(*block);
    if (dir != *live) {
      if (Status s = dbm.remove_dir(dir); !s) return s;  // a drop was under way
    }
    if (Status s = w.del(EntryType::kMisc, rawdb::fixed_key(rawdb::kMigrationStatusKey)); !s) return s;
    *block = 0;
  } else if (*block == 0 && target_open) {
    auto dir = dbm.dir_name(EntryType::kStateTrieMigration);
    if (!dir) return dir.status();
    if (Status s = dbm.close_entry(EntryType::kStateTrieMigration, /*clear_record=*/true); !s) return s;
    if (Status s = dbm.remove_dir(*dir); !s) return s;
  }
  if (*block == 0) return delete_migration_records(dbm.state_trie());
  return Status::ok();
}

}  // namespace klay::migration
