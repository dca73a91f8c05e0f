// The backend-neutral key-value interface every storage backend implements.
//
// Keys and values are arbitrary byte strings ordered lexicographically.
// Upper layers (chaindata, migration, pruning) depend only on this header;
// backend headers never leak past their own directory.
//
// Threading: a Database is safe for concurrent use by many readers and one
// writer unless a backend documents more (LevelDB/RocksDB allow concurrent
// writers; LMDB serialises writers internally). Batches and iterators are not
// thread-safe: one thread at a time per object.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::kv {

// Receives the operations of a batch in insertion order (see WriteBatch::replay).
class BatchHandler {
 public:
  virtual ~BatchHandler() = default;
  virtual void put(ByteView key, ByteView value) = 0;
  virtual void del(ByteView key) = 0;
};

// A set of writes applied atomically to one database by Database::write.
// Owned by the caller; created by the database it will be written to.
class WriteBatch {
 public:
  virtual ~WriteBatch() = default;
  WriteBatch() = default;
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  virtual void put(ByteView key, ByteView value) = 0;
  virtual void del(ByteView key) = 0;
  // Number of operations and approximate payload bytes (keys + values) queued.
  // Callers flush when value_bytes() reaches kIdealBatchSize.
  virtual size_t count() const = 0;
  virtual size_t value_bytes() const = 0;
  virtual void clear() = 0;
  // Replays the queued operations in order without consuming them.
  virtual void replay(BatchHandler& handler) const = 0;
};

// Klaytn's IdealBatchSize: 100 KiB.
inline constexpr size_t kIdealBatchSize = 100 * 1024;

struct IteratorOptions {
  // Only keys starting with `prefix` are visited (empty: all keys).
  Bytes prefix;
  // Iteration starts at the first key >= prefix + start.
  Bytes start;
};

// An ordered cursor over a consistent snapshot taken when it was created:
// writes made after creation are not seen. Created valid-or-exhausted,
// positioned on the first matching key.
class Iterator {
 public:
  virtual ~Iterator() = default;
  virtual bool valid() const = 0;
  // REQUIRES: valid().
  virtual void next() = 0;
  // REQUIRES: valid(). The views stay valid until the next call to next() or
  // until the iterator is destroyed.
  virtual ByteView key() const = 0;
  virtual ByteView value() const = 0;
  // Non-ok if iteration stopped on an error rather than at the end.
  virtual Status status() const = 0;
};

struct DbStats {
  uint64_t disk_bytes = 0;          // bytes used on disk (0 for memory)
  uint64_t estimated_keys = 0;      // backend estimate; exact for memory/LMDB
  std::string backend;              // "leveldb", "rocksdb", "lmdb", "memory"
  std::string details;              // backend-specific text (levels, map size, ...)
};

class Database {
 public:
  virtual ~Database() = default;
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Copies the value of `key` into *value. Returns NotFound (not an error) when absent.
  virtual Status get(ByteView key, Bytes* value) = 0;
  // Calls fn with a view of the value without copying where the backend
  // allows it; the view is valid only during the call. NotFound when absent.
  virtual Status get_view(ByteView key, const std::function<void(ByteView)>& fn) = 0;
  virtual Result<bool> has(ByteView key) = 0;
  virtual Status put(ByteView key, ByteView value) = 0;
  // Deleting an absent key succeeds.
  virtual Status del(ByteView key) = 0;

  virtual std::unique_ptr<WriteBatch> new_batch() = 0;
  // Applies the batch atomically. REQUIRES: batch was created by this database.
  // After a failed write the batch is unchanged and the database holds none of it.
  virtual Status write(WriteBatch& batch) = 0;

  virtual std::unique_ptr<Iterator> new_iterator(const IteratorOptions& options = {}) = 0;

  // Compacts keys in [begin, end); nullopt means unbounded on that side.
  virtual Status compact(std::optional<ByteView> begin = std::nullopt,
                         std::optional<ByteView> end = std::nullopt) = 0;
  virtual Result<DbStats> stats() = 0;
  // Flushes and releases resources. Further calls fail. Idempotent.
  virtual Status close() = 0;
  virtual std::string_view backend_name() const = 0;
};

}  // namespace klay::kv
