#include "bench/kbench/workload.h"

namespace klay::kbench {

const std::vector<Workload>& all_workloads() {
  static const std::vector<Workload> list = {
      {"kv-fill", "100 KiB batches into an empty database, keys in sequential then random order", 500000, "keys", true,
       run_kv_fill},
      {"kv-read", "random point reads after a fill: present keys, then absent keys inside the key range", 500000,
       "keys", true, run_kv_read},
      {"kv-iterate", "one ordered scan of every key after a fill", 500000, "keys", true, run_kv_iterate},
      {"trie-commit", "accounts and contract storage committed block by block through StateDB over a DBManager",
       100000, "accounts", true, run_trie_commit},
      {"import", "pre-signed value-transfer blocks inserted through BlockChain::insert_blocks", 20000, "txns", true,
       run_import},
      {"migrate", "offline state-trie migration of a generated chaindata (migration/)", 50000, "accounts", false,
       run_migrate},
      {"prune", "offline pruning of a generated chaindata (pruning/)", 50000, "accounts", false, run_prune},
      {"convert", "kchaindata convert of a generated chaindata into --db.type, against cp -a", 50000, "accounts", false,
       run_convert},
  };
  return list;
}

const Workload* find_workload(std::string_view name) {
  for (const Workload& w : all_workloads()) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

}  // namespace klay::kbench
