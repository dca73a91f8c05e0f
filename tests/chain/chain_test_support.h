// Helpers shared by the chain tests: a single-validator dev chain in a
// scratch datadir, signed value transfers, and a vector-backed PendingSource.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/keccak.h"
#include "engine/core/secp256k1.h"
#include "engine/klaytn/istanbul_extra.h"
#include "engine/klaytn/tx.h"
#include "engine/kv/options.h"
#include "engine/rawdb/genesis_commit.h"
#include "node/chain/blockchain.h"
#include "node/chain/pending_source.h"
#include "node/chain/producer.h"
#include "tests/support/chaindata_setup.h"
#include "tests/support/scratch_dir.h"

namespace klay::chain::testing {

inline constexpr uint64_t kChainId = 2019;
inline constexpr uint64_t kUnitPrice = 25000000000ULL;  // 25 gkei

using test_support::ScratchDir;

// A deterministic key: keccak256(seed) (never zero or >= n in practice).
inline PrivateKey key_from_seed(const std::string& seed) {
  auto k = PrivateKey::from_bytes(keccak256(as_view(seed)).view());
  if (!k) throw std::runtime_error("bad key seed");
  return *k;
}

// A genesis with `validator` as the only Istanbul validator (round-robin
// policy, so the reward goes to the rewardbase), chain id 2019, deriveShaImpl
// 2, unitPrice 25 gkei, and every address of `funded` holding `balance_hex`.
inline std::string dev_genesis_json(const Address& validator, const std::vector<Address>& funded,
                                    const std::string& balance_hex = "0x33b2e3c9fd0803ce8000000") {
  IstanbulExtra ist;
  ist.validators = {validator};
  const Bytes extra = make_header_extra(Bytes(32, 0), ist);
  std::string alloc;
  for (const Address& a : funded) {
    if (!alloc.empty()) alloc += ",";
    alloc += "\"" + a.hex() + "\": {\"balance\": \"" + balance_hex + "\"}";
  }
  return std::string("{\"config\": {\"chainId\": ") + std::to_string(kChainId) +
         ", \"deriveShaImpl\": 2, \"unitPrice\": " + std::to_string(kUnitPrice) +
         ", \"istanbul\": {\"epoch\": 604800, \"policy\": 0, \"sub\": 1}},"
         " \"timestamp\": \"0x60000000\", \"blockScore\": \"0x1\", \"extraData\": \"0x" + to_hex(extra) +
         "\", \"alloc\": {" + alloc + "}}";
}

inline std::unique_ptr<chaindata::DBManager> open_manager(const std::filesystem::path& dir, kv::Backend backend) {
  return test_support::open_manager(dir, test_support::small_config(backend));
}

// Opens (creating) a datadir and writes the genesis.
inline std::unique_ptr<chaindata::DBManager> init_datadir(const std::filesystem::path& dir, kv::Backend backend,
                                                          const std::string& genesis_json) {
  auto dbm = open_manager(dir, backend);
  auto setup = rawdb::setup_genesis(*dbm, genesis_json);
  if (!setup) throw std::runtime_error("setup_genesis: " + setup.status().message());
  return dbm;
}

inline std::unique_ptr<BlockChain> open_chain(const chaindata::DBManager& dbm, BlockChainOptions options = {}) {
  auto bc = BlockChain::open(dbm, std::move(options));
  if (!bc) throw std::runtime_error("BlockChain::open: " + bc.status().message());
  return std::move(*bc);
}

// A signed value transfer: legacy (EIP-155) or Klaytn TxTypeValueTransfer (0x08).
inline Transaction make_transfer(const PrivateKey& key, uint64_t nonce, const Address& to, uint64_t value,
                                 bool klaytn_type = false) {
  Transaction t;
  t.type = klaytn_type ? TxType::kValueTransfer : TxType::kLegacy;
  t.nonce = nonce;
  t.gas_price = uint256(kUnitPrice);
  t.gas = 21000;
  t.to = to;
  t.value = uint256(value);
  if (klaytn_type) t.from = key.address();
  const Signature sig = key.sign(signing_hash(t, uint256(kChainId)));
  t.signatures = {TxSignature{eip155_v(sig.recid, uint256(kChainId)), sig.r, sig.s}};
  return t;
}

// A PendingSource over a vector (the producer's view of a pool).
class VectorSource : public PendingSource {
 public:
  void add(Transaction t) { txns_.push_back(std::move(t)); }
  size_t size() const { return txns_.size(); }
  std::vector<Transaction> pending(size_t max) override {
    return std::vector<Transaction>(txns_.begin(), txns_.begin() + std::min(max, txns_.size()));
  }
  void remove_included(const Block& block) override {
    for (const Transaction& t : block.transactions) erase(tx_hash(t));
  }
  void remove_invalid(const std::vector<Hash>& hashes) override {
    invalid_ += hashes.size();
    for (const Hash& h : hashes) erase(h);
  }
  size_t invalid() const { return invalid_; }

