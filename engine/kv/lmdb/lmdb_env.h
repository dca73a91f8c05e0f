// LmdbEnv: one open LMDB environment and the rules for using it safely.
// Internal to engine/kv/lmdb; shared (shared_ptr) by the LmdbDatabase and its
// iterators.
//
// Lifetime: the environment has "users": the database (until close()) and
// each live iterator. It is closed when the last user is released.
// Threading: thread-safe. `closed_` is written only under the exclusive gate
// and read only under the shared gate.
#pragma once

#include <lmdb.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/kv/backend_support.h"
#include "engine/kv/lmdb/dir_lock.h"
#include "engine/kv/lmdb/lmdb_database.h"
#include "engine/kv/lmdb/lmdb_status.h"
#include "engine/kv/lmdb/map_gate.h"
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
  // Bumped by every remap; a cursor positioned under an older epoch is stale.
  uint64_t map_epoch() const { return map_epoch_.load(std::memory_order_relaxed); }

  // InvalidArgument unless 1 <= key.size() <= LMDB's maximum key size.
  Status check_key(ByteView key) const;
  size_t max_key_size() const { return max_key_size_; }

  // REQUIRES: the caller holds the gate shared.
  bool closed() const { return closed_; }
  Status closed_status() const;

  // Runs fn(MDB_txn*) -> Status inside a read-only transaction while holding
  // the gate shared.
  template <typename Fn>
  Status read(Fn&& fn) {
    for (;;) {
      SharedGate guard(gate_);
      if (closed_) return closed_status();
      MDB_txn* txn = nullptr;
      const int rc = acquire_read_txn(&txn);
      if (rc == MDB_MAP_RESIZED) {
        guard.release();
        if (Status s = adopt_map_size(); !s) return s;
        continue;
      }
      if (rc != 0) return lmdb_status(rc, "begin a read transaction", dir_);
      Status s = fn(txn);
      release_read_txn(txn);
      return s;
    }
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
        if (closed_) return closed_status();
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
        return lmdb_status(rc, action, dir_);
      }
    }
  }

  // A read-only transaction from the pool (a reset one renewed, or a new one).
  // REQUIRES: the gate held shared.
  int acquire_read_txn(MDB_txn** txn);
  // Gives a transaction from acquire_read_txn back. REQUIRES: gate held shared.
  void release_read_txn(MDB_txn* txn);

  // Another process grew the map (MDB_MAP_RESIZED): adopt its size.
  // REQUIRES: the caller does not hold the gate.
  Status adopt_map_size();

  // Iterators register as users. add_user REQUIRES the gate held shared and !closed().
  void add_user();
  void release_user();

  // Marks the environment closed (waiting for in-flight calls), fsyncs, and
  // releases the database's use. Idempotent.
  Status close();

 private:
  LmdbEnv() = default;
  // Grows the map by 50 % (min 1 MiB). REQUIRES: write_mu_ held, gate not held.
  Status grow_map();
  // Takes the gate exclusively or returns Busy after resize_wait_.
  Status lock_exclusive(std::string_view why);
  void close_env_now();

  std::filesystem::path dir_;
  DirLock dir_lock_;  // held from open until the environment is closed
  MDB_env* env_ = nullptr;
  MDB_dbi dbi_ = 0;
  bool read_only_ = false;
  size_t max_key_size_ = 511;
  std::chrono::milliseconds resize_wait_{30000};

  MapGate gate_;
  std::atomic<uint64_t> map_epoch_{0};
  bool closed_ = false;
  std::mutex write_mu_;

  // Reset read transactions (each keeps its reader slot in lock.mdb), one per
  // slot, taken and given back with one atomic exchange. A thread starts at
  // its own slot, so single-threaded reads reuse the same transaction without
  // contention; MDB_NOTLS lets any thread renew any transaction.
  struct alignas(64) IdleTxnSlot {
    std::atomic<MDB_txn*> txn{nullptr};
  };
  static constexpr size_t kIdleTxnSlots = 32;
  std::array<IdleTxnSlot, kIdleTxnSlots> idle_txns_{};

  std::mutex users_mu_;
  int users_ = 1;  // the database itself
};

}  // namespace klay::kv::lmdb_detail
