#include "bench/kbench/gen/transfer_blocks.h"

#include <memory>

#include "engine/chaindata/db_manager.h"
#include "engine/rawdb/genesis_commit.h"
#include "node/chain/bench_fixture.h"
#include "node/chain/blockchain.h"
#include "node/chain/pending_source.h"
#include "node/chain/producer.h"

namespace klay::kbench::gen {

namespace {

using chain::bench_fixture::genesis_json;
using chain::bench_fixture::key_of;
using chain::bench_fixture::transfer;

// Hands the producer exactly the next block's transactions; unlike the
// fixture's ListSource it records drops, so they become an error, not a throw.
class ListSource : public chain::PendingSource {
 public:
  std::vector<Transaction> next;
  std::vector<Hash> dropped;
  std::vector<Transaction> pending(size_t) override { return next; }
  void remove_included(const Block&) override { next.clear(); }
  void remove_invalid(const std::vector<Hash>& h) override { dropped.insert(dropped.end(), h.begin(), h.end()); }
};

}  // namespace

Result<TransferBlocks> build_transfer_blocks(const std::filesystem::path& scratch, uint64_t num_blocks,
                                             uint64_t txns_per_block) {
  TransferBlocks out;
  const PrivateKey validator = key_of("kbench-validator");
  std::vector<PrivateKey> senders;
  for (uint64_t i = 0; i < txns_per_block; ++i) senders.push_back(key_of("kbench-sender-" + std::to_string(i)));
  out.genesis_json = genesis_json(validator.address(), senders);

  chaindata::Config config;
  config.backend = kv::Backend::kMemory;
  auto dbm = chaindata::DBManager::open(scratch, config);
  if (!dbm) return dbm.status();
  if (auto s = rawdb::setup_genesis(**dbm, out.genesis_json); !s) return s.status();
  auto chain = chain::BlockChain::open(**dbm);
  if (!chain) return chain.status();
  ListSource source;
  chain::ProducerOptions po;
  po.max_txns = txns_per_block;
  auto clock = std::make_shared<uint64_t>(uint64_t{0x60000000} * 1000);
  po.now_ms = [clock] { return *clock += 1000; };
  auto producer = chain::BlockProducer::create(**chain, validator, &source, po);
  if (!producer) return producer.status();
  const Address to = key_of("kbench-recipient").address();
  for (uint64_t b = 0; b < num_blocks; ++b) {
    for (uint64_t i = 0; i < txns_per_block; ++i) source.next.push_back(transfer(senders[i], b, to, i % 2 == 1));
    auto block = (*producer)->produce_now();
    if (!block) return block.status();
    if (!source.dropped.empty()) {
      return Status::corruption("the producer dropped transaction " + source.dropped.front().hex());
    }
    out.txns += block->block.transactions.size();
    out.blocks.push_back(std::move(block->block));
  }
  producer->reset();
  if (Status s = (*chain)->close(); !s) return s;
  chain->reset();
  if (Status s = (*dbm)->close(); !s) return s;
  return out;
}

}  // namespace klay::kbench::gen
