#include "migration/offline_migration.h"

#include <chrono>

#include "engine/rawdb/accessors_meta.h"
#include "migration/state_block.h"

namespace klay::migration {

Result<OfflineReport> run_offline_migration(chaindata::DBManager& dbm, const OfflineOptions& options) {
  if (dbm.is_single()) {
    return Status::not_supported("state migration needs a separate state-trie database, but the datadir is in "
                                 "single-DB mode (--db.single)");
  }
  if (Status s = resume_pending_cleanup(dbm); !s) return s;
  MigrationOptions engine = options.engine;
  engine.latest_root = nullptr;

  auto running = rawdb::read_migration_status(dbm);
  if (!running) return running.status();
  std::unique_ptr<StateMigration> m;
  OfflineReport report;
  if (*running != 0) {
    if (options.block_num && *options.block_num != *running) {
      return Status::busy("an interrupted migration at block " + std::to_string(*running) +
                          " is pending; rerun without --block (or with --block " + std::to_string(*running) +
                          ") to finish it");
    }
    auto r = StateMigration::resume(dbm, engine);
    if (!r) return r.status();
    m = std::move(*r);
    report.resumed = true;
  } else {
    auto target = options.block_num ? state_block_at(dbm, *options.block_num) : find_latest_state_block(dbm);
    if (!target) return target.status();
    auto live = dbm.dir_name(chaindata::EntryType::kStateTrie);
    if (!live) return live.status();
    if (*live == chaindata::migration_dir_name(target->block_num)) {
      // A rerun after a finished migration (e.g. killed while printing).
      report.already_migrated = true;
      report.block_num = target->block_num;
      report.root = target->root;
      report.old_dir = report.new_dir = *live;
      return report;
    }
    auto r = StateMigration::start(dbm, target->block_num, target->root, engine);
    if (!r) return r.status();
    m = std::move(*r);
  }
  if (options.on_start) options.on_start(*m, report.resumed);

  const auto t0 = std::chrono::steady_clock::now();
  Status s = m->run();
  if (s.is_not_found()) {
    (void)m->drop();  // the source lacks part of this state: it can never succeed
    return Status::not_found("the state of block " + std::to_string(m->block_num()) + " is incomplete (" +
                             s.message() + "); nothing was changed");
  }
  if (!s) return s;
  auto old_dir = dbm.dir_name(chaindata::EntryType::kStateTrie);
  if (!old_dir) return old_dir.status();
  if (Status fs = m->finish(); !fs) return fs;
  auto new_dir = dbm.dir_name(chaindata::EntryType::kStateTrie);
  if (!new_dir) return new_dir.status();

  const auto& c = m->counters();
  const auto st = m->status();
  report.block_num = m->block_num();
  report.root = m->root();
  report.runs = st.runs;
  report.nodes_read = c.read.load();
  report.nodes_written = c.written.load();
  report.nodes_skipped = c.skipped.load();
  report.codes_written = c.codes_written.load();
  report.records = c.records.load();
  report.total_read = st.read;
  report.filter_bytes = m->filter_bytes();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  report.old_dir = *old_dir;
  report.new_dir = *new_dir;
  return report;
}

}  // namespace klay::migration
