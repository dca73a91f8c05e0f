#include "bench/kbench/gen/transfer_blocks.h"

#include <memory>

#include "engine/chaindata/db_manager.h"
#include "engine/core/keccak.h"
#include "engine/core/secp256k1.h"
#include "engine/klaytn/istanbul_extra.h"
#include "engine/rawdb/genesis_commit.h"
#include "node/chain/blockchain.h"
#include "node/chain/pending_source.h"
#include "node/chain/producer.h"

namespace klay::kbench::gen {

namespace {

constexpr uint64_t kChainId = 2019;
constexpr uint64_t kUnitPrice = 25000000000ULL;

PrivateKey key_of(const std::string& seed) { return *PrivateKey::from_bytes(keccak256(as_view(seed)).view()); }

std::string genesis_json(const Address& validator, const std::vector<PrivateKey>& senders) {
  IstanbulExtra ist;
  ist.validators = {validator};
  std::string alloc;
  for (const auto& k : senders) {
    if (!alloc.empty()) alloc += ",";
    alloc += "\"" + k.address().hex() + "\":{\"balance\":\"0x33b2e3c9fd0803ce8000000\"}";
  }
  return "{\"config\":{\"chainId\":" + std::to_string(kChainId) + ",\"deriveShaImpl\":2,\"unitPrice\":" +
         std::to_string(kUnitPrice) + ",\"istanbul\":{\"epoch\":604800,\"policy\":0,\"sub\":1}}," +
         "\"timestamp\":\"0x60000000\",\"blockScore\":\"0x1\",\"extraData\":\"0x" +
         to_hex(make_header_extra(Bytes(32, 0), ist)) + "\",\"alloc\":{" + alloc + "}}";
}

Transaction transfer(const PrivateKey& key, uint64_t nonce, const Address& to, bool klaytn_type) {
  Transaction t;
  t.type = klaytn_type ? TxType::kValueTransfer : TxType::kLegacy;
  t.nonce = nonce;
  t.gas_price = uint256(kUnitPrice);
  t.gas = 21000;
  t.to = to;
  t.value = uint256(1 + nonce);
  if (klaytn_type) t.from = key.address();
  const Signature sig = key.sign(signing_hash(t, uint256(kChainId)));
  t.signatures = {TxSignature{eip155_v(sig.recid, uint256(kChainId)), sig.r, sig.s}};
  return t;
}

// Hands the producer exactly the next block's transactions.
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
