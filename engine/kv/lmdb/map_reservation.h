// MapReservation: address space an LMDB map reserves up front, drawn from one
// process-wide budget.
//
// Our LMDB environments map far more than their files hold (LmdbTuning::
// map_reserve_bytes, 1 TiB by default), so that growing the map - which moves
// it and must wait for every reader and iterator - is exceptional. Without
// MDB_WRITEMAP the file does not grow with the map, and a read-only shared
// file mapping costs no memory, only address space. The budget keeps many
// environments in one process (256 state-trie shards, a migration's second
// set) from taking so much of the 128 TiB user address space that malloc or
// thread stacks would fail: it is half of that, or half of RLIMIT_AS when a
// limit is set. An environment that finds the budget spent gets what is left
// (possibly nothing) and relies on growth.
// Internal to engine/kv/lmdb. Thread-safe. Move-only; returns its bytes to the
// budget when destroyed.
#pragma once

#include <cstdint>

namespace klay::kv::lmdb_detail {

class MapReservation {
 public:
  MapReservation() = default;
  // Takes up to `want` bytes from the budget.
  static MapReservation take(uint64_t want);
  ~MapReservation() { release(); }
  MapReservation(MapReservation&& other) noexcept : bytes_(other.bytes_) { other.bytes_ = 0; }
  MapReservation& operator=(MapReservation&& other) noexcept;
  MapReservation(const MapReservation&) = delete;
  MapReservation& operator=(const MapReservation&) = delete;

  uint64_t bytes() const { return bytes_; }
  void release();

  // The whole process budget, and what is not taken now.
  static uint64_t budget();
  static uint64_t available();

 private:
  explicit MapReservation(uint64_t bytes) : bytes_(bytes) {}
  uint64_t bytes_ = 0;
};

}  // namespace klay::kv::lmdb_detail
