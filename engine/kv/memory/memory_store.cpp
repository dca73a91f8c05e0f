#include "engine/kv/memory/memory_store.h"

#include <mutex>
#include <set>

namespace klay::kv::memory {

Map& MemoryStore::writable_map() {
  // New snapshots are only taken under the shared lock, which we exclude, so
  // the count can only fall while we look.
  if (current_->snapshots.load(std::memory_order_acquire) > 0) {
    current_ = std::make_shared<Version>(current_->map);
  }
  return current_->map;
}

void MemoryStore::put(ByteView key, ByteView value) {
  Map& m = writable_map();
  auto it = m.find(key);
  if (it == m.end()) {
    m.emplace(to_bytes(key), to_bytes(value));
    payload_bytes_ += key.size() + value.size();
  } else {
    payload_bytes_ = payload_bytes_ - it->second.size() + value.size();
    it->second.assign(value.begin(), value.end());
  }
}

void MemoryStore::del(ByteView key) {
  // Look first so deleting an absent key never forces a copy-on-write.
  auto it = current_->map.find(key);
  if (it == current_->map.end()) return;
  Map& m = writable_map();
  it = m.find(key);
  payload_bytes_ -= it->first.size() + it->second.size();
  m.erase(it);
}

namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, std::shared_ptr<MemoryStore>> stores;
  std::set<std::string> open;
};

Registry& registry() {
  static Registry* r = new Registry();  // never destroyed: handles may outlive static teardown
  return *r;
}

}  // namespace

Result<std::shared_ptr<MemoryStore>> acquire_store(const std::string& name, bool create) {
  if (name.empty()) return std::make_shared<MemoryStore>(name);
  Registry& r = registry();
  std::lock_guard lock(r.mu);
  if (r.open.count(name)) {
    return Status::busy("the memory database \"" + name + "\" is already open in this process");
  }
  auto it = r.stores.find(name);
  if (it == r.stores.end()) {
    if (!create) {
      return Status::not_found("no memory database named \"" + name +
                               "\" exists in this process (create_if_missing is off)");
    }
    it = r.stores.emplace(name, std::make_shared<MemoryStore>(name)).first;
  }
  r.open.insert(name);
  return it->second;
}

void release_store(const std::shared_ptr<MemoryStore>& store) {
  if (!store || store->name().empty()) return;
  Registry& r = registry();
  std::lock_guard lock(r.mu);
  r.open.erase(store->name());
}

}  // namespace klay::kv::memory
