// MapGate: keeps LMDB's memory map still while anyone is reading through it.
//
// LMDB moves its memory map when the map is resized (mdb_env_set_mapsize),
// so every pointer into the map must be dead by then. Three kinds of holders
// keep the map still ("shared" holds); a resize (or close) is the exclusive
// side:
//   seats   the fast path of short calls (get, has, get_view): one of kSeats
//           slots claimed with a single compare-and-swap. A seat also parks
//           one pointer for its next occupant (the LMDB backend parks an idle
//           read transaction there), so a read claims the gate and its
//           transaction in the same atomic operation.
//   shared  a counter for short calls that found no free seat (and writers);
//           may nest on one thread.
//   pins    long holds: an iterator pins the map for its whole life, so the
//           views it hands out may point into the map. Pins are registered
//           per thread.
// The exclusive side prefers itself: once it waits, new seats and shared
// entries block until it is done, so a steady stream of readers cannot starve
// map growth, and it gives up after a timeout instead of deadlocking. While it
// waits for pins, pins_wanted() is true, so an iterator between two steps can
// let go (and re-seek afterwards). A thread that holds a pin is never blocked
// by a waiting resize (the resize cannot start before that pin goes anyway),
// which is what keeps "iterate, and read on the side" from deadlocking; and
// pinned_by_this_thread() lets a writer that needs the map to move fail at
// once rather than wait for its own iterator.
//
// Threading: all methods are thread-safe. A thread that holds a seat or a
// shared entry must not wait for the exclusive side (it would wait for itself
// until the timeout).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace klay::kv::lmdb_detail {

class MapGate {
 public:
  static constexpr size_t kSeats = 32;

  // Claims seat `seat` (< kSeats). On success *parked is what the last
  // occupant left there (nullptr if nothing). Fails, taking nothing, when the
  // seat is occupied or the exclusive side is active or waiting: then use
  // lock_shared(). Costs one compare-and-swap.
  bool try_enter_seat(size_t seat, void** parked) {
    std::atomic<uintptr_t>& word = seats_[seat].word;
    uintptr_t v = word.load(std::memory_order_relaxed);
    if ((v & kBusy) != 0) return false;
    if (!word.compare_exchange_strong(v, v | kBusy, std::memory_order_seq_cst, std::memory_order_relaxed)) {
      return false;
    }
    // Pairs with try_lock_for: it stores closing_ and then reads the seats;
    // either it sees this seat taken or this load sees closing_.
    if (closing_.load(std::memory_order_seq_cst)) {
      word.store(v, std::memory_order_release);
      return false;
    }
    *parked = reinterpret_cast<void*>(v);
    return true;
  }
  // Leaves a seat claimed by try_enter_seat, parking `parked` (2-aligned, may
  // be nullptr) for the next occupant. A plain store.
  void leave_seat(size_t seat, void* parked) {
    seats_[seat].word.store(reinterpret_cast<uintptr_t>(parked), std::memory_order_release);
  }
  // Takes what is parked in a free seat (waiting out a momentary occupant),
  // leaving nullptr. For shutting down; the caller owns the result.
  void* take_parked(size_t seat);

  void lock_shared();
  void unlock_shared();

  // Pins the map for an iterator's life (blocks while a resize runs, unless
  // this thread already holds a pin). Returns the id to unpin with, which
  // may happen on another thread.
  std::thread::id pin();
  void unpin(std::thread::id owner);
  // True while the exclusive side waits for pins to go.
  bool pins_wanted() const { return pins_wanted_.load(std::memory_order_relaxed); }
  bool pinned_by_this_thread();

  // kAll: the map may move, wait for every holder. kCallsOnly (close):
  // pins may stay.
  enum class Wait { kAll, kCallsOnly };
  // Blocks new seats and shared entries and waits until the holders of kind
  // `wait` are gone. Returns false (and reopens the gate) if that did not
  // happen within `timeout`.
  bool try_lock_for(std::chrono::milliseconds timeout, Wait wait = Wait::kAll);
  void unlock();

 private:
  static constexpr uintptr_t kBusy = 1;
  struct alignas(64) Seat {
    std::atomic<uintptr_t> word{0};  // parked pointer | kBusy
  };
  // REQUIRES: mu_ held.
  bool drained() const;
  bool registered(std::thread::id id) const;

  std::array<Seat, kSeats> seats_{};
  alignas(64) std::atomic<int64_t> active_{0};
  std::atomic<bool> closing_{false};
  std::atomic<bool> pins_wanted_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool exclusive_held_ = false;  // guarded by mu_
  bool wait_pins_ = false;       // guarded by mu_: the exclusive side waits for pins
  int64_t pins_ = 0;             // guarded by mu_
  std::vector<std::pair<std::thread::id, int64_t>> pin_owners_;  // guarded by mu_
};

// Holds the gate shared for a scope; release() ends it early.
class SharedGate {
 public:
  explicit SharedGate(MapGate& gate) : gate_(&gate) { gate_->lock_shared(); }
  ~SharedGate() { release(); }
  SharedGate(const SharedGate&) = delete;
  SharedGate& operator=(const SharedGate&) = delete;
  void release() {
    if (gate_ != nullptr) gate_->unlock_shared();
    gate_ = nullptr;
  }

 private:
  MapGate* gate_;
};

}  // namespace klay::kv::lmdb_detail
