#include "pruning/reachable_marker.h"

#include <tbb/task_arena.h>

#include "engine/klaytn/account.h"
#include "engine/rawdb/trie_store.h"
#include "engine/state/code_store.h"
#include "engine/state/state_options.h"
#include "engine/trie/node_iterator.h"

namespace klay::pruning {

bool StorageRootSet::claim(const trie::NodeKey& key) {
  std::lock_guard lock(mu_);
  return keys_.insert(key).second;
}

void StorageRootSet::erase(const trie::NodeKey& key) {
  std::lock_guard lock(mu_);
  keys_.erase(key);
}

size_t StorageRootSet::size() const {
  std::lock_guard lock(mu_);
  return keys_.size();
}

Status mark_reachable(kv::Database& db, const trie::NodeKey& root, NodeBloom& filter, StorageRootSet& seen,
                      MarkCounters& counters, size_t threads) {
  rawdb::StateStoreReader reader(db);
  auto visit_storage = [&](const trie::NodeVisit& v) -> Status {
    if (!v.is_embedded()) {
      filter.insert(v.key);
      counters.nodes.fetch_add(1, std::memory_order_relaxed);
    }
    return Status::ok();
  };
  auto visit_account = [&](const trie::NodeVisit& v) -> Status {
    if (!v.is_embedded()) {
      filter.insert(v.key);
      counters.nodes.fetch_add(1, std::memory_order_relaxed);
    }
    if (!v.has_value) return Status::ok();
    auto account = decode_account(v.value);
    if (!account) return Status::corruption("account at 0x" + to_hex(v.value_key) + ": " + account.status().message());
    if (!account->is_program_account()) return Status::ok();
    if (account->code_hash != empty_code_hash()) {
      const Bytes code_key = state::code_db_key(account->code_hash);
      auto has = db.has(code_key);
      if (!has) return has.status();
      if (!*has) return Status::not_found("missing code 0x" + to_hex(account->code_hash.view()));
      filter.insert(code_key);
      counters.codes.fetch_add(1, std::memory_order_relaxed);
    }
    if (account->storage_root.hash() == empty_root()) return Status::ok();
    const trie::NodeKey key = state::storage_root_key(account->storage_root);
    if (!seen.claim(key)) return Status::ok();
    Status s = trie::walk_nodes(reader, key.view(), visit_storage);
    if (!s) seen.erase(key);
    return s;
  };
  const int n = threads == 0 ? tbb::task_arena::automatic : static_cast<int>(threads);
  tbb::task_arena arena(n);
  Status result;
  arena.execute([&] { result = trie::parallel_walk_nodes(reader, root.view(), visit_account); });
  return result;
}

}  // namespace klay::pruning
