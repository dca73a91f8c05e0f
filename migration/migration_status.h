// What a running state migration reports: the reference's
// admin_stateMigrationStatus fields, plus rates for logs and metrics.
// Plain values; thread-safe as values.
#pragma once

#include <cstdint>
#include <string>

namespace klay::migration {

struct MigrationStatus {
  bool is_migration = false;       // isMigration
  uint64_t block_num = 0;          // migrationBlockNumber
  uint64_t read = 0;               // read: nodes read from the old database (all runs)
  uint64_t committed = 0;          // committed: nodes and codes written to the new database (all runs)
  uint64_t pending = 0;            // pending: nodes queued in batches not yet written
  double progress = 0;             // progress: percent, 0..100
  std::string err;                 // err: empty means null
  // Beyond the reference:
  uint64_t skipped = 0;            // nodes covered by completion records (deduped or resumed)
  uint64_t runs = 0;               // how many times the copy was started (1 + restarts)
  std::string phase;               // "copying", "verifying", "verified", "finished", "stopped", "failed"
};

// Handed to MigrationOptions::on_progress every progress_interval.
struct MigrationProgress {
  MigrationStatus status;
  double nodes_per_second = 0;  // nodes read + skipped per second in this run
  double eta_seconds = -1;      // -1 when unknown
};

}  // namespace klay::migration
