#include "migration/state_verifier.h"

#include <tbb/task_arena.h>

#include "engine/klaytn/account.h"
#include "engine/rawdb/trie_store.h"
#include "engine/state/code_store.h"
#include "engine/state/state_options.h"
#include "engine/trie/node_iterator.h"

namespace klay::migration {

bool VerifiedSet::claim(const trie::NodeKey& key) {
  std::lock_guard lock(mu_);
  if (keys_.size() >= capacity_) return !keys_.contains(key);
  return keys_.insert(key).second;
}

void VerifiedSet::erase(const trie::NodeKey& key) {
  std::lock_guard lock(mu_);
  keys_.erase(key);
}

Status verify_state(kv::Database& db, const trie::NodeKey& root, VerifiedSet& seen, size_t threads,
                    const std::atomic<bool>& stop, VerifyStats* stats, std::atomic<uint64_t>* live_nodes) {
  rawdb::StateStoreReader reader(db);
  std::atomic<uint64_t> own_nodes{0}, tries{0}, codes{0};
  std::atomic<uint64_t>& nodes = live_nodes ? *live_nodes : own_nodes;
  const uint64_t nodes_before = nodes.load();
  const Status stopped = Status::aborted("state migration stopped");

  auto visit_storage = [&](const trie::NodeVisit& v) -> Status {
    if (stop.load(std::memory_order_relaxed)) return stopped;
    if (!v.is_embedded()) nodes.fetch_add(1, std::memory_order_relaxed);
    return Status::ok();
  };
  auto visit_account = [&](const trie::NodeVisit& v) -> Status {
    if (stop.load(std::memory_order_relaxed)) return stopped;
    if (!v.is_embedded()) nodes.fetch_add(1, std::memory_order_relaxed);
    if (v.kind != trie::NodeView::Kind::kLeaf) return Status::ok();
    auto account = decode_account(v.value);
    if (!account) return Status::corruption("account at " + to_hex(v.value_key) + ": " + account.status().message());
    if (!account->is_program_account()) return Status::ok();
    if (account->code_hash != empty_code_hash()) {
      auto has = db.has(state::code_db_key(account->code_hash));
      if (!has) return has.status();
      if (!*has) return Status::not_found("missing code 0x" + to_hex(account->code_hash.view()));
      codes.fetch_add(1, std::memory_order_relaxed);
    }
    if (account->storage_root.hash() == empty_root()) return Status::ok();
    const trie::NodeKey key = state::storage_root_key(account->storage_root);
    if (!seen.claim(key)) return Status::ok();
    tries.fetch_add(1, std::memory_order_relaxed);
    Status s = trie::walk_nodes(reader, key.view(), visit_storage);
    if (!s) seen.erase(key);
    return s;
  };

  const int n = threads == 0 ? tbb::task_arena::automatic : static_cast<int>(threads);
  tbb::task_arena arena(n);
  Status result;
  arena.execute([&] { result = trie::parallel_walk_nodes(reader, root.view(), visit_account); });
  if (stats) *stats = VerifyStats{nodes.load() - nodes_before, tries.load(), codes.load()};
  return result;
}

}  // namespace klay::migration
