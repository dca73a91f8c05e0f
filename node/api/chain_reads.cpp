#include "node/api/chain_reads.h"

#include "node/execution/block_processor.h"

namespace klay::api {

using rpc::RpcError;
using rpc::RpcExpected;

namespace {

RpcError server(const Status& s) { return RpcError::server(s.message()); }

}  // namespace

RpcExpected<uint64_t> resolve_block_num(const chain::BlockChain& chain, const rpc::BlockSelector& sel) {
  const uint64_t head = chain.head().number;
  if (sel.tag) {
    switch (sel.tag->kind) {
      case rpc::BlockTag::Kind::kLatest:
      case rpc::BlockTag::Kind::kPending: return head;
      case rpc::BlockTag::Kind::kEarliest: return uint64_t{0};
      case rpc::BlockTag::Kind::kNumber:
        if (sel.tag->block_num > head) return RpcError::server("header not found");
        return sel.tag->block_num;
    }
  }
  auto header = chain.header_by_hash(*sel.block_hash);
  if (!header) {
    if (header.status().is_not_found()) return RpcError::server("header not found");
    return server(header.status());
  }
  auto canonical = chain.canonical_hash(header->number);
  const bool is_canonical = canonical && *canonical == *sel.block_hash;
  if (!is_canonical) {
    if (sel.require_canonical) return RpcError::server("hash is not currently canonical");
    // This node keeps no side chains, so a known header is canonical unless
    // it is past a restarted head; treat that as unknown.
    return RpcError::server("header not found");
  }
  return header->number;
}

RpcExpected<state::StateReader> state_at(const chain::BlockChain& chain, const StateGuard& guard,
                                         const rpc::BlockSelector& sel) {
  auto num = resolve_block_num(chain, sel);
  if (!num) return num.error();
  if (guard) {
    if (Status s = guard(num.value()); !s) return server(s);
  }
  auto reader = chain.state_reader_at(num.value());
  if (!reader) return server(reader.status());
  return std::move(*reader);
}

RpcExpected<std::shared_ptr<const CachedBlock>> BlockCache::get(const chain::BlockChain& chain, const Hash& hash) {
  {
    std::lock_guard lock(mu_);
    if (auto it = index_.find(hash); it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->second;
    }
  }
  auto block = chain.block_by_hash(hash);
  if (!block) return server(block.status());
  auto receipts = chain.receipts_by_hash(hash);
  if (!receipts) return server(receipts.status());
  if (receipts->size() != block->transactions.size())
    return RpcError::server("receipts of block " + hash.hex() + " do not match its transactions");
  auto senders = block_senders(chain, *block);
  if (!senders) return senders.error();
  auto entry = std::make_shared<CachedBlock>();
  entry->block = std::move(*block);
  entry->hash = hash;
  entry->receipts = std::move(*receipts);
  entry->senders = std::move(senders).value();
  std::lock_guard lock(mu_);
  if (index_.find(hash) == index_.end()) {
    lru_.emplace_front(hash, entry);
    index_[hash] = lru_.begin();
    while (lru_.size() > capacity_) {
      index_.erase(lru_.back().first);
      lru_.pop_back();
    }
  }
  return std::shared_ptr<const CachedBlock>(std::move(entry));
}

RpcExpected<std::optional<MinedTx>> find_mined_tx(const chain::BlockChain& chain, BlockCache& cache,
                                                  const Hash& txn_hash) {
  auto entry = chain.tx_lookup(txn_hash);
  if (!entry) {
    if (entry.status().is_not_found()) return std::optional<MinedTx>();
    return server(entry.status());
  }
  // Only blocks the head covers count: a block written but not yet made the
  // head (or left past the head by a crash) is not part of the chain.
  if (entry->block_num > chain.head().number) return std::optional<MinedTx>();
  auto canonical = chain.canonical_hash(entry->block_num);
  if (!canonical || *canonical != entry->block_hash) return std::optional<MinedTx>();
  auto block = cache.get(chain, entry->block_hash);
  if (!block) return block.error();
  const auto& txs = block.value()->block.transactions;
  if (entry->index >= txs.size() || tx_hash(txs[entry->index]) != txn_hash)
    return RpcError::server("tx lookup entry of " + txn_hash.hex() + " does not match its block");
  return std::optional<MinedTx>(MinedTx{block.value(), entry->index});
}

RpcExpected<std::vector<Address>> block_senders(const chain::BlockChain& chain, const Block& block) {
  auto senders = execution::recover_sender_addresses(block.transactions, chain.chain_id());
  if (!senders) return server(senders.status());
  return std::move(*senders);
}

RpcExpected<Address> txn_sender(const chain::BlockChain& chain, const Transaction& tx) {
  auto sender = tx_sender(tx, chain.chain_id());
  if (!sender) return server(sender.status());
  return *sender;
}

RpcExpected<std::optional<Block>> canonical_block(const chain::BlockChain& chain, uint64_t block_num) {
  if (block_num > chain.head().number) return std::optional<Block>();
  auto block = chain.block_by_number(block_num);
  if (!block) {
    if (block.status().is_not_found()) return std::optional<Block>();
    return server(block.status());
  }
  return std::optional<Block>(std::move(*block));
}

}  // namespace klay::api
