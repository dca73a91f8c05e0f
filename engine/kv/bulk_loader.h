// Bulk loading: importing a large, key-sorted stream (migration, convert).
//
// A BulkLoader is obtained from the database it fills and used by one thread.
// Keys must arrive in strictly increasing byte order; a key that is not
// greater than the previous one is rejected with InvalidArgument and the loader
// stays usable. Loaded keys overwrite existing ones.
//
// Visibility depends on the implementation, reported by atomic():
//  - atomic (RocksDB SST ingestion): nothing is visible until finish()
//    succeeds; destroying the loader before that discards everything added.
//  - non-atomic (batch fallback): data is written in large batches as it
//    arrives, so after a failure part of it may already be in the database;
//    callers rerun the load (it is idempotent because keys are overwritten).
//
// REQUIRES: the database outlives the loader and stays open until finish()
// returns or the loader is destroyed.
#pragma once

#include <cstdint>
#include <memory>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/kv/database.h"

namespace klay::kv {

class BulkLoader {
 public:
  virtual ~BulkLoader() = default;
  BulkLoader() = default;
  BulkLoader(const BulkLoader&) = delete;
  BulkLoader& operator=(const BulkLoader&) = delete;

  // REQUIRES: key is non-empty and greater than the previous key; not finished.
  virtual Status add(ByteView key, ByteView value) = 0;
  // Writes what is still buffered and makes everything visible. Called once;
  // further add() or finish() calls fail.
  virtual Status finish() = 0;
  // Entries accepted so far.
  virtual uint64_t count() const = 0;
  virtual bool atomic() const = 0;
};

// The fastest loader `db` offers (Database::new_bulk_loader).
inline Result<std::unique_ptr<BulkLoader>> new_bulk_loader(Database& db) { return db.new_bulk_loader(); }

// The generic loader: strictly increasing keys written through batches of
// `db`, each flushed once it holds `flush_bytes` of keys and values.
// Backends without a native path use it; it is public so a backend can fall back to it.
std::unique_ptr<BulkLoader> new_batch_bulk_loader(Database& db, size_t flush_bytes = 16u << 20);

}  // namespace klay::kv
