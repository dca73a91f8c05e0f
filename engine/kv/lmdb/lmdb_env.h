// LmdbEnv: one open LMDB environment and the rules for using it safely.
// Internal to engine/kv/lmdb; shared (shared_ptr) by the LmdbDatabase and its
// iterators.
//
// Lifetime: the environment has "users": the database (until close()) and
// each live iterator. It is closed when the last user is released.
// Threading: thread-safe. `closed_` is written only under the exclusive gate.
// Map: at open the map is Options::lmdb_initial_map_bytes or the address
// space reserved (LmdbTuning::map_reserve_bytes, see map_reservation.h),
// whichever is larger, so growth is exceptional.
#pragma once

#include <lmdb.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/kv/backend_support.h"
#include "engine/kv/lmdb/dir_lock.h"
#include "engine/kv/lmdb/lmdb_database.h"
#include "engine/kv/lmdb/lmdb_status.h"
#include "engine/kv/lmdb/map_gate.h"
#include "engine/kv/lmdb/map_reservation.h"
#include "engine/kv/options.h"

namespace klay::kv::lmdb_detail {

inline MDB_val to_val(ByteView b) {
  return MDB_val{b.size(), const_cast<uint8_t*>(b.data())};
}
inline ByteView from_val(const MDB_val& v) {
  return {static_cast<const uint8_t*>(v.mv_data), v.mv_size};
}

class LmdbEnv {
 public:
  static Result<std::shared_ptr<LmdbEnv>> open(const std::filesystem::path& dir,
                                               const Options& options, const LmdbTuning& tuning);
  ~LmdbEnv();
  LmdbEnv(const LmdbEnv&) = delete;
  LmdbEnv& operator=(const LmdbEnv&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  MDB_env* env() const { return env_; }
  MDB_dbi dbi() const { return dbi_; }
  bool read_only() const { return read_only_; }
  MapGate& gate() { return gate_; }

  // InvalidArgument unless 1 <= key.size() <= LMDB's maximum key size.
  Status check_key(ByteView key) const {
    if (!key.empty() && key.size() <= max_key_size_) [[likely]] return Status::ok();
    return key_error(key);
  }
  bool key_ok(ByteView key) const { return !key.empty() && key.size() <= max_key_size_; }
  size_t max_key_size() const { return max_key_size_; }

  // Whether close() has run. Read it while holding the gate (a seat, shared
  // or a pin) or a user reference.
  bool closed() const { return closed_.load(std::memory_order_acquire); }
  Status closed_status() const;

  // Runs fn(MDB_txn*) -> int (an LMDB code) inside a read-only transaction
  // while the map is held still, and returns fn's code; or, if fn could not
  // run, kClosedRc or the LMDB code of beginning the transaction. The fast
  // path claims this thread's seat of the gate and the idle transaction
  // parked in it with one compare-and-swap; otherwise read_slow below.
  static constexpr int kClosedRc = -1;
  template <typename Fn>
  int read_rc(Fn&& fn) {
    const size_t seat = thread_seat();
    void* parked = nullptr;
    if (gate_.try_enter_seat(seat, &parked)) [[likely]] {
      if (parked != nullptr && !closed()) [[likely]] {
        MDB_txn* txn = static_cast<MDB_txn*>(parked);
        if (mdb_txn_renew(txn) == 0) [[likely]] {
          const int rc = fn(txn);
          mdb_txn_reset(txn);
          gate_.leave_seat(seat, txn);
          return rc;
        }
        mdb_txn_abort(txn);
        parked = nullptr;
      }
      gate_.leave_seat(seat, parked);
    }
    return read_slow(fn);
  }
  // The Status for a code read_rc returned: ok for 0, NotFound for
  // MDB_NOTFOUND, the closed error for kClosedRc.
  Status read_status(int rc, std::string_view action) const {
    if (rc == 0) return Status::ok();
    if (rc == kClosedRc) return closed_status();
    return lmdb_status(rc, action, dir_);
  }
  // read_rc for a fn(MDB_txn*) -> Status.
  template <typename Fn>
  Status read(Fn&& fn) {
    Status out;
    const int rc = read_rc([&](MDB_txn* txn) {
      out = fn(txn);
      return 0;
    });
    if (rc != 0) return read_status(rc, "begin a read transaction");
    return out;
  }

  // Runs body(MDB_txn*) -> int (an LMDB code) in one write transaction and
  // commits it; on MDB_MAP_FULL grows the map and runs body again from scratch
  // (so body must only depend on its inputs). `action` names the operation in
  // error messages.
  template <typename Body>
  Status write(Body&& body, std::string_view action) {
    if (read_only_) {
      return read_only_error("LMDB", dir_);
    }
    std::lock_guard writer(write_mu_);
    for (;;) {
      int rc = 0;
      {
        SharedGate guard(gate_);
        if (closed()) return closed_status();
        MDB_txn* txn = nullptr;
        rc = mdb_txn_begin(env_, nullptr, 0, &txn);
        if (rc == 0) {
          rc = body(txn);
          if (rc == 0) {
            rc = mdb_txn_commit(txn);  // frees txn on failure too
          } else {
            mdb_txn_abort(txn);
          }
          if (rc == 0) return Status::ok();
        }
      }
      if (rc == MDB_MAP_FULL) {
        if (Status s = grow_map(); !s) return s;
      } else if (rc == MDB_MAP_RESIZED) {
        if (Status s = adopt_map_size(); !s) return s;
      } else {
        return write_error(rc, action);
      }
    }
  }

  // A read-only transaction for an iterator: an idle one taken from a seat
  // (renewed), or a new one. REQUIRES: the caller holds a pin.
  int take_read_txn(MDB_txn** txn);
  // Resets an iterator's transaction and parks it in a free seat (or aborts
  // it). REQUIRES: the caller holds a pin.
  void give_back_read_txn(MDB_txn* txn);

  // Another process grew the map (MDB_MAP_RESIZED): adopt its size.
  // REQUIRES: the caller does not hold the gate.
  Status adopt_map_size();

  // Iterators register as users while they hold a transaction. try_add_user
  // fails once the environment has been released for good.
  bool try_add_user();
  void release_user();

  // Marks the environment closed (waiting for in-flight calls), fsyncs, and
  // releases the database's use. Idempotent.
  Status close();

 private:
  LmdbEnv() = default;
  Status key_error(ByteView key) const;
  // The Status for a failed write transaction. A short write of the commit
  // comes back from LMDB as EIO: on a full disk that is NoSpace.
  Status write_error(int rc, std::string_view action) const;
  // This thread's first seat in every environment's gate.
  static size_t thread_seat() {
    thread_local size_t seat = SIZE_MAX;  // constant-initialised: no guard on the fast path
    if (seat == SIZE_MAX) [[unlikely]] seat = next_thread_seat();
    return seat;
  }
  static size_t next_thread_seat();
  // read_rc when this thread's seat is taken or holds no transaction: probes
  // a few more seats, then holds the gate shared with a fresh transaction.
  template <typename Fn>
  int read_slow(Fn&& fn) {
    for (;;) {
      MDB_txn* txn = nullptr;
      size_t seat = MapGate::kSeats;
      const int rc = begin_read(&txn, &seat);
      if (rc == MDB_MAP_RESIZED) {
        if (Status s = adopt_map_size(); !s) return rc;
        continue;
      }
      if (rc != 0) return rc;
      const int result = fn(txn);
      end_read(txn, seat);
      return result;
    }
  }
  // *seat is the seat held, or kSeats when the gate is held shared instead.
  // Returns an LMDB code, or kClosedRc with nothing held.
  int begin_read(MDB_txn** txn, size_t* seat);
  void end_read(MDB_txn* txn, size_t seat);
  // Grows the map by 50 % (min 1 MiB). REQUIRES: write_mu_ held, gate not held.
  Status grow_map();
  // Takes the gate exclusively for a map move (waiting for pins too) or
  // returns Busy: at once if this thread holds a pin, else after resize_wait_.
  Status lock_exclusive(std::string_view why);
  void close_env_now();

  std::filesystem::path dir_;
  DirLock dir_lock_;  // held from open until the environment is closed
  MDB_env* env_ = nullptr;
  MDB_dbi dbi_ = 0;
  bool read_only_ = false;
  size_t max_key_size_ = 511;
  std::chrono::milliseconds resize_wait_{30000};

  MapReservation reservation_;  // address space reserved for the map

  // The gate's seats park reset read transactions (each keeps its reader slot
  // in lock.mdb). A thread starts at its own seat, so single-threaded reads
  // reuse the same transaction without contention; MDB_NOTLS lets any thread
  // renew any transaction.
  MapGate gate_;
  std::atomic<bool> closed_{false};  // written only under the exclusive gate
  std::mutex write_mu_;

  std::mutex users_mu_;
  int users_ = 1;  // the database itself
};

}  // namespace klay::kv::lmdb_detail
