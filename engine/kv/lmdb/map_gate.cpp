#include "engine/kv/lmdb/map_gate.h"

namespace klay::kv::lmdb_detail {

// The fast path is two sequentially consistent atomics: a reader announces
// itself in active_ and then looks at closing_, while the exclusive side sets
// closing_ and then looks at active_. One of the two always sees the other.
void MapGate::lock_shared() {
  for (;;) {
    active_.fetch_add(1);
    if (!closing_.load()) return;
    unlock_shared();
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return !closing_.load(); });
  }
}

void MapGate::unlock_shared() {
  if (active_.fetch_sub(1) == 1 && closing_.load()) {
    std::lock_guard lock(mu_);
    cv_.notify_all();
  }
}

bool MapGate::try_lock_for(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mu_);
  if (!cv_.wait_until(lock, deadline, [this] { return !exclusive_held_; })) return false;
  exclusive_held_ = true;
  closing_.store(true);
  if (cv_.wait_until(lock, deadline, [this] { return active_.load() == 0; })) return true;
  exclusive_held_ = false;
  closing_.store(false);
  cv_.notify_all();
  return false;
}

void MapGate::unlock() {
  std::lock_guard lock(mu_);
  exclusive_held_ = false;
  closing_.store(false);
  cv_.notify_all();
}

}  // namespace klay::kv::lmdb_detail
