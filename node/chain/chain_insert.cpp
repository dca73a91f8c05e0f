// BlockChain: verification, execution and writing of new blocks.
#include <spdlog/spdlog.h>
#include <tbb/task_group.h>

#include "engine/klaytn/istanbul_extra.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/chain_batch.h"
#include "engine/rawdb/schema.h"
#include "node/chain/base_fee.h"
#include "node/chain/block_checks.h"
#include "node/chain/blockchain.h"
#include "node/chain/seal.h"
#include "node/execution/block_processor.h"

namespace klay::chain {

namespace {

Status prefixed(const Status& s, const std::string& prefix) {
  // Keep the code (NotFound for missing state, InvalidArgument for bad blocks).
  switch (s.code()) {
    case Status::Code::kNotFound: return Status::not_found(prefix + s.message());
    case Status::Code::kCorruption: return Status::corruption(prefix + s.message());
    case Status::Code::kIOError: return Status::io_error(prefix + s.message());
    case Status::Code::kNotSupported: return Status::not_supported(prefix + s.message());
    case Status::Code::kNoSpace: return Status::no_space(prefix + s.message());
    default: return Status::invalid_argument(prefix + s.message());
  }
}

}  // namespace

Status BlockChain::check_known_or_extends(const Block& block, const Hash& hash, bool* known) const {
  *known = false;
  const uint64_t num = block.header.number;
  const std::string label = block_label(num, hash);
  // Only the inserting thread moves the head, so head_ is stable here.
  if (num <= head_.number) {
    auto canon = rawdb::read_canonical_hash(dbm_, num);
    if (!canon) return canon.status();
    if (*canon == hash) {
      *known = true;
      return Status::ok();
    }
    return Status::invalid_argument(label + ": side chains are not supported (canonical block " + std::to_string(num) +
                                    " is " + canon->hex() + ")");
  }
  if (num > head_.number + 1)
    return Status::invalid_argument(label + ": unknown parent " + block.header.parent_hash.hex() + " (the head is block " +
                                    std::to_string(head_.number) + ")");
  if (block.header.parent_hash != head_.hash)
    return Status::invalid_argument(label + ": side chains are not supported (parent " +
                                    block.header.parent_hash.hex() + " is not the head " + head_.hash.hex() + ")");
  return Status::ok();
}

Result<BlockChain::Executed> BlockChain::execute(const Block& block, const Hash& hash, const Header& parent,
                                                 const Hash& parent_hash, bool verify, Senders* senders) {
  const Header& h = block.header;
  const std::string label = block_label(h.number, hash) + ": ";
  if (Status s = check_parent_link(h, hash, parent, parent_hash); !s) return s;
  if (Status s = check_base_fee(config_, h, hash, parent); !s) return s;
  std::optional<Address> proposer;
  if (verify) {
    auto p = verify_seal(h, validators_);  // its errors name the block
    if (!p) return p.status();
    proposer = *p;
  } else if (auto ist = decode_istanbul_extra(h.extra)) {
    if (auto p = recover_seal_signer(proposer_seal_digest(h), ist->seal)) proposer = *p;
  }
  if (Status s = check_tx_root(block, hash, derive_sha_); !s) return s;

  Senders own = senders ? Senders(Status::aborted("moved")) : execution::recover_senders(block.transactions, chain_id());
  Senders& recovered = senders ? *senders : own;
  if (!recovered) return prefixed(recovered.status(), label);

  auto st = state::StateDB::open(nodes_.get(), disk_codes_, parent.root.view(), state_options_);
  if (!st) return prefixed(st.status(), label + "parent state: ");

  execution::BlockEnv env;
  env.block_num = h.number;
  env.time = h.time;
  env.rewardbase = h.rewardbase;
  env.base_fee = h.base_fee;
  env.config = &config_;
  env.proposer = proposer;
  auto result = execution::process_block(*st, env, block.transactions, *recovered);
  if (!result) return prefixed(result.status(), label);

  Executed ex;
  ex.txn_hashes.reserve(block.transactions.size());
  for (size_t i = 0; i < block.transactions.size(); ++i) {
    // apply_transaction already hashed each transaction into its receipt.
    const Hash& h = result->receipts[i].tx_hash;
    ex.txn_hashes.push_back(h.is_zero() ? tx_hash(block.transactions[i]) : h);
  }
  if (Status s = check_execution(h, hash, result->gas_used, result->receipts, derive_sha_); !s) return s;
  auto root = st->intermediate_root();
  if (!root) return prefixed(root.status(), label);
  if (Status s = check_state_root(h, hash, *root); !s) return s;

  auto commit = st->commit(*nodes_, *sink_);
  if (!commit) return prefixed(commit.status(), label + "state commit: ");
  if (commit->codes_written > 0) {
    // Code is read from disk by later blocks: make it durable now.
    if (Status s = sink_->flush(); !s) return prefixed(s, label + "writing contract code: ");
  }
  ex.receipts = std::move(result->receipts);
  fill_receipt_context(ex.receipts, ex.txn_hashes, h.number, hash);
  ex.commit = std::move(*commit);
  return ex;
}

Status BlockChain::insert_locked(const Block& block, const Hash& hash, InsertStats& stats, Senders* senders) {
  if (closed_) return Status::aborted("the chain is closed");
  bool known = false;
  if (Status s = check_known_or_extends(block, hash, &known); !s) return s;
  if (known) {
    ++stats.skipped;
    return Status::ok();
  }
  const Header& h = block.header;
  auto ex = execute(block, hash, head_.header, head_.hash, options_.verify_seals, senders);
  if (!ex) return ex.status();

  bool on_disk = false;
  size_t flushed = 0;
  if (Status s = after_state_commit(h.number, ex->commit, &on_disk, &flushed); !s)
    return prefixed(s, block_label(h.number, hash) + ": writing state: ");

  const uint256 score = head_score_ + h.block_score;
  rawdb::ChainBatch batch(dbm_);
  Status s = rawdb::write_header(batch, h, hash);
  if (s) s = rawdb::write_body(batch, h.number, hash, Body{block.transactions});
  if (s) s = rawdb::write_receipts(batch, h.number, hash, ex->receipts);
  for (size_t i = 0; s && i < ex->txn_hashes.size(); ++i)
    s = rawdb::write_tx_lookup(batch, ex->txn_hashes[i], rawdb::TxLookupEntry{hash, h.number, i});
  if (s) s = rawdb::write_canonical_hash(batch, h.number, hash);
  if (s) s = rawdb::write_total_score(batch, h.number, hash, score);
  if (s && options_.on_block_batch) {
    std::vector<trie::NodeKey> scratch;
    s = options_.on_block_batch(h.number, obsolete_on_disk(ex->commit, scratch), batch);
  }
  if (s && on_disk) s = batch.put_head(as_view(rawdb::kStateBlockKey), hash.view());
  if (s) s = rawdb::write_head(batch, rawdb::Head::kHeader, hash);
  if (s) s = rawdb::write_head(batch, rawdb::Head::kBlock, hash);
  if (s) s = rawdb::write_head(batch, rawdb::Head::kFastBlock, hash);
  if (s) s = batch.commit();
  if (!s) return prefixed(s, block_label(h.number, hash) + ": writing block: ");

  {
    std::unique_lock lock(head_mu_);
    head_ = ChainHead{h.number, hash, h};
    head_score_ = score;
  }
  if (on_disk) {
    state_block_.store(h.number);
    report_state_commit(h.number, hash, h.root, flushed, false);
  }
  if (options_.on_block_inserted)
    options_.on_block_inserted(BlockInsertedEvent{block, hash, ex->receipts, ex->commit});
  ++stats.inserted;
  stats.txns += block.transactions.size();
  return Status::ok();
}

Status BlockChain::insert_block(const Block& block) {
  std::lock_guard lock(insert_mu_);
  InsertStats stats;
  return insert_locked(block, header_hash(block.header), stats);
}

Result<InsertStats> BlockChain::insert_blocks(std::span<const Block> blocks) {
  std::lock_guard lock(insert_mu_);
  InsertStats stats;
  if (blocks.empty()) return stats;
  // Sender recovery of block i+1 (parallel, CPU-bound) overlaps the execution
  // and writes of block i.
  const uint256 id = chain_id();
  auto recover = [&](size_t i) { return execution::recover_senders(blocks[i].transactions, id); };
  Senders current = recover(0);
  Senders next(Status::aborted("not recovered"));
  tbb::task_group ahead;
  Status failed;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (i + 1 < blocks.size()) ahead.run([&, i] { next = recover(i + 1); });
    failed = insert_locked(blocks[i], header_hash(blocks[i].header), stats, &current);
    ahead.wait();
    if (!failed) break;
    current = std::move(next);
    next = Senders(Status::aborted("not recovered"));
  }
  if (!failed) return failed;
  return stats;
}

}  // namespace klay::chain
