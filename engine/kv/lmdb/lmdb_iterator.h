// LmdbIterator: an ordered cursor over the snapshot of one read-only LMDB
// transaction, which it owns until it is exhausted or destroyed.
// Internal to engine/kv/lmdb; see LmdbDatabase::new_iterator for the contract.
//
// key() and value() point straight into the memory map (no copy): the
// iterator pins the map (MapGate::pin) from creation until it is exhausted
// or destroyed, so the map cannot move under the views. A map resize waits
// for the pin. The iterator reads ahead (4, then 16, then 32 entries, as views
// handed to Iterator::set_ahead, so next() walks them without a virtual
// call); before each read-ahead it checks MapGate::pins_wanted() (one relaxed
// load) and, when a resize waits, copies the current key (where the cursor
// stands), lets go of the pin, pins again once the resize is done, renews its
// cursor and re-seeks past that key inside the same, unchanged snapshot. (This relies on LMDB 0.9 keeping no map
// pointers in a read transaction itself, only in its cursors.) An iterator
// that is not stepped therefore holds a resize up (LmdbTuning::resize_wait).
// Not thread-safe (one thread at a time).
#pragma once

#include <lmdb.h>

#include <memory>
#include <thread>

#include "engine/kv/database.h"
#include "engine/kv/lmdb/lmdb_env.h"

namespace klay::kv::lmdb_detail {

class LmdbIterator final : public Iterator {
 public:
  LmdbIterator(std::shared_ptr<LmdbEnv> env, const IteratorOptions& options);
  ~LmdbIterator() override;

  Status status() const override { return status_; }

 private:
  void advance() override;
  // Positions on the first key >= seek.
  int seek(ByteView seek_key, MDB_val* k, MDB_val* v);
  // Reads ahead from the entry the cursor returned (rc == 0) while keys stay
  // inside the prefix, up to limit_ entries; records where it stopped
  // (end_rc_). With nothing read, ends (end()).
  void fill(int rc, MDB_val k, MDB_val v);
  // Records the end (and the error, if rc is one), dropping the snapshot and the pin.
  void end(int rc);
  // A read-ahead while a resize waits for this iterator's pin (see above).
  int step_after_resize(MDB_val* k, MDB_val* v);
  // Drops the cursor, the transaction and the pin.
  void finish();

  std::shared_ptr<LmdbEnv> env_;
  MapGate* gate_;
  MDB_txn* txn_ = nullptr;
  MDB_cursor* cursor_ = nullptr;
  bool pinned_ = false;
  std::thread::id pin_owner_;
  bool registered_ = false;  // counted as a user of env_
  int end_rc_ = 0;           // why the last read-ahead stopped early (MDB_NOTFOUND: end or prefix), 0 if it did not
  size_t limit_ = 4;         // entries the next read-ahead may take
  Bytes prefix_;
  Bytes resume_key_;
  Status status_;
};

}  // namespace klay::kv::lmdb_detail
