// MapGate: keeps LMDB's memory map still while anyone is reading through it.
//
// LMDB moves its memory map when the map is resized (mdb_env_set_mapsize),
// so every pointer into the map must be dead by then. Each call that touches
// the map holds the gate shared for the duration of that call only; a resize
// holds it exclusively. Unlike std::shared_mutex, the gate prefers the
// exclusive side: once a resize is waiting, new shared entries block until it
// is done, so a steady stream of readers cannot starve map growth, and the
// exclusive side can give up after a timeout instead of deadlocking.
//
// Threading: all methods are thread-safe. Shared entries may nest on one
// thread, but a thread that holds the gate shared must not wait for the
// exclusive side (it would wait for itself until the timeout).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace klay::kv::lmdb_detail {

class MapGate {
 public:
  void lock_shared();
  void unlock_shared();
  // Blocks new shared entries and waits until none remain. Returns false
  // (and reopens the gate) if that did not happen within `timeout`.
  bool try_lock_for(std::chrono::milliseconds timeout);
  void unlock();

 private:
  std::atomic<int64_t> active_{0};
  std::atomic<bool> closing_{false};
  std::mutex mu_;
  bool exclusive_held_ = false;  // guarded by mu_
  std::condition_variable cv_;
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
