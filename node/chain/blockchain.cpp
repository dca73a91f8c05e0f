// BlockChain: opening, chain facts, reads. Insertion lives in
// chain_insert.cpp; the commit cadence, close() and crash recovery in
// state_cadence.cpp.
#include "node/chain/blockchain.h"

#include <spdlog/spdlog.h>

#include "engine/klaytn/istanbul_extra.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/trie_store.h"
#include "node/chain/block_checks.h"

namespace klay::chain {

namespace {

// Reads nodes and code from the state-trie database (the default disk readers).
class DiskStateReader : public trie::NodeReader, public state::CodeReader {
 public:
  explicit DiskStateReader(kv::Database& db) : reader_(db) {}
  Status get(ByteView key, Bytes* node) const override { return reader_.get(key, node); }
  Status get(const Hash& code_hash, Bytes* code) const override { return reader_.get(code_hash, code); }

 private:
  rawdb::StateStoreReader reader_;
};

// Shares one DiskStateReader between the node and code reader slots.
class CodeReaderRef : public state::CodeReader {
 public:
  explicit CodeReaderRef(const state::CodeReader& r) : r_(r) {}
  Status get(const Hash& code_hash, Bytes* code) const override { return r_.get(code_hash, code); }

 private:
  const state::CodeReader& r_;
};

}  // namespace

BlockChain::BlockChain(const chaindata::DBManager& dbm, BlockChainOptions options)
    : dbm_(dbm), options_(std::move(options)) {}

Result<std::unique_ptr<BlockChain>> BlockChain::open(const chaindata::DBManager& dbm, BlockChainOptions options) {
  if (options.tries_in_memory == 0) return Status::invalid_argument("--state.tries-in-memory must be at least 1");
  if (options.state_block_interval == 0) return Status::invalid_argument("--state.block-interval must be at least 1");
  std::unique_ptr<BlockChain> bc(new BlockChain(dbm, std::move(options)));
  if (Status s = bc->load(); !s) return s;
  if (Status s = bc->recover(); !s) return s;
  return bc;
}

Status BlockChain::load() {
  auto genesis = rawdb::read_canonical_hash(dbm_, 0);
  if (!genesis) {
    if (genesis.status().is_not_found())
      return Status::invalid_argument("datadir has no genesis block: run `knode init` first");
    return genesis.status();
  }
  genesis_hash_ = *genesis;
  auto config = rawdb::read_chain_config(dbm_, genesis_hash_);
  if (!config) return Status::corruption("cannot read the chain config: " + config.status().message());
  config_ = std::move(*config);
  if (!config_.chain_id) return Status::invalid_argument("the stored chain config has no chainId");
  derive_sha_ = derive_sha_impl_from(config_.derive_sha_impl);

  auto genesis_header = rawdb::read_header(dbm_, 0, genesis_hash_);
  if (!genesis_header) return genesis_header.status();
  auto ist = decode_istanbul_extra(genesis_header->extra);
  if (!ist)
    return Status::invalid_argument("the genesis extraData is not an Istanbul extra: " + ist.status().message());
  if (ist->validators.empty()) return Status::invalid_argument("the genesis Istanbul extra lists no validator");
  validators_ = ist->validators;

  auto head_hash = rawdb::read_head(dbm_, rawdb::Head::kBlock);
  if (!head_hash) return Status::corruption("cannot read the head block pointer: " + head_hash.status().message());
  auto head_num = rawdb::read_header_number(dbm_, *head_hash);
  if (!head_num) return Status::corruption("the head block " + head_hash->hex() + " has no number record");
  auto head_header = rawdb::read_header(dbm_, *head_num, *head_hash);
  if (!head_header) return Status::corruption("cannot read the head header: " + head_header.status().message());
  auto score = rawdb::read_total_score(dbm_, *head_num, *head_hash);
  if (!score) return Status::corruption("cannot read the head's total score: " + score.status().message());
  head_ = ChainHead{*head_num, *head_hash, std::move(*head_header)};
  head_score_ = *score;

  auto pruning = rawdb::read_pruning_enabled(dbm_);
  if (!pruning) return pruning.status();
  state_options_.ext_hash = *pruning;
  if (*pruning)
    spdlog::info("chain: live pruning is enabled for this datadir; state nodes are keyed by ExtHash");

  if (options_.disk_nodes != nullptr && options_.disk_codes != nullptr) {
    disk_nodes_ = options_.disk_nodes;
    disk_codes_ = options_.disk_codes;
  } else {
    kv::Database* st = dbm_.find(chaindata::EntryType::kStateTrie);
    if (st == nullptr) return Status::invalid_argument("the state trie database is not open");
    auto reader = std::make_unique<DiskStateReader>(*st);
    own_disk_codes_ = std::make_unique<CodeReaderRef>(*reader);
    own_disk_nodes_ = std::move(reader);
    disk_nodes_ = options_.disk_nodes ? options_.disk_nodes : own_disk_nodes_.get();
    disk_codes_ = options_.disk_codes ? options_.disk_codes : own_disk_codes_.get();
  }
  nodes_ = make_state_node_database(disk_nodes_, options_.trie_clean_cache);

  auto sink = options_.state_sink_factory ? options_.state_sink_factory(dbm_) : make_default_state_sink(dbm_);
  if (!sink) return sink.status();
  sink_ = std::move(*sink);
  cadence_ = std::make_unique<CommitCadence>(*nodes_, *sink_, options_);
  return Status::ok();
}

BlockChain::~BlockChain() {
  if (Status s = close(); !s) spdlog::error("chain: close failed: {}", s.message());
}

uint256 BlockChain::chain_id() const { return *config_.chain_id; }

ChainHead BlockChain::head() const {
  std::shared_lock lock(head_mu_);
  return head_;
}

Result<Hash> BlockChain::canonical_hash(uint64_t block_num) const {
  {
    std::shared_lock lock(head_mu_);
    if (block_num > head_.number) return Status::not_found("no block " + std::to_string(block_num));
    if (block_num == head_.number) return head_.hash;
  }
  return rawdb::read_canonical_hash(dbm_, block_num);
}

Result<Header> BlockChain::header_by_number(uint64_t block_num) const {
  auto hash = canonical_hash(block_num);
  if (!hash) return hash.status();
  return rawdb::read_header(dbm_, block_num, *hash);
}

Result<Header> BlockChain::header_by_hash(const Hash& hash) const {
  auto num = rawdb::read_header_number(dbm_, hash);
  if (!num) return num.status();
  return rawdb::read_header(dbm_, *num, hash);
}

Result<Block> BlockChain::block_by_hash(const Hash& hash) const {
  auto num = rawdb::read_header_number(dbm_, hash);
  if (!num) return num.status();
  auto header = rawdb::read_header(dbm_, *num, hash);
  if (!header) return header.status();
  auto body = rawdb::read_body(dbm_, *num, hash);
  if (!body) return body.status();
  return Block{std::move(*header), std::move(body->transactions)};
}

Result<Block> BlockChain::block_by_number(uint64_t block_num) const {
  auto hash = canonical_hash(block_num);
  if (!hash) return hash.status();
  return block_by_hash(*hash);
}

Result<std::vector<Receipt>> BlockChain::receipts_by_hash(const Hash& block_hash) const {
  auto num = rawdb::read_header_number(dbm_, block_hash);
  if (!num) return num.status();
  return rawdb::read_receipts(dbm_, *num, block_hash);
}

Result<rawdb::TxLookupEntry> BlockChain::tx_lookup(const Hash& txn_hash) const {
  return rawdb::read_tx_lookup(dbm_, txn_hash);
}

Result<uint256> BlockChain::total_score(const Hash& block_hash) const {
  auto num = rawdb::read_header_number(dbm_, block_hash);
  if (!num) return num.status();
  return rawdb::read_total_score(dbm_, *num, block_hash);
}

Result<state::StateReader> BlockChain::state_reader_at_root(const Hash& root) const {
  return state::StateReader::open(nodes_.get(), disk_codes_, root.view());
}

Result<state::StateReader> BlockChain::state_reader_at(uint64_t block_num) const {
  auto header = header_by_number(block_num);
  if (!header) return header.status();
  return state_reader_at_root(header->root);
}

Result<state::StateDB> BlockChain::state_db_at_head() const {
  const Hash root = head().header.root;
  return state::StateDB::open(nodes_.get(), disk_codes_, root.view(), state_options_);
}

}  // namespace klay::chain
