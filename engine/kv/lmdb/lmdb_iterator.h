// LmdbIterator: an ordered cursor over the snapshot of one read-only LMDB
// transaction, which it owns until it is exhausted or destroyed.
// Internal to engine/kv/lmdb; see LmdbDatabase::new_iterator for the contract.
//
// Each step copies the entry out of the memory map, so key()/value() stay
// valid across a map resize, and the gate is held only during a step. After
// a resize (a new map epoch) the cursor is re-opened and re-sought to the
// current key inside the same, unchanged snapshot. This relies on LMDB 0.9
// keeping no map pointers in a read transaction itself, only in its cursors.
// Not thread-safe (one thread at a time).
#pragma once

#include <lmdb.h>

#include <memory>

#include "engine/kv/database.h"
#include "engine/kv/lmdb/lmdb_env.h"

namespace klay::kv::lmdb_detail {

class LmdbIterator final : public Iterator {
 public:
  LmdbIterator(std::shared_ptr<LmdbEnv> env, const IteratorOptions& options);
  ~LmdbIterator() override;

  bool valid() const override { return valid_; }
  void next() override;
  ByteView key() const override { return key_; }
  ByteView value() const override { return value_; }
  Status status() const override { return status_; }

 private:
  // Positions on the first key >= seek. REQUIRES: the gate held shared.
  int seek(const Bytes& seek_key, MDB_val* k, MDB_val* v);
  // Takes the entry the cursor returned (or its end/error). REQUIRES: gate held.
  void take(int rc, const MDB_val& k, const MDB_val& v);
  // Drops the cursor and the transaction. REQUIRES: gate held.
  void finish();

  std::shared_ptr<LmdbEnv> env_;
  MDB_txn* txn_ = nullptr;
  MDB_cursor* cursor_ = nullptr;
  uint64_t epoch_ = 0;
  bool registered_ = false;
  Bytes prefix_;
  Bytes key_;
  Bytes value_;
  bool valid_ = false;
  Status status_;
};

}  // namespace klay::kv::lmdb_detail
