#include "pruning/state_blocks.h"

#include <string>

#include "engine/rawdb/accessors_chain.h"
#include "pruning/live_pruning_rules.h"

namespace klay::pruning {

Result<Hash> state_root_at(const chaindata::DBManager& dbm, uint64_t block_num) {
  auto hash = rawdb::read_canonical_hash(dbm, block_num);
  if (!hash) return hash.status();
  auto header = rawdb::read_header(dbm, block_num, *hash);
  if (!header) return header.status();
  return header->root;
}

Result<bool> state_root_on_disk(kv::Database& state_trie, const Hash& root) {
  if (root == empty_root()) return true;
  return state_trie.has(root.view());
}

Result<uint64_t> newest_state_block(const chaindata::DBManager& dbm) {
  auto head = read_head_block_number(dbm);
  if (!head) return head.status();
  for (uint64_t n = *head;; --n) {
    auto root = state_root_at(dbm, n);
    if (!root) return root.status();
    auto present = state_root_on_disk(dbm.state_trie(), *root);
    if (!present) return present.status();
    if (*present) return n;
    if (n == 0) break;
  }
  return Status::not_found("no block from the head " + std::to_string(*head) +
                           " back to genesis has its state on disk");
}

Result<uint64_t> checked_state_block(const chaindata::DBManager& dbm, uint64_t block_num) {
  auto head = read_head_block_number(dbm);
  if (!head) return head.status();
  if (block_num > *head)
    return Status::not_found("block " + std::to_string(block_num) + " is past the head block " + std::to_string(*head));
  auto root = state_root_at(dbm, block_num);
  if (!root)
    return Status::not_found("block " + std::to_string(block_num) + " is unknown: " + root.status().message());
  auto present = state_root_on_disk(dbm.state_trie(), *root);
  if (!present) return present.status();
  if (!*present)
    return Status::not_found("the state of block " + std::to_string(block_num) + " (root " + root->hex() +
                             ") is not in the state trie");
  return block_num;
}

}  // namespace klay::pruning
