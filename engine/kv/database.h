// The backend-neutral key-value interface every storage backend implements.
//
// Keys and values are byte strings ordered lexicographically. Keys must be
// non-empty (LMDB cannot store an empty key, so no backend accepts one):
// get/get_view/has/put/del return InvalidArgument for an empty key, and a batch
// holding one fails as a whole in Database::write. Backends may cap key length
// (LMDB: 511 bytes) and report a longer key as InvalidArgument the same way.
// Values may be empty; an empty value is present, not absent.
// Upper layers (chaindata, migration, pruning) depend only on this header;
// backend headers never leak past their own directory.
//
// Threading: a Database is safe for concurrent use by many readers and one
// writer unless a backend documents more (LevelDB/RocksDB allow concurrent
// writers; LMDB serialises writers internally). Batches and iterators are not
// thread-safe: one thread at a time per object. close() must not race with any
// other call on the same Database.
//
// A database directory is open at most once at a time: a second open of the
// same directory (or memory name) while the first is open fails with Busy.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::kv {

class BulkLoader;  // engine/kv/bulk_loader.h

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
  // valid(), key() and value() are plain loads of what the last step
  // recorded (set_entry / set_end), and next() steps through entries a
  // backend read ahead (set_ahead) without a virtual call: a scan costs one
  // indirect call per read-ahead batch, which matters next to a C cursor.
  bool valid() const { return valid_; }
  // REQUIRES: valid().
  void next() {
    if (pos_ + 1 < count_) [[likely]] {
      ++pos_;
      key_ = ahead_[pos_].key;
      value_ = ahead_[pos_].value;
      return;
    }
    advance();
  }
  // REQUIRES: valid(). The views stay valid until the next call to next() or
  // until the iterator is destroyed, whatever else happens to the database
  // meanwhile (writes, reads, other iterators). They may point into the
  // backend's own storage (LMDB: its memory map, no copy), so copy what must
  // outlive the step.
  ByteView key() const { return key_; }
  ByteView value() const { return value_; }
  // Non-ok if iteration stopped on an error rather than at the end.
  virtual Status status() const = 0;

 protected:
  struct Entry {
    ByteView key;
    ByteView value;
  };
  static constexpr size_t kMaxAhead = 32;

  // Moves past the current entry once the read-ahead (if any) is used up;
  // ends by calling set_entry, set_ahead or set_end.
  virtual void advance() = 0;

  // Implementations call exactly one of these after every positioning step
  // (construction included): the entry the iterator now stands on, or none.
  void set_entry(ByteView key, ByteView value) {
    key_ = key;
    value_ = value;
    valid_ = true;
    count_ = 0;
  }
  void set_end() {
    key_ = {};
    value_ = {};
    valid_ = false;
    count_ = 0;
  }
  // n (1..kMaxAhead) entries in ahead_, in order, whose views all stay valid
  // until advance() is next called: the first becomes current, next() walks
  // the rest.
  void set_ahead(size_t n) {
    set_entry(ahead_[0].key, ahead_[0].value);
    pos_ = 0;
    count_ = n;
  }
  Entry ahead_[kMaxAhead];

 private:
  ByteView key_;
  ByteView value_;
  bool valid_ = false;
  size_t pos_ = 0;
  size_t count_ = 0;  // entries in ahead_ (0: none read ahead)
};

struct DbStats {
  uint64_t disk_bytes = 0;          // bytes used on disk (0 for memory)
  // Exact for memory/LMDB; RocksDB's own estimate; LevelDB counts exactly up to
  // 4096 keys and extrapolates from on-disk sizes beyond that.
  uint64_t estimated_keys = 0;
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
  // fn must not write to this database (backends may hold a read lock or a
  // read transaction around the call).
  virtual Status get_view(ByteView key, const std::function<void(ByteView)>& fn) = 0;
  virtual Result<bool> has(ByteView key) = 0;
  virtual Status put(ByteView key, ByteView value) = 0;
  // Deleting an absent key succeeds.
  virtual Status del(ByteView key) = 0;

  virtual std::unique_ptr<WriteBatch> new_batch() = 0;
  // Applies the batch atomically. REQUIRES: batch was created by this database.
  // After a failed write the batch is unchanged and the database holds none of it.
  virtual Status write(WriteBatch& batch) = 0;

  // Never null. On a closed database the iterator is exhausted with a non-ok status().
  // REQUIRES: the iterator is destroyed before this database is closed or destroyed.
  virtual std::unique_ptr<Iterator> new_iterator(const IteratorOptions& options = {}) = 0;

  // A loader for large sorted imports (see bulk_loader.h). The default writes
  // through batches of this database; a backend overrides it with a faster path
  // (RocksDB: SST files ingested on finish; LMDB may append in key order).
  // Prefer the free function kv::new_bulk_loader(db).
  virtual Result<std::unique_ptr<BulkLoader>> new_bulk_loader();

  // Compacts keys in [begin, end); nullopt means unbounded on that side.
  virtual Status compact(std::optional<ByteView> begin = std::nullopt,
                         std::optional<ByteView> end = std::nullopt) = 0;
  virtual Result<DbStats> stats() = 0;
  // Flushes and releases resources (including the directory lock). Further calls
  // fail with a non-ok Status; calling close() again returns ok. The destructor
  // closes an open database. REQUIRES: no iterator of this database is alive.
  virtual Status close() = 0;
  virtual std::string_view backend_name() const = 0;
};

}  // namespace klay::kv
