// LmdbIterator: an ordered cursor over the snapshot of one read-only LMDB
// transaction, which it owns until it is exhausted or destroyed.
// Internal to engine/kv/lmdb; see LmdbDatabase::new_iterator for the contract.
//
// Entries are copied out of the memory map in batches (a few at first, then
// up to kMaxBatchEntries or about kMaxBatchBytes) under one hold of the gate,
// and next() serves them from that buffer, so key()/value() stay valid across
// a map resize and the gate is taken once per batch, not once per entry. The
// batch is read from the same snapshot, so reading ahead changes nothing the
// caller can see. After a resize (a new map epoch) the cursor is re-opened and
// re-sought past the last buffered key inside the same, unchanged snapshot.
// This relies on LMDB 0.9 keeping no map pointers in a read transaction
// itself, only in its cursors.
// Not thread-safe (one thread at a time).
#pragma once

#include <lmdb.h>

#include <memory>
#include <vector>

#include "engine/kv/database.h"
#include "engine/kv/lmdb/lmdb_env.h"

namespace klay::kv::lmdb_detail {

class LmdbIterator final : public Iterator {
 public:
  LmdbIterator(std::shared_ptr<LmdbEnv> env, const IteratorOptions& options);
  ~LmdbIterator() override;

  bool valid() const override { return pos_ < entries_.size(); }
  void next() override;
  ByteView key() const override { return key_; }
  ByteView value() const override { return value_; }
  Status status() const override { return status_; }

 private:
  struct Entry {
    size_t key_at, key_size, value_at, value_size;
  };
  static constexpr size_t kFirstBatchEntries = 4;
  static constexpr size_t kMaxBatchEntries = 64;
  static constexpr size_t kMaxBatchBytes = 64 << 10;

  // Positions on the first key >= seek. REQUIRES: the gate held shared.
  int seek(ByteView seek_key, MDB_val* k, MDB_val* v);
  // Replaces the buffer with the entry the cursor returned (rc, k, v) and the
  // ones after it; at the end, past the prefix or on an error, records that
  // and drops the snapshot. REQUIRES: the gate held shared.
  void fill(int rc, MDB_val k, MDB_val v);
  // Makes room for `more` bytes after buffer_size_ (keeping the contents).
  void buffer_grow(size_t more);
  // Points key_/value_ at entries_[pos_] (or clears them past the end).
  void show();
  // Drops the cursor and the transaction. REQUIRES: gate held.
  void finish();

  std::shared_ptr<LmdbEnv> env_;
  MDB_txn* txn_ = nullptr;
  MDB_cursor* cursor_ = nullptr;
  uint64_t epoch_ = 0;
  bool registered_ = false;
  bool at_end_ = false;  // the cursor has nothing after the buffered entries
  size_t batch_limit_ = kFirstBatchEntries;
  Bytes prefix_;
  // The buffered keys and values, back to back (a plain array: appending is a
  // bounds check and two memcpy, with no zero-filling).
  std::unique_ptr<uint8_t[]> buffer_;
  size_t buffer_size_ = 0;
  size_t buffer_capacity_ = 0;
  std::vector<Entry> entries_;  // where each buffered entry lies in buffer_
  size_t pos_ = 0;              // the current entry; valid() iff < entries_.size()
  Bytes resume_key_;            // the last buffered key, for a re-seek after a resize
  ByteView key_;
  ByteView value_;
  Status status_;
};

}  // namespace klay::kv::lmdb_detail
