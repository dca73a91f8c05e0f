// admin_startStateMigration, admin_stopStateMigration and
// admin_stateMigrationStatus over whatever hosts the online state migration
// (knode's MigrationHost, node/migration_host.h). The reference's semantics:
//   admin_startStateMigration   null; the migration starts at the next block
//                               whose state is committed to disk. Errors
//                               (-32000, one sentence): one is already
//                               running, single-DB mode, live pruning.
//   admin_stopStateMigration    null; aborts and deletes the new database.
//                               Error when none is running.
//   admin_stateMigrationStatus  {isMigration, migrationBlockNumber, read,
//                               committed, pending, progress, err} (progress in
//                               percent, err null or a message), plus our
//                               skipped, runs and phase.
// Threading: handlers run on the RPC workers; the control must be thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/core/status.h"
#include "migration/migration_status.h"
#include "node/rpc/method_registry.h"

namespace klay::api {

// What the admin_ migration methods drive. Implemented by the node's host.
class StateMigrationControl {
 public:
  virtual ~StateMigrationControl() = default;
  // Requests a migration at the next committed state.
  virtual Status start_state_migration() = 0;
  // Stops the running (or requested) migration and drops its database.
  virtual Status stop_state_migration() = 0;
  // The running migration's status, or the last one's (isMigration false).
  virtual migration::MigrationStatus state_migration_status() const = 0;
};

// The JSON object admin_stateMigrationStatus returns.
nlohmann::json migration_status_json(const migration::MigrationStatus& st);

// Registers the three methods (admin-only) over `control`, which must
// outlive the registry's server.
Status register_migration_methods(rpc::MethodRegistry& methods, StateMigrationControl& control);

}  // namespace klay::api
