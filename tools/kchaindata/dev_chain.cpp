#include "tools/kchaindata/dev_chain.h"

#include "engine/core/keccak.h"
#include "engine/klaytn/block.h"
#include "engine/klaytn/receipt.h"
#include "engine/klaytn/tx.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/chain_batch.h"
#include "engine/rawdb/datadir_settings.h"
#include "engine/rawdb/genesis_commit.h"
#include "engine/rawdb/trie_store.h"

namespace klay::kchaindata {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kGenesisTime = 0x60000000;
constexpr uint64_t kGasPrice = 25000000000ULL;

std::string genesis_json(size_t funded) {
  std::string alloc;
  for (size_t i = 0; i < funded; ++i) {
    alloc += "\"" + DevChain::key(i).address().hex() + "\": {\"balance\": \"0x33b2e3c9fd0803ce8000000\"},";
  }
  alloc += "\"" + DevChain::contract_address().hex() +
           "\": {\"balance\": \"0x0\", \"code\": \"0x6080604052348015600f57600080fd5b50603e80601d6000396000f3fe\","
           " \"storage\": {"
           "\"0x0000000000000000000000000000000000000000000000000000000000000000\": \"0x2a\","
           "\"0x0000000000000000000000000000000000000000000000000000000000000001\": \"0x" +
           std::string(40, 'a') + "\"}}";
  return "{\"config\": {\"chainId\": " + std::to_string(DevChain::kChainId) +
         ", \"deriveShaImpl\": 2}, \"timestamp\": \"0x" + to_hex(Bytes{0x60, 0, 0, 0}) +
         "\", \"blockScore\": \"0x1\", \"alloc\": {" + alloc + "}}";
}

Transaction make_transfer(const PrivateKey& key, uint64_t nonce, const Address& to, uint64_t value) {
  Transaction t;
  t.type = TxType::kLegacy;
  t.nonce = nonce;
  t.gas_price = uint256(kGasPrice);
  t.gas = 21000;
  t.to = to;
  t.value = uint256(value);
  const Signature sig = key.sign(signing_hash(t, uint256(DevChain::kChainId)));
  t.signatures = {TxSignature{eip155_v(sig.recid, uint256(DevChain::kChainId)), sig.r, sig.s}};
  return t;
}

}  // namespace

PrivateKey DevChain::key(size_t i) {
  auto k = PrivateKey::from_bytes(keccak256(as_view("kchaindata-dev-key-" + std::to_string(i))).view());
  return *k;  // keccak output is a valid key with overwhelming probability; checked by tests
}

Address DevChain::contract_address() {
  Bytes a(20, 0);
  a[0] = 0xc0;
  a[19] = 0x01;
  return Address::from(a);
}

Result<std::unique_ptr<DevChain>> DevChain::create(const fs::path& datadir, const chaindata::Config& config,
                                                   size_t funded) {
  std::error_code ec;
  if (fs::exists(datadir / "klay" / "chaindata", ec)) {
    return Status::invalid_argument("datadir " + datadir.string() + " already holds chaindata");
  }
  auto dbm = chaindata::DBManager::open(datadir, config);
  if (!dbm) return dbm.status();
  auto setup = rawdb::setup_genesis(**dbm, genesis_json(funded));
  if (!setup) return setup.status();
  rawdb::DatadirSettings settings;
  settings.backend = config.backend;
  settings.single_db = config.single_db;
  settings.num_statetrie_shards = config.num_statetrie_shards;
  if (Status s = rawdb::save_datadir_settings(datadir, settings); !s) return s;
  std::unique_ptr<DevChain> c(new DevChain());
  c->dbm_ = std::move(*dbm);
  c->head_hash_ = setup->hash;
  c->state_root_ = setup->header.root;
  c->time_ = kGenesisTime;
  c->total_score_ = 1;
  return c;
}

Result<Hash> DevChain::append_block(const std::vector<DevTransfer>& transfers,
                                    const std::function<Status(state::StateDB&)>& mutate) {
  rawdb::StateStoreReader reader(dbm_->state_trie());
  auto st = state::StateDB::open(&reader, &reader, state_root_.view());
  if (!st) return st.status();
  const uint64_t number = head_num_ + 1;
  Body body;
  std::vector<Receipt> receipts;
  for (const auto& tr : transfers) {
    const PrivateKey k = key(tr.from_key);
    const Address from = k.address();
    auto nonce = st->nonce(from);
    if (!nonce) return nonce.status();
    Transaction t = make_transfer(k, *nonce, tr.to, tr.value);
    if (Status s = st->sub_balance(from, uint256(tr.value)); !s) return s;
    if (Status s = st->add_balance(tr.to, uint256(tr.value)); !s) return s;
    if (Status s = st->set_nonce(from, *nonce + 1); !s) return s;
    if (Status s = st->finalise(); !s) return s;
    Receipt r;
    r.status = 1;
    r.gas_used = 21000;
    r.tx_hash = tx_hash(t);
    Log log;
    log.address = contract_address();
    log.topics = {r.tx_hash};
    log.data = Bytes(8, static_cast<uint8_t>(number));
    log.block_number = number;
    log.tx_hash = r.tx_hash;
    log.tx_index = body.transactions.size();
    r.logs = {log};
    r.bloom = logs_bloom(r.logs);
    receipts.push_back(std::move(r));
    body.transactions.push_back(std::move(t));
  }
  if (mutate) {
    if (Status s = mutate(*st); !s) return s;
  }
  rawdb::StateStoreBatch nodes(dbm_->state_trie(), 4u << 20);
  auto commit = st->commit(nodes, nodes);
  if (!commit) return commit.status();
  if (Status s = nodes.flush(); !s) return s;

  Header h;
  h.parent_hash = head_hash_;
  h.root = commit->root;
  h.tx_hash = transactions_root(DeriveShaImpl::kConcat, body.transactions);
  h.receipt_hash = receipts_root(DeriveShaImpl::kConcat, receipts);
  h.block_score = uint256(1);
  h.number = number;
  h.gas_used = 21000 * transfers.size();
  h.time = ++time_;
  const Hash hash = header_hash(h);
  for (auto& r : receipts) {
    for (auto& l : r.logs) l.block_hash = hash;
  }
  rawdb::ChainBatch batch(*dbm_);
  if (Status s = rawdb::write_header(batch, h, hash); !s) return s;
  if (Status s = rawdb::write_body(batch, number, hash, body); !s) return s;
  if (Status s = rawdb::write_receipts(batch, number, hash, receipts); !s) return s;
  if (Status s = rawdb::write_tx_lookup_entries(batch, hash, number, body.transactions); !s) return s;
  if (Status s = rawdb::write_total_score(batch, number, hash, uint256(++total_score_)); !s) return s;
  if (Status s = rawdb::write_canonical_hash(batch, number, hash); !s) return s;
  for (auto head : {rawdb::Head::kHeader, rawdb::Head::kBlock, rawdb::Head::kFastBlock}) {
    if (Status s = rawdb::write_head(batch, head, hash); !s) return s;
  }
  if (Status s = batch.commit(); !s) return s;
  head_num_ = number;
  head_hash_ = hash;
  state_root_ = commit->root;
  return hash;
}

Status DevChain::close() { return dbm_ ? dbm_->close() : Status::ok(); }

}  // namespace klay::kchaindata
