#include "node/chain/producer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/klaytn/derive_sha.h"
#include "node/chain/base_fee.h"
#include "node/chain/block_checks.h"
#include "node/chain/seal.h"
#include "node/execution/block_processor.h"

namespace klay::chain {

namespace {

uint64_t system_now_ms() {
  using namespace std::chrono;
  return static_cast<uint64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace

BlockProducer::BlockProducer(BlockChain& chain, const PrivateKey& key, PendingSource* source, ProducerOptions options)
    : chain_(chain), key_(key), address_(key.address()), source_(source), options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = system_now_ms;
}

Result<std::unique_ptr<BlockProducer>> BlockProducer::create(BlockChain& chain, const PrivateKey& validator_key,
                                                             PendingSource* source, ProducerOptions options) {
  const Address addr = validator_key.address();
  const auto& vals = chain.validators();
  if (std::find(vals.begin(), vals.end(), addr) == vals.end())
    return Status::invalid_argument("the block producer key " + addr.hex() +
                                    " is not a validator of this chain (genesis Istanbul extra)");
  return std::unique_ptr<BlockProducer>(new BlockProducer(chain, validator_key, source, std::move(options)));
}

BlockProducer::~BlockProducer() { stop(); }

Result<ProducedBlock> BlockProducer::produce_now() {
  std::lock_guard lock(produce_mu_);
  return build_locked();
}

Result<ProducedBlock> BlockProducer::build_locked() {
  const ChainHead head = chain_.head();
  const ChainConfig& config = chain_.config();
  const uint64_t now_ms = options_.now_ms();

  Header h;
  h.parent_hash = head.hash;
  h.rewardbase = address_;
  h.block_score = uint256(1);
  h.number = head.number + 1;
  h.time = std::max(now_ms / 1000, head.header.time);
  h.time_fos = h.time == now_ms / 1000 ? static_cast<uint8_t>((now_ms / 10) % 100) : 0;
  h.base_fee = expected_base_fee(config, head.header);
  prepare_istanbul_extra(h, chain_.validators());

  auto st = chain_.state_db_at_head();
  if (!st) return st.status();
  execution::BlockEnv env;
  env.block_num = h.number;
  env.time = h.time;
  env.rewardbase = h.rewardbase;
  env.base_fee = h.base_fee;
  env.config = &config;
  env.proposer = address_;

  std::vector<Transaction> candidates =
      source_ ? source_->pending(options_.max_txns) : std::vector<Transaction>{};
  Block block;
  std::vector<Receipt> receipts;
  std::vector<Hash> dropped;
  uint64_t gas_used = 0;
  for (Transaction& txn : candidates) {
    auto recovered = execution::recover_tx(txn, chain_.chain_id());
    Result<Receipt> receipt = recovered ? execution::apply_transaction(*st, env, txn, *recovered, gas_used)
                                        : Result<Receipt>(recovered.status());
    if (!receipt) {
      const Hash hash = tx_hash(txn);
      spdlog::info("producer: dropping transaction {} from block {}: {}", hash.hex(), h.number,
                   receipt.status().message());
      dropped.push_back(hash);
      continue;
    }
    gas_used += receipt->gas_used;
    receipts.push_back(std::move(*receipt));
    block.transactions.push_back(std::move(txn));
  }
  if (!dropped.empty() && source_) source_->remove_invalid(dropped);
  if (block.transactions.empty() && !options_.empty_blocks)
    return Status::not_found("no transactions to include");

  if (auto reward = execution::apply_block_reward(*st, env, gas_used); !reward) return reward.status();
  if (Status s = st->finalise(); !s) return s;
  auto root = st->intermediate_root();
  if (!root) return root.status();

  const DeriveShaImpl impl = chain_.derive_sha();
  h.root = *root;
  h.gas_used = gas_used;
  h.tx_hash = transactions_root(impl, block.transactions);
  h.receipt_hash = receipts_root(impl, receipts);
  h.bloom = receipts_bloom(receipts);
  if (Status s = seal_header(h, key_); !s) return s;
  block.header = std::move(h);

  ProducedBlock out;
  out.hash = header_hash(block.header);
  out.dropped = dropped.size();
  if (Status s = chain_.insert_block(block); !s) return s;
  if (source_) source_->remove_included(block);
  out.block = std::move(block);
  produced_.fetch_add(1);
  return out;
}

void BlockProducer::start() {
  std::lock_guard lock(loop_mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void BlockProducer::stop() {
  {
    std::lock_guard lock(loop_mu_);
    stopping_ = true;
  }
  loop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BlockProducer::loop() {
  std::unique_lock lock(loop_mu_);
  while (!stopping_) {
    if (loop_cv_.wait_for(lock, options_.period, [this] { return stopping_; })) break;
    lock.unlock();
    auto produced = produce_now();
    if (!produced && !produced.status().is_not_found())
      spdlog::error("producer: block production failed: {}", produced.status().message());
    else if (produced)
      spdlog::info("producer: block {} {} with {} transactions", produced->block.header.number,
                   produced->hash.hex(), produced->block.transactions.size());
    lock.lock();
  }
}

}  // namespace klay::chain
