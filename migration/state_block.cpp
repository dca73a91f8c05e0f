#include "migration/state_block.h"

#include "engine/klaytn/header.h"
#include "engine/rawdb/accessors_chain.h"

namespace klay::migration {

namespace {
Result<bool> state_present(const chaindata::DBManager& dbm, const Hash& root) {
  if (root == empty_root()) return true;
  return dbm.state_trie().has(root.view());
}
}  // namespace

Result<StateBlock> find_latest_state_block(const chaindata::DBManager& dbm) {
  auto head = rawdb::read_head(dbm, rawdb::Head::kBlock);
  if (!head) {
    if (head.status().is_not_found()) return Status::not_found("the datadir has no head block (is it initialised?)");
    return head.status();
  }
  auto num = rawdb::read_header_number(dbm, *head);
  if (!num) return num.status();
  Hash hash = *head;
  uint64_t n = *num;
  for (;;) {
    auto header = rawdb::read_header(dbm, n, hash);
    if (!header) return header.status();
    auto present = state_present(dbm, header->root);
    if (!present) return present.status();
    if (*present) return StateBlock{n, hash, trie::NodeKey::plain(header->root)};
    if (n == 0) break;
    hash = header->parent_hash;
    --n;
  }
  return Status::not_found("no block from the head back to genesis has its state in the state trie");
}

Result<StateBlock> state_block_at(const chaindata::DBManager& dbm, uint64_t block_num) {
  auto hash = rawdb::read_canonical_hash(dbm, block_num);
  if (!hash) {
    if (hash.status().is_not_found()) return Status::not_found("block " + std::to_string(block_num) + " is unknown");
    return hash.status();
  }
  auto header = rawdb::read_header(dbm, block_num, *hash);
  if (!header) return header.status();
  auto present = state_present(dbm, header->root);
  if (!present) return present.status();
  if (!*present) {
    return Status::not_found("the state of block " + std::to_string(block_num) + " (root 0x" +
                             to_hex(header->root.view()) + ") is not in the state trie");
  }
  return StateBlock{block_num, *hash, trie::NodeKey::plain(header->root)};
}

}  // namespace klay::migration
