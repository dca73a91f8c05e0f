#include "engine/state/code_store.h"

namespace klay::state {

Bytes code_db_key(const Hash& code_hash) {
  Bytes key;
  key.reserve(33);
  key.push_back('c');
  append(key, code_hash.view());
  return key;
}

Status MemoryCodeStore::get(const Hash& code_hash, Bytes* code) const {
  std::shared_lock lock(mu_);
  auto it = codes_.find(code_hash);
  if (it == codes_.end()) return Status::not_found("code " + code_hash.hex() + " not found");
  *code = it->second;
  return Status::ok();
}

Status MemoryCodeStore::put(const Hash& code_hash, ByteView code) {
  std::unique_lock lock(mu_);
  codes_.insert_or_assign(code_hash, to_bytes(code));
  return Status::ok();
}

void MemoryCodeStore::erase(const Hash& code_hash) {
  std::unique_lock lock(mu_);
  codes_.erase(code_hash);
}

size_t MemoryCodeStore::size() const {
  std::shared_lock lock(mu_);
  return codes_.size();
}

}  // namespace klay::state