 private:
  void erase(const Hash& h) {
    txns_.erase(std::remove_if(txns_.begin(), txns_.end(), [&](const Transaction& t) { return tx_hash(t) == h; }),
                txns_.end());
  }
  std::vector<Transaction> txns_;
  size_t invalid_ = 0;
};

// A test clock: starts at the genesis time and moves one second per call.
inline std::function<uint64_t()> stepping_clock(uint64_t start_s = 0x60000000) {
  auto t = std::make_shared<uint64_t>(start_s * 1000);
  return [t] { return *t += 1000; };
}

// A dev chain in a scratch datadir: validator key, a few funded senders.
struct DevChain {
  explicit DevChain(kv::Backend backend = kv::Backend::kLevelDB, BlockChainOptions options = {}) {
    for (int i = 0; i < 4; ++i) senders.push_back(key_from_seed("sender-" + std::to_string(i)));
    std::vector<Address> funded;
    for (const auto& k : senders) funded.push_back(k.address());
    genesis_json = dev_genesis_json(validator.address(), funded);
    dbm = init_datadir(dir.path(), backend, genesis_json);
    chain = open_chain(*dbm, std::move(options));
    ProducerOptions po;
    po.now_ms = stepping_clock();
    auto p = BlockProducer::create(*chain, validator, &source, po);
    if (!p) throw std::runtime_error("producer: " + p.status().message());
    producer = std::move(*p);
  }
  // Produces `blocks` blocks each holding `per_block` transfers from the senders (round robin).
  std::vector<Block> produce(size_t blocks, size_t per_block) {
    std::vector<Block> out;
    for (size_t b = 0; b < blocks; ++b) {
      for (size_t i = 0; i < per_block; ++i) {
        const size_t s = next_sender++ % senders.size();
        source.add(make_transfer(senders[s], nonces[s]++, recipient, 1000 + i, (i % 2) == 1));
      }
      auto produced = producer->produce_now();
      if (!produced) throw std::runtime_error("produce_now: " + produced.status().message());
      out.push_back(produced->block);
    }
    return out;
  }
  // Closes the producer and chain (flushing state), keeping the datadir.
  void close() {
    producer.reset();
    chain.reset();
    dbm.reset();
  }

  ScratchDir dir;
  PrivateKey validator = key_from_seed("validator");
  std::vector<PrivateKey> senders;
  std::vector<uint64_t> nonces = std::vector<uint64_t>(4, 0);
  size_t next_sender = 0;
  Address recipient = Address::from(keccak256(as_view("recipient")).view().subspan(12));
  std::string genesis_json;
  std::unique_ptr<chaindata::DBManager> dbm;
  std::unique_ptr<BlockChain> chain;
  VectorSource source;
  std::unique_ptr<BlockProducer> producer;
};

}  // namespace klay::chain::testing
