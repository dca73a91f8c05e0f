#include "engine/state/state_object.h"

namespace klay::state {

Result<trie::SecureTrie*> StateObject::storage_trie(const trie::NodeReader* reader, const StateOptions& options) {
  if (!trie) {
    const trie::NodeKey root = storage_root_key(account.storage_root);
    auto t = trie::SecureTrie::open(reader, root.view(), storage_trie_options(options, account.type));
    if (!t) return t.status();
    trie = std::make_unique<trie::SecureTrie>(std::move(*t));
  }
  return trie.get();
}

Result<Hash> StateObject::committed_slot(const Hash& key, const trie::NodeReader* reader,
                                         const StateOptions& options) {
  if (auto it = origin.find(key); it != origin.end()) return it->second;
  Hash value;
  if (has_storage() && !(account.storage_root.hash() == empty_root() && !trie)) {
    auto t = storage_trie(reader, options);
    if (!t) return t.status();
    auto stored = (*t)->get(key.view());
    if (!stored) return stored.status();
    if (*stored) {
      auto v = decode_storage_value(**stored);
      if (!v) return Status::corruption("account " + address.hex() + ", slot " + key.hex() + ": " +
                                        v.status().message());
      value = *v;
    }
  }
  origin.emplace(key, value);
  return value;
}

Result<Hash> StateObject::slot(const Hash& key, const trie::NodeReader* reader, const StateOptions& options) {
  if (auto it = dirty.find(key); it != dirty.end()) return it->second;
  return committed_slot(key, reader, options);
}

Status StateObject::flush_storage(const trie::NodeReader* reader, const StateOptions& options) {
  if (dirty.empty()) return Status::ok();
  auto t = storage_trie(reader, options);
  if (!t) return t.status();
  for (auto it = dirty.begin(); it != dirty.end(); it = dirty.erase(it)) {
    const auto& [key, value] = *it;
    auto o = origin.find(key);
    if (o != origin.end() && o->second == value) continue;
    const Bytes encoded = encode_storage_value(value);
    Status s = encoded.empty() ? (*t)->erase(key.view()) : (*t)->put(key.view(), encoded);
    if (!s) return s;
    origin.insert_or_assign(key, value);
    storage_changed = true;
  }
  return Status::ok();
}

}  // namespace klay::state
