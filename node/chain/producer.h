// BlockProducer: the `--dev` block producer of a single-validator chain.
//
// Each block (every `period`, or on produce_now()):
//   1. takes up to max_txns pending transactions from the PendingSource;
//   2. applies them one by one (execution::apply_transaction) on a StateDB at
//      the head, dropping every transaction that cannot be included (bad
//      signature, nonce, funds, key, EVM types) with a log line;
//   3. pays the block reward, computes the state, transaction and receipts
//      roots and the bloom;
//   4. builds the header: parent = head, number + 1, rewardbase = the
//      validator's address, time = max(clock, parent time) with TimeFoS the
//      clock's hundredths of a second, blockScore 1, Istanbul extra listing
//      the chain's validators; seals it with the validator key (seal.h);
//   5. inserts it with BlockChain::insert_block, so produced and imported
//      blocks take the same path (the block is executed again there).
// Base fee: from Magma on the header carries the KIP-71 base fee computed from
// the parent (base_fee.h).
//
// Threading: produce_now() may be called from any thread; calls are
// serialised with each other and with the background loop (start/stop).
// Ownership: borrows the chain and the source (must outlive the producer).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/core/secp256k1.h"
#include "engine/core/status.h"
#include "engine/klaytn/block.h"
#include "node/chain/blockchain.h"
#include "node/chain/pending_source.h"

namespace klay::chain {

struct ProducerOptions {
  // Time between blocks of the background loop. Default: 1 s.
  std::chrono::milliseconds period{1000};
  // Most transactions taken from the source per block. Default: 10000.
  size_t max_txns = 10000;
  // Produce blocks without transactions. Default: true.
  bool empty_blocks = true;
  // The clock, in Unix milliseconds. Default: the system clock.
  std::function<uint64_t()> now_ms;
};

struct ProducedBlock {
  Block block;
  Hash hash;
  size_t dropped = 0;  // pending transactions left out as non-includable
};

class BlockProducer {
 public:
  // InvalidArgument when the key's address is not one of the chain's validators.
  static Result<std::unique_ptr<BlockProducer>> create(BlockChain& chain, const PrivateKey& validator_key,
                                                       PendingSource* source, ProducerOptions options = {});
  ~BlockProducer();  // stop()
  BlockProducer(const BlockProducer&) = delete;
  BlockProducer& operator=(const BlockProducer&) = delete;

  // Builds, seals and inserts one block on the current head. With
  // empty_blocks false and nothing includable, NotFound "no transactions to include".
  Result<ProducedBlock> produce_now();

  // Starts the background loop (idempotent); stop() joins it.
  void start();
  void stop();

  uint64_t produced() const { return produced_.load(); }
  const Address& address() const { return address_; }

 private:
  BlockProducer(BlockChain& chain, const PrivateKey& key, PendingSource* source, ProducerOptions options);
  Result<ProducedBlock> build_locked();
  void loop();

  BlockChain& chain_;
  PrivateKey key_;
  Address address_;
  PendingSource* source_;
  ProducerOptions options_;

  std::mutex produce_mu_;
  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<uint64_t> produced_{0};
};

}  // namespace klay::chain
