#include "node/chain/txpool_source.h"

#include <spdlog/spdlog.h>

#include "node/chain/base_fee.h"

namespace klay::chain {

std::vector<Transaction> TxPoolSource::pending(size_t max) {
  std::vector<Transaction> out;
  for (const txpool::PooledTxRef& ref : pool_.pending(max)) out.push_back(ref->tx);
  return out;
}

Status TxPoolSource::reset_to_head() {
  const ChainHead head = chain_.head();
  auto reader = chain_.state_reader_at_root(head.header.root);
  if (!reader) return reader.status();
  txpool::PoolHead pool_head;
  pool_head.block_num = head.number;
  pool_head.next_base_fee = expected_base_fee(chain_.config(), head.header);
  pool_.reset(std::make_unique<txpool::StateReaderPoolState>(std::move(*reader)), pool_head);
  return Status::ok();
}

void TxPoolSource::remove_included(const Block& block) {
  pool_.remove_included(block.transactions);
  if (Status s = reset_to_head(); !s) spdlog::error("txpool: cannot move to the new head: {}", s.message());
}

void TxPoolSource::remove_invalid(const std::vector<Hash>& txn_hashes) {
  for (const Hash& h : txn_hashes) pool_.drop(h);
}

}  // namespace klay::chain
