#include "engine/kv/lmdb/map_gate.h"

#include <algorithm>

namespace klay::kv::lmdb_detail {

// The shared fast path is two sequentially consistent atomics: a reader
// announces itself in active_ and then looks at closing_, while the exclusive
// side sets closing_ and then looks at active_. One of the two always sees
// the other. Seats follow the same pattern with their own word.
void MapGate::lock_shared() {
  const std::thread::id self = std::this_thread::get_id();
  for (;;) {
    active_.fetch_add(1);
    if (!closing_.load()) return;
    std::unique_lock lock(mu_);
    // A resize that waits for pins cannot start while this thread holds one.
    if (closing_.load() && wait_pins_ && registered(self)) return;
    if (active_.fetch_sub(1) == 1) cv_.notify_all();
    cv_.wait(lock, [&] { return !closing_.load() || (wait_pins_ && registered(self)); });
  }
}

void MapGate::unlock_shared() {
  if (active_.fetch_sub(1) == 1 && closing_.load()) {
    std::lock_guard lock(mu_);
    cv_.notify_all();
  }
}

void* MapGate::take_parked(size_t seat) {
  std::atomic<uintptr_t>& word = seats_[seat].word;
  for (;;) {
    uintptr_t v = word.load(std::memory_order_acquire);
    if ((v & kBusy) != 0) {
      std::this_thread::yield();
      continue;
    }
    if (word.compare_exchange_weak(v, 0, std::memory_order_acq_rel, std::memory_order_relaxed)) {
      return reinterpret_cast<void*>(v);
    }
  }
}

std::thread::id MapGate::pin() {
  const std::thread::id self = std::this_thread::get_id();
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !closing_.load() || (wait_pins_ && registered(self)); });
  ++pins_;
  auto it = std::find_if(pin_owners_.begin(), pin_owners_.end(), [&](const auto& p) { return p.first == self; });
  if (it == pin_owners_.end()) {
    pin_owners_.emplace_back(self, 1);
  } else {
    ++it->second;
  }
  return self;
}

void MapGate::unpin(std::thread::id owner) {
  std::lock_guard lock(mu_);
  --pins_;
  auto it = std::find_if(pin_owners_.begin(), pin_owners_.end(), [&](const auto& p) { return p.first == owner; });
  if (it != pin_owners_.end() && --it->second == 0) pin_owners_.erase(it);
  if (closing_.load()) cv_.notify_all();
}

bool MapGate::pinned_by_this_thread() {
  std::lock_guard lock(mu_);
  return registered(std::this_thread::get_id());
}

bool MapGate::registered(std::thread::id id) const {
  return std::any_of(pin_owners_.begin(), pin_owners_.end(), [&](const auto& p) { return p.first == id; });
}

bool MapGate::drained() const {
  if (active_.load() != 0) return false;
  if (wait_pins_ && pins_ != 0) return false;
  return std::none_of(seats_.begin(), seats_.end(), [](const Seat& s) { return (s.word.load() & kBusy) != 0; });
}

bool MapGate::try_lock_for(std::chrono::milliseconds timeout, Wait wait) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mu_);
  if (!cv_.wait_until(lock, deadline, [this] { return !exclusive_held_; })) return false;
  exclusive_held_ = true;
  wait_pins_ = wait == Wait::kAll;
  closing_.store(true);
  pins_wanted_.store(wait_pins_, std::memory_order_relaxed);
  // Seats are left with a plain store and notify nobody, so poll (with a
  // growing interval) between wake-ups from unpin and unlock_shared.
  auto poll = std::chrono::microseconds(20);
  while (!drained()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      exclusive_held_ = false;
      wait_pins_ = false;
      pins_wanted_.store(false, std::memory_order_relaxed);
      closing_.store(false);
      cv_.notify_all();
      return false;
    }
    cv_.wait_for(lock, poll);
    poll = std::min(poll * 2, std::chrono::microseconds(2000));
  }
  pins_wanted_.store(false, std::memory_order_relaxed);
  return true;
}

void MapGate::unlock() {
  std::lock_guard lock(mu_);
  exclusive_held_ = false;
  wait_pins_ = false;
  closing_.store(false);
  cv_.notify_all();
}

}  // namespace klay::kv::lmdb_detail
