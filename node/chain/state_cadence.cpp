// BlockChain: the state commit cadence (gcmode, through CommitCadence), close(), and crash recovery.
#include <spdlog/spdlog.h>

#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/chain_batch.h"
#include "engine/rawdb/schema.h"
#include "node/chain/block_checks.h"
#include "node/chain/blockchain.h"

namespace klay::chain {

Status BlockChain::flush_root(const trie::NodeKey& root, size_t* nodes_flushed) {
  return cadence_->flush_root(root, nodes_flushed);
}

Status BlockChain::after_state_commit(uint64_t block_num, const state::StateCommit& commit, bool* on_disk,
                                      size_t* nodes_flushed) {
  return cadence_->after_commit(block_num, commit, on_disk, nodes_flushed);
}

std::span<const trie::NodeKey> BlockChain::obsolete_on_disk(const state::StateCommit& commit,
                                                            std::vector<trie::NodeKey>& scratch) const {
  // Archive mode: the cadence wrote the whole root, nothing obsolete is dirty.
  if (options_.gc_mode == GcMode::kArchive) return commit.obsolete;
  scratch.clear();
  scratch.reserve(commit.obsolete.size());
  nodes_->append_not_dirty(commit.obsolete, &scratch);
  return scratch;
}

Status BlockChain::write_state_marker(const Hash& block_hash) {
  rawdb::ChainBatch batch(dbm_);
  if (Status s = batch.put_head(as_view(rawdb::kStateBlockKey), block_hash.view()); !s) return s;
  return batch.commit();
}

void BlockChain::report_state_commit(uint64_t block_num, const Hash& hash, const Hash& root, size_t nodes,
                                     bool at_close) {
  if (!options_.on_state_commit) return;
  StateCommitEvent e;
  e.block_num = block_num;
  e.block_hash = hash;
  e.root = root;
  e.nodes_flushed = nodes;
  e.at_close = at_close;
  options_.on_state_commit(e);
}

Status BlockChain::close() {
  std::lock_guard lock(insert_mu_);
  if (closed_ || !nodes_) return Status::ok();
  closed_ = true;
  if (state_block_.load() == head_.number) return Status::ok();
  size_t flushed = 0;
  if (Status s = flush_root(trie::NodeKey::plain(head_.header.root), &flushed); !s)
    return Status::io_error("writing the head state on close: " + s.message());
  if (Status s = write_state_marker(head_.hash); !s)
    return Status::io_error("recording the head state on close: " + s.message());
  state_block_.store(head_.number);
  report_state_commit(head_.number, head_.hash, head_.header.root, flushed, true);
  return Status::ok();
}

Result<uint64_t> BlockChain::find_recovery_base(uint64_t head_num) const {
  uint64_t start = head_num;
  Bytes marker;
  Status ms = dbm_.db(chaindata::EntryType::kHeader).get(as_view(rawdb::kStateBlockKey), &marker);
  if (ms && marker.size() == Hash::kSize) {
    const Hash marked = Hash::from(marker);
    auto num = rawdb::read_header_number(dbm_, marked);
    if (num && *num <= head_num) {
      auto canon = rawdb::read_canonical_hash(dbm_, *num);
      if (canon && *canon == marked) start = *num;
    }
  } else if (!ms && !ms.is_not_found()) {
    return ms;
  }
  // Trust but verify: the root node must be on disk (a datadir written by
  // another node has no marker; then the newest such block is used).
  for (uint64_t n = start;; --n) {
    auto hash = rawdb::read_canonical_hash(dbm_, n);
    if (!hash) return hash.status();
    auto header = rawdb::read_header(dbm_, n, *hash);
    if (!header) return header.status();
    if (state::StateReader::open(disk_nodes_, nullptr, header->root.view())) return n;
    if (n == 0) break;
  }
  return Status::corruption("no block at or below the head " + std::to_string(head_num) + " has its state on disk");
}

Status BlockChain::recover() {
  std::lock_guard lock(insert_mu_);
  const uint64_t head_num = head_.number;
  auto base = find_recovery_base(head_num);
  if (!base) return Status(base.status());
  state_block_.store(*base);
  if (*base == head_num) return Status::ok();
  spdlog::warn("chain: the state of blocks {}..{} is not on disk (unclean shutdown); re-executing them", *base + 1,
               head_num);
  auto parent_hash = rawdb::read_canonical_hash(dbm_, *base);
  if (!parent_hash) return parent_hash.status();
  auto parent = rawdb::read_header(dbm_, *base, *parent_hash);
  if (!parent) return parent.status();
  Header parent_header = std::move(*parent);
  Hash parent_id = *parent_hash;
  for (uint64_t n = *base + 1; n <= head_num; ++n) {
    auto block = block_by_number(n);
    if (!block) return Status::corruption("crash recovery: cannot read block " + std::to_string(n) + ": " +
                                          block.status().message());
    const Hash hash = header_hash(block->header);
    // Seals were verified when the block was first inserted.
    auto ex = execute(*block, hash, parent_header, parent_id, false);
    if (!ex) return Status::corruption("crash recovery: re-executing " + ex.status().message());
    bool on_disk = false;
    size_t flushed = 0;
    if (Status s = after_state_commit(n, ex->commit, &on_disk, &flushed); !s)
      return Status::io_error("crash recovery: writing state: " + s.message());
    if (options_.on_block_batch) {
      // Re-executed blocks are filtered like inserted ones: their parents'
      // nodes are on disk (marked), nodes re-execution made are dirty (not).
      std::vector<trie::NodeKey> scratch;
      rawdb::ChainBatch batch(dbm_);
      Status s = options_.on_block_batch(n, obsolete_on_disk(ex->commit, scratch), batch);
      if (s) s = batch.commit();
      if (!s) return Status::io_error("crash recovery: block " + std::to_string(n) + " records: " + s.message());
    }
    if (on_disk) {
      if (Status s = write_state_marker(hash); !s) return s;
      state_block_.store(n);
      report_state_commit(n, hash, block->header.root, flushed, false);
    }
    parent_header = std::move(block->header);
    parent_id = hash;
    ++recovered_;
  }
  spdlog::info("chain: re-executed {} blocks; head {} restored", recovered_, head_num);
  return Status::ok();
}

}  // namespace klay::chain
