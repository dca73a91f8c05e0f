// NodeMetrics: the node's Prometheus series, kept up to date on a
// background thread.
//
// Series (all in the given MetricsRegistry):
//   klay_chain_head_block                 gauge   head block number
//   klay_chain_blocks_inserted_total      counter blocks inserted since start
//   klay_chain_txs_total                  counter transactions in inserted blocks (rate() = txs/s)
//   klay_db_disk_bytes{entry="header"}    gauge   on-disk bytes per entry type's database
//   klay_db_keys{entry=...}               gauge   approximate keys per database
//   klay_trie_dirty_nodes / _bytes        gauge   NodeDatabase dirty set
//   klay_trie_clean_nodes / _bytes        gauge   NodeDatabase clean cache
//   klay_trie_clean_hits_total / _misses_total / klay_trie_flushed_nodes_total  gauges of the cumulative counts
//   klay_txpool_pending / _queued / _slots / _senders  gauge
// on_block_inserted() is meant for BlockChainOptions::on_block_inserted.
//
// Threading: on_block_inserted runs on the inserting thread; the refresh
// thread reads the chain, pool and databases through their thread-safe APIs.
// Ownership: borrows everything; stop() (or the destructor) before they go.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/chaindata/db_manager.h"
#include "node/chain/blockchain.h"
#include "node/rpc/metrics.h"
#include "node/txpool/tx_pool.h"

namespace klay::api {

class NodeMetrics {
 public:
  explicit NodeMetrics(rpc::MetricsRegistry& registry);
  ~NodeMetrics();
  NodeMetrics(const NodeMetrics&) = delete;
  NodeMetrics& operator=(const NodeMetrics&) = delete;

  void on_block_inserted(const chain::BlockInsertedEvent& ev);

  // Starts refreshing the gauges every `interval` (and once now).
  void start(const chain::BlockChain& chain, const txpool::TxPool& pool, chaindata::DBManager& dbm,
             std::chrono::milliseconds interval = std::chrono::seconds(5));
  void stop();
  // One refresh of every gauge (also what the thread does).
  void refresh();

 private:
  rpc::MetricsRegistry& registry_;
  rpc::Gauge& head_;
  rpc::Counter& blocks_;
  rpc::Counter& txs_;
  const chain::BlockChain* chain_ = nullptr;
  const txpool::TxPool* pool_ = nullptr;
  chaindata::DBManager* dbm_ = nullptr;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace klay::api
