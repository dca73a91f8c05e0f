// The shared state behind memory databases, and the process-wide registry of
// named stores. Internal to engine/kv/memory.
//
// Readers and writers synchronise on the store's mutex. The ordered map is
// copy-on-write: an iterator holds a Snapshot of the version it started on, and
// a writer that finds a live snapshot of the current version copies the map
// before changing it, so a snapshot never changes under its iterator and costs
// nothing while no iterator is alive.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::kv::memory {

// Orders Bytes lexicographically and finds them by ByteView without a copy.
struct BytesLess {
  using is_transparent = void;
  bool operator()(ByteView a, ByteView b) const { return compare(a, b) < 0; }
  bool operator()(const Bytes& a, const Bytes& b) const { return compare(a, b) < 0; }
  bool operator()(const Bytes& a, ByteView b) const { return compare(a, b) < 0; }
  bool operator()(ByteView a, const Bytes& b) const { return compare(a, b) < 0; }
};

using Map = std::map<Bytes, Bytes, BytesLess>;

// One immutable-once-shared version of the map.
struct Version {
  Version() = default;
  explicit Version(const Map& m) : map(m) {}
  Map map;
  // Live Snapshots of this version; the writer copies while it is non-zero.
  std::atomic<int> snapshots{0};
};

// Keeps one version alive and unchanged for an iterator.
class Snapshot {
 public:
  explicit Snapshot(std::shared_ptr<Version> v) : v_(std::move(v)) {
    v_->snapshots.fetch_add(1, std::memory_order_relaxed);  // taken under the store's lock
  }
  ~Snapshot() {
    // Release: our reads of the map happen before a writer that sees zero mutates it.
    v_->snapshots.fetch_sub(1, std::memory_order_release);
  }
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  const Map& map() const { return v_->map; }

 private:
  std::shared_ptr<Version> v_;
};

class MemoryStore {
 public:
  explicit MemoryStore(std::string name) : name_(std::move(name)) {}

  const std::string& name() const { return name_; }
  std::shared_mutex& mutex() { return mu_; }

  // REQUIRES: mutex() held (shared is enough).
  const Map& map() const { return current_->map; }
  // REQUIRES: mutex() held shared.
  std::unique_ptr<Snapshot> snapshot() { return std::make_unique<Snapshot>(current_); }
  // Bytes of keys plus values held. REQUIRES: mutex() held.
  uint64_t payload_bytes() const { return payload_bytes_; }
  // REQUIRES: mutex() held exclusively.
  void put(ByteView key, ByteView value);
  void del(ByteView key);

 private:
  // The current version's map, copied first if a snapshot holds it.
  // REQUIRES: mutex() held exclusively.
  Map& writable_map();

  const std::string name_;
  std::shared_mutex mu_;
  std::shared_ptr<Version> current_ = std::make_shared<Version>();
  uint64_t payload_bytes_ = 0;
};

// Claims the store called `name` for one open handle: creates it if missing and
// `create` is set. Fails with Busy while another handle holds it, NotFound when
// missing and !create. An empty name gives a fresh private store each time.
Result<std::shared_ptr<MemoryStore>> acquire_store(const std::string& name, bool create);
// Gives the claim back so the name can be opened again; the data stays.
void release_store(const std::shared_ptr<MemoryStore>& store);

}  // namespace klay::kv::memory
