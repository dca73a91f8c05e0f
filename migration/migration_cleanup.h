// Helpers for the end of a migration (internal to klay_migration; the public
// entry point is resume_pending_cleanup in migrator.h).
#pragma once

#include "engine/core/status.h"
#include "engine/kv/database.h"

namespace klay::migration {

// Deletes every "klay-migration-" record (completion records and the
// checkpoint) from `db`, in batches. Idempotent.
Status delete_migration_records(kv::Database& db);

}  // namespace klay::migration
