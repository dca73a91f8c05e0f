#include "node/api/node_metrics.h"

#include <set>

#include "engine/chaindata/entry_type.h"

namespace klay::api {

NodeMetrics::NodeMetrics(rpc::MetricsRegistry& registry)
    : registry_(registry),
      head_(registry.gauge("klay_chain_head_block", "Number of the head block")),
      blocks_(registry.counter("klay_chain_blocks_inserted_total", "Blocks inserted since the node started")),
      txs_(registry.counter("klay_chain_txs_total", "Transactions in blocks inserted since the node started")) {}

NodeMetrics::~NodeMetrics() { stop(); }

void NodeMetrics::on_block_inserted(const chain::BlockInsertedEvent& ev) {
  head_.set(static_cast<double>(ev.block.header.number));
  blocks_.inc();
  txs_.inc(ev.block.transactions.size());
}

void NodeMetrics::start(const chain::BlockChain& chain, const txpool::TxPool& pool, chaindata::DBManager& dbm,
                        std::chrono::milliseconds interval) {
  chain_ = &chain;
  pool_ = &pool;
  dbm_ = &dbm;
  refresh();
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      refresh();
      lock.lock();
    }
  });
}

void NodeMetrics::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void NodeMetrics::refresh() {
  if (!chain_) return;
  head_.set(static_cast<double>(chain_->head().number));

  const trie::NodeDatabaseStats t = chain_->trie_stats();
  registry_.gauge("klay_trie_dirty_nodes", "Dirty trie nodes held in memory").set(static_cast<double>(t.dirty_nodes));
  registry_.gauge("klay_trie_dirty_bytes", "Bytes of dirty trie nodes held in memory").set(static_cast<double>(t.dirty_bytes));
  registry_.gauge("klay_trie_clean_nodes", "Trie nodes in the clean cache").set(static_cast<double>(t.clean_nodes));
  registry_.gauge("klay_trie_clean_bytes", "Bytes in the clean trie node cache").set(static_cast<double>(t.clean_bytes));
  registry_.gauge("klay_trie_clean_hits_total", "Clean cache hits").set(static_cast<double>(t.clean_hits));
  registry_.gauge("klay_trie_clean_misses_total", "Trie node reads that went to disk").set(static_cast<double>(t.clean_misses));
  registry_.gauge("klay_trie_flushed_nodes_total", "Trie nodes written to disk").set(static_cast<double>(t.flushed_nodes));

  const txpool::PoolStats p = pool_->stats();
  registry_.gauge("klay_txpool_pending", "Executable transactions in the pool").set(static_cast<double>(p.pending));
  registry_.gauge("klay_txpool_queued", "Transactions waiting for a nonce gap").set(static_cast<double>(p.queued));
  registry_.gauge("klay_txpool_slots", "32 KiB slots in use").set(static_cast<double>(p.slots));
  registry_.gauge("klay_txpool_senders", "Accounts with transactions in the pool").set(static_cast<double>(p.senders));

  // In single-DB mode every entry type shares one database: report it once.
  std::set<const kv::Database*> seen;
  for (chaindata::EntryType type : chaindata::kAllEntryTypes) {
    kv::Database* db = dbm_->find(type);
    if (!db || !seen.insert(db).second) continue;
    auto st = db->stats();
    if (!st) continue;
    const rpc::Labels labels = {{"entry", std::string(chaindata::entry_type_name(type))}};
    registry_.gauge("klay_db_disk_bytes", "On-disk bytes of each chaindata database", labels)
        .set(static_cast<double>(st->disk_bytes));
    registry_.gauge("klay_db_keys", "Approximate keys of each chaindata database", labels)
        .set(static_cast<double>(st->estimated_keys));
  }
}

}  // namespace klay::api
