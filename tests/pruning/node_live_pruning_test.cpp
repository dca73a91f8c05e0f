// Issue 7 acceptance, in-process: the node's real pieces (knode init with
// --state.live-pruning, node::PruningHost, node::open_chain, the dev block
// producer, the JSON-RPC methods) run random value transfers among many
// accounts with retention 64 for thousands of blocks. Then:
//   - eth_getBalance at a block older than 64 blocks answers -32000 "... is pruned ...";
//     at every one of the last 64 blocks it answers;
//   - kchaindata's verify_trie passes (head, and retained blocks in archive mode);
//   - the state trie's live bytes stay within 1.3x of a freshly migrated copy
//     of the head state (migration engine on a copy of the datadir).
// Size measure: live key+value bytes of trie nodes and code in the state-trie
// database (migration's own records excluded). Deterministic and comparable
// across backends, unlike on-disk sizes, which depend on when LSM compaction
// last ran and on LMDB's page reuse.
// No EVM: the load is value transfers (no contract storage changes).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <random>
#include <set>

#include "engine/core/keccak.h"
#include "engine/klaytn/tx.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/datadir_settings.h"
#include "engine/rawdb/trie_store.h"
#include "migration/offline_migration.h"
#include "node/api/api.h"
#include "node/chain/producer.h"
#include "node/chain/txpool_source.h"
#include "node/dev_chain.h"
#include "node/init_command.h"
#include "node/node_open.h"
#include "node/pruning_host.h"
#include "node/pruning_state_guard.h"
#include "node/rpc/dispatcher.h"
#include "node/rpc/hex_codec.h"
#include "tests/pruning/pruning_test_support.h"
#include "tools/kchaindata/verify_levels.h"

namespace klay::pruning {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr uint64_t kRetention = 64;
constexpr size_t kAccounts = 40000;  // funded at genesis: the recipients
constexpr size_t kSenders = 32;
constexpr uint64_t kGasPrice = 250000000000ULL;  // 250 gkei: headroom over a KIP-71 base fee

PrivateKey key_of(const std::string& seed) { return *PrivateKey::from_bytes(keccak256(as_view(seed)).view()); }
Address account_addr(size_t i) {
  return Address::from(keccak256(as_view("acct-" + std::to_string(i))).view().subspan(12));
}

// The producer's source: whatever the test queued for the next block.
class ListSource : public chain::PendingSource {
 public:
  std::vector<Transaction> next;
  std::vector<Transaction> pending(size_t) override { return next; }
  void remove_included(const Block&) override { next.clear(); }
  void remove_invalid(const std::vector<Hash>& h) override {
    throw std::runtime_error("transfer dropped: " + h.front().hex());
  }
};

struct LiveBytes {
  uint64_t keys = 0;
  uint64_t bytes = 0;
};
// Trie nodes (32/39-byte keys) and code ("c" + 32) of the state-trie database.
LiveBytes live_bytes(kv::Database& db) {
  LiveBytes out;
  auto it = db.new_iterator();
  for (; it->valid(); it->next()) {
    const size_t k = it->key().size();
    if (k == 32 || k == 39 || (k == 33 && it->key()[0] == 'c')) {
      ++out.keys;
      out.bytes += k + it->value().size();
    }
  }
  testing::check(it->status(), "iterate state trie");
  return out;
}

struct Config {
  const char* name;
  const char* db_type;
  bool single = false;
  bool archive = true;
  size_t blocks = 2000;
  size_t txns_per_block = 4;
};

void PrintTo(const Config& c, std::ostream* os) { *os << c.name; }

class NodeLivePruning : public ::testing::TestWithParam<Config> {};

TEST_P(NodeLivePruning, RetentionSixtyFourUnderTransferLoad) {
  const Config cfg = GetParam();
  testing::ScratchDir scratch;
  const fs::path datadir = scratch.path() / "node";
  fs::create_directories(datadir);

  // ---- knode init --state.live-pruning --state.live-pruning-retention 64 ----
  const PrivateKey validator = key_of("validator");
  std::vector<PrivateKey> senders;
  for (size_t i = 0; i < kSenders; ++i) senders.push_back(key_of("sender-" + std::to_string(i)));
  json genesis = json::parse(node::dev_genesis_json(validator.address(), senders[0].address(), 0x60000000));
  for (const auto& k : senders) genesis["alloc"][k.address().hex()] = {{"balance", "0x33b2e3c9fd0803ce8000000"}};
  for (size_t i = 0; i < kAccounts; ++i) genesis["alloc"][account_addr(i).hex()] = {{"balance", "0x1"}};
  const fs::path genesis_file = scratch.path() / "genesis.json";
  {
    std::ofstream f(genesis_file);
    f << genesis.dump();
  }
  node::InitOptions init;
  init.datadir = datadir.string();
  init.genesis = genesis_file.string();
  init.db_type = cfg.db_type;
  init.db_single = cfg.single;
  init.live_pruning = true;
  init.live_pruning_retention = kRetention;
  cli::Context quiet{stderr, stderr};
  ASSERT_EQ(node::run_init(init, quiet), cli::kExitOk);

  // ---- the node: host, chain, pruning, pool, producer, API ----
  rpc::MetricsRegistry registry;
  chain::BlockChainOptions options;
  options.gc_mode = cfg.archive ? chain::GcMode::kArchive : chain::GcMode::kFull;
  options.verify_seals = true;
  auto host = node::PruningHost::prepare(datadir, options, &registry);
  ASSERT_TRUE(host) << host.status().message();
  auto opened = node::open_chain(datadir, options);
  ASSERT_TRUE(opened) << opened.status().message();
  chain::BlockChain& chain = *opened->chain;
  ASSERT_TRUE(chain.state_options().ext_hash);
  auto running = (*host)->start(*opened->dbm, chain);
  ASSERT_TRUE(running) << running.status().message();
  ASSERT_NE(*running, nullptr) << "live pruning did not start";

  const chain::ChainHead head0 = chain.head();
  auto head_reader = chain.state_reader_at_root(head0.header.root);
  ASSERT_TRUE(head_reader);
  txpool::TxPool pool(chain.config(), txpool::TxPoolConfig{},
                      std::make_unique<txpool::StateReaderPoolState>(std::move(*head_reader)),
                      txpool::PoolHead{head0.number, head0.header.base_fee});
  ListSource source;
  chain::ProducerOptions popts;
  uint64_t clock = 0x60000000ULL * 1000;
  popts.now_ms = [&clock] { return clock += 1000; };
  auto producer = chain::BlockProducer::create(chain, validator, &source, popts);
  ASSERT_TRUE(producer) << producer.status().message();
  rpc::MethodRegistry methods;
  api::ApiBackend backend{&chain, &pool, opened->dbm.get(), datadir, true};
  backend.state_guard = node::pruning_state_guard(**running, chain);
  ASSERT_TRUE(api::register_all(methods, backend));
  rpc::Dispatcher dispatcher(methods, rpc::DispatchPolicy{});
  auto call = [&](const std::string& method, json params) {
    const json req = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}};
    return *dispatcher.handle_call(req, rpc::CallContext{"127.0.0.1"});
  };

  // ---- random transfers ----
  std::mt19937_64 rng(cfg.archive ? 7 : 8);
  std::vector<uint64_t> nonces(kSenders, 0);
  std::map<size_t, uint64_t> received;  // account index -> value received (beyond its genesis 1 peb)
  for (size_t b = 0; b < cfg.blocks; ++b) {
    for (size_t t = 0; t < cfg.txns_per_block; ++t) {
      const size_t s = rng() % kSenders;
      const size_t to = rng() % kAccounts;
      const uint64_t value = 1 + rng() % 1000;
      Transaction tx;
      tx.type = TxType::kLegacy;
      tx.nonce = nonces[s]++;
      tx.gas_price = uint256(kGasPrice);
      tx.gas = 21000;
      tx.to = account_addr(to);
      tx.value = uint256(value);
      const Signature sig = senders[s].sign(signing_hash(tx, uint256(node::kDevChainId)));
      tx.signatures = {TxSignature{eip155_v(sig.recid, uint256(node::kDevChainId)), sig.r, sig.s}};
      source.next.push_back(std::move(tx));
      received[to] += value;
    }
    auto produced = (*producer)->produce_now();
    ASSERT_TRUE(produced) << "block " << b + 1 << ": " << produced.status().message();
  }
  (*running)->wait_idle();
  const uint64_t head = chain.head().number;
  ASSERT_EQ(head, cfg.blocks);
  const uint64_t last_pruned = (*running)->pruner().last_pruned();
  ASSERT_TRUE((*running)->pruner().any_pruned());
  // Archive: up to head - 64; full: the memory window (128) and the disk cadence bound it;
  // coalesced background passes lag that by under min_blocks_per_pass blocks.
  const uint64_t coalesce_lag = (*running)->pruner().options().min_blocks_per_pass - 1;
  EXPECT_GE(last_pruned + (cfg.archive ? kRetention : 2 * 128 + kRetention) + coalesce_lag, head);
  EXPECT_LE(last_pruned, head - kRetention);
  // Marks: none left at or below lastPrunedBlockNumber, pending ones above it.
  auto done_marks = rawdb::read_pruning_marks(*opened->dbm, 0, last_pruned + 1);
  ASSERT_TRUE(done_marks);
  EXPECT_TRUE(done_marks->empty()) << done_marks->size() << " processed marks left";
  auto pending_marks = rawdb::read_pruning_marks(*opened->dbm, last_pruned + 1, head);
  ASSERT_TRUE(pending_marks);
  EXPECT_GT(pending_marks->size(), 0u);
  (*running)->refresh_metrics();
  const std::string metrics_text = registry.render();
  const size_t at = metrics_text.find("\nklay_pruning_last_pruned_block ");
  ASSERT_NE(at, std::string::npos) << metrics_text;
  const uint64_t gauge = std::stoull(metrics_text.substr(at + 32));
  EXPECT_EQ(gauge, last_pruned);

  // ---- state older than the retention: a clear "pruned" JSON-RPC error ----
  const Address probe = account_addr(received.begin()->first);
  for (uint64_t n : {uint64_t{1}, last_pruned / 2, last_pruned, head - kRetention}) {
    json r = call("eth_getBalance", {probe.hex(), rpc::encode_quantity(n)});
    ASSERT_TRUE(r.contains("error")) << "block " << n << ": " << r.dump();
    EXPECT_EQ(r["error"]["code"], -32000) << r.dump();
    EXPECT_NE(r["error"]["message"].get<std::string>().find("is pruned"), std::string::npos) << r.dump();
    json c = call("eth_call", {{{"to", probe.hex()}, {"value", "0x1"}}, rpc::encode_quantity(n)});
    EXPECT_NE(c.dump().find("is pruned"), std::string::npos) << c.dump();
    json p = call("eth_getProof", {probe.hex(), json::array(), rpc::encode_quantity(n)});
    EXPECT_NE(p.dump().find("is pruned"), std::string::npos) << p.dump();
  }
  // ---- the last 64 blocks answer ----
  for (uint64_t n = head - kRetention + 1; n <= head; ++n) {
    json r = call("eth_getBalance", {probe.hex(), rpc::encode_quantity(n)});
    ASSERT_FALSE(r.contains("error")) << "block " << n << ": " << r.dump();
  }
  // Latest balances of every recipient are exact (nothing reachable lost).
  for (const auto& [idx, value] : received) {
    json r = call("eth_getBalance", {account_addr(idx).hex(), "latest"});
    ASSERT_EQ(r.value("result", json()), rpc::encode_quantity(uint256(value + 1))) << r.dump();
  }

  // ---- close like knode: pruning first, then the chain ----
  (*producer).reset();
  running->reset();
  ASSERT_TRUE(opened->close());

  // ---- verify --level trie (head, and the oldest retained states in archive mode) ----
  {
    auto settings = rawdb::load_datadir_settings(datadir);
    ASSERT_TRUE(settings && *settings);
    auto m = testing::open_manager(datadir, (*settings)->apply(chaindata::Config{}));
    std::vector<std::optional<uint64_t>> blocks = {std::nullopt};
    if (cfg.archive) blocks = {std::nullopt, head - kRetention + 1, head - 1};
    for (const auto& b : blocks) {
      kchaindata::ProblemLog log;
      auto r = kchaindata::verify_trie(*m, b, log, stderr, true);
      ASSERT_TRUE(r) << r.status().message();
      EXPECT_EQ(log.count(), 0u) << "verify_trie at " << (b ? std::to_string(*b) : "the durable block") << ": "
                                 << (log.kept().empty() ? "" : log.kept()[0].message);
      EXPECT_GT(r->checked, kAccounts);
    }
    const LiveBytes pruned = live_bytes(m->state_trie());
    ASSERT_TRUE(m->close());

    // ---- a freshly migrated copy of the head state ----
    const fs::path copy = scratch.path() / "copy";
    fs::copy(datadir, copy, fs::copy_options::recursive);
    auto cm = testing::open_manager(copy, (*settings)->apply(chaindata::Config{}));
    LiveBytes fresh;
    migration::OfflineOptions mo;
    mo.block_num = head;
    auto report = migration::run_offline_migration(*cm, mo);
    if (report) {
      fresh = live_bytes(cm->state_trie());
    } else {
      // Single-DB mode has no separate state-trie directory to migrate: the
      // fresh copy's content is exactly what is reachable from the head root.
      ASSERT_EQ(report.status().code(), Status::Code::kNotSupported) << report.status().message();
      auto header = rawdb::read_header(*cm, head, *rawdb::read_canonical_hash(*cm, head));
      ASSERT_TRUE(header);
      std::set<Bytes> codes;
      rawdb::StateStoreReader reader(cm->state_trie());
      for (const trie::NodeKey& k : testing::reachable(cm->state_trie(), header->root, &codes)) {
        Bytes v;
        ASSERT_TRUE(reader.get(k.view(), &v));
        ++fresh.keys;
        fresh.bytes += k.view().size() + v.size();
      }
    }
    ASSERT_TRUE(cm->close());
    const double ratio = static_cast<double>(pruned.bytes) / static_cast<double>(fresh.bytes);
    std::printf("[%s] head %llu, last pruned %llu: pruned state trie %llu keys %llu bytes; fresh copy %llu keys "
                "%llu bytes; ratio %.3f\n",
                cfg.name, static_cast<unsigned long long>(head), static_cast<unsigned long long>(last_pruned),
                static_cast<unsigned long long>(pruned.keys), static_cast<unsigned long long>(pruned.bytes),
                static_cast<unsigned long long>(fresh.keys), static_cast<unsigned long long>(fresh.bytes), ratio);
    EXPECT_GE(pruned.keys, fresh.keys);
    EXPECT_LE(ratio, 1.3);
  }
}

// Without --state.live-pruning the host stays out of the way: no marks, no
// pruner, no guard (old states keep answering from disk in archive mode).
TEST(NodeWithoutLivePruning, WritesNoMarksAndGuardsNothing) {
  testing::ScratchDir scratch;
  const fs::path datadir = scratch.path() / "node";
  const PrivateKey validator = key_of("validator");
  const PrivateKey sender = key_of("sender-0");
  const fs::path genesis_file = scratch.path() / "genesis.json";
  {
    std::ofstream f(genesis_file);
    f << node::dev_genesis_json(validator.address(), sender.address(), 0x60000000);
  }
  node::InitOptions init;
  init.datadir = datadir.string();
  init.genesis = genesis_file.string();
  cli::Context quiet{stderr, stderr};
  ASSERT_EQ(node::run_init(init, quiet), cli::kExitOk);
  chain::BlockChainOptions options;
  options.gc_mode = chain::GcMode::kArchive;
  auto host = node::PruningHost::prepare(datadir, options);
  ASSERT_TRUE(host);
  EXPECT_FALSE((*host)->marks_enabled());
  auto opened = node::open_chain(datadir, options);
  ASSERT_TRUE(opened) << opened.status().message();
  auto running = (*host)->start(*opened->dbm, *opened->chain);
  ASSERT_TRUE(running) << running.status().message();
  EXPECT_EQ(*running, nullptr);
  ListSource source;
  chain::ProducerOptions popts;
  uint64_t clock = 0x60000000ULL * 1000;
  popts.now_ms = [&clock] { return clock += 1000; };
  auto producer = chain::BlockProducer::create(*opened->chain, validator, &source, popts);
  ASSERT_TRUE(producer);
  for (uint64_t b = 0; b < 20; ++b) {
    Transaction tx;
    tx.type = TxType::kLegacy;
    tx.nonce = b;
    tx.gas_price = uint256(kGasPrice);
    tx.gas = 21000;
    tx.to = account_addr(b);
    tx.value = uint256(5);
    const Signature sig = sender.sign(signing_hash(tx, uint256(node::kDevChainId)));
    tx.signatures = {TxSignature{eip155_v(sig.recid, uint256(node::kDevChainId)), sig.r, sig.s}};
    source.next.push_back(std::move(tx));
    ASSERT_TRUE((*producer)->produce_now());
  }
  auto marks = rawdb::read_pruning_marks(*opened->dbm, 0, 100);
  ASSERT_TRUE(marks);
  EXPECT_TRUE(marks->empty()) << marks->size() << " marks written without live pruning";
  EXPECT_TRUE(opened->chain->state_reader_at(1));
  (*producer).reset();
  ASSERT_TRUE(opened->close());
}

// Full gcmode: a block marks only its obsolete nodes already on disk (those
// still dirty in the NodeDatabase get no mark), and pruning still deletes
// every on-disk obsolete node up to lastPrunedBlockNumber.
TEST(NodeLivePruningFullMode, MarksOnlyObsoleteNodesOnDiskAndPrunesThemAll) {
  testing::ScratchDir scratch;
  const fs::path datadir = scratch.path() / "node";
  const PrivateKey validator = key_of("validator");
  const PrivateKey sender = key_of("sender-0");
  const fs::path genesis_file = scratch.path() / "genesis.json";
  {
    std::ofstream f(genesis_file);
    f << node::dev_genesis_json(validator.address(), sender.address(), 0x60000000);
  }
  node::InitOptions init;
  init.datadir = datadir.string();
  init.genesis = genesis_file.string();
  init.live_pruning = true;
  init.live_pruning_retention = 4;
  cli::Context quiet{stderr, stderr};
  ASSERT_EQ(node::run_init(init, quiet), cli::kExitOk);

  chain::BlockChainOptions options;
  options.gc_mode = chain::GcMode::kFull;
  options.tries_in_memory = 4;
  options.state_block_interval = 4;  // blocks 4, 8, ... reach disk; the rest stay in memory
  // Per block: its obsolete keys, and whether each was still only in memory
  // when its batch was built (nothing touches the NodeDatabase between the
  // batch and this hook) and whether it was on disk then.
  struct Obsolete {
    trie::NodeKey key;
    bool in_memory = false;
    bool on_disk = false;
  };
  std::map<uint64_t, std::vector<Obsolete>> seen;
  chain::BlockChain* chain_ptr = nullptr;
  const chaindata::DBManager* dbm_ptr = nullptr;
  options.on_block_inserted = [&](const chain::BlockInsertedEvent& e) {
    rawdb::StateStoreReader disk(dbm_ptr->state_trie());
    auto& v = seen[e.block.header.number];
    for (const trie::NodeKey& k : e.commit.obsolete) {
      Bytes node;
      v.push_back(Obsolete{k, chain_ptr->trie_node_in_memory_only(k), bool(disk.get(k.view(), &node))});
    }
  };
  auto host = node::PruningHost::prepare(datadir, options);
  ASSERT_TRUE(host) << host.status().message();
  auto opened = node::open_chain(datadir, options);
  ASSERT_TRUE(opened) << opened.status().message();
  chain_ptr = opened->chain.get();
  dbm_ptr = opened->dbm.get();

  ListSource source;
  chain::ProducerOptions popts;
  uint64_t clock = 0x60000000ULL * 1000;
  popts.now_ms = [&clock] { return clock += 1000; };
  auto producer = chain::BlockProducer::create(*opened->chain, validator, &source, popts);
  ASSERT_TRUE(producer);
  constexpr uint64_t kBlocks = 24;
  uint64_t nonce = 0;
  for (uint64_t b = 0; b < kBlocks; ++b) {
    for (size_t t = 0; t < 3; ++t) {
      Transaction tx;
      tx.type = TxType::kLegacy;
      tx.nonce = nonce;
      tx.gas_price = uint256(kGasPrice);
      tx.gas = 21000;
      tx.to = account_addr(nonce++);
      tx.value = uint256(5);
      const Signature sig = sender.sign(signing_hash(tx, uint256(node::kDevChainId)));
      tx.signatures = {TxSignature{eip155_v(sig.recid, uint256(node::kDevChainId)), sig.r, sig.s}};
      source.next.push_back(std::move(tx));
    }
    ASSERT_TRUE((*producer)->produce_now());
  }
  ASSERT_EQ(seen.size(), kBlocks);

  // Marks (no pruning has run yet): exactly the obsolete keys not in memory.
  auto marks = rawdb::read_pruning_marks(*opened->dbm, 0, kBlocks + 1);
  ASSERT_TRUE(marks);
  std::set<std::pair<uint64_t, Bytes>> marked;
  for (const rawdb::PruningMark& m : *marks)
    marked.emplace(m.block_num, Bytes(m.node.view().begin(), m.node.view().end()));
  size_t in_memory = 0, on_disk = 0, expected_marks = 0;
  for (const auto& [n, keys] : seen) {
    for (const Obsolete& o : keys) {
      const trie::NodeKey ext = o.key.is_ext() ? o.key : trie::NodeKey::ext(Hash::from(o.key.view()), 0);
      const bool has_mark = marked.contains({n - 1, Bytes(ext.view().begin(), ext.view().end())});
      EXPECT_EQ(has_mark, !o.in_memory) << "block " << n << " key " << to_hex(o.key.view());
      if (o.on_disk) EXPECT_TRUE(has_mark) << "on-disk obsolete node left unmarked, block " << n;
      in_memory += o.in_memory;
      on_disk += o.on_disk;
      expected_marks += !o.in_memory;
    }
  }
  EXPECT_GT(in_memory, 0u) << "no in-memory-only obsolete node: the test shows nothing";
  EXPECT_GT(on_disk, 0u) << "no on-disk obsolete node: the test shows nothing";
  EXPECT_EQ(marks->size(), expected_marks);
  EXPECT_LT(expected_marks, in_memory) << "most obsolete nodes of a full node never reach disk";

  // Pruning deletes every on-disk obsolete node of the blocks it processed.
  auto running = (*host)->start(*opened->dbm, *opened->chain);
  ASSERT_TRUE(running) << running.status().message();
  ASSERT_NE(*running, nullptr);
  (*running)->drain();
  ASSERT_TRUE((*running)->pruner().any_pruned());
  const uint64_t last_pruned = (*running)->pruner().last_pruned();
  EXPECT_EQ(last_pruned, kBlocks - 4);  // min(head - retention, durable - 1, head - memory window)
  const Hash head_root = opened->chain->head().header.root;
  rawdb::StateStoreReader disk(opened->dbm->state_trie());
  size_t deleted = 0;
  for (const auto& [n, keys] : seen) {
    if (n - 1 > last_pruned) continue;
    for (const Obsolete& o : keys) {
      if (!o.on_disk || (!o.key.is_ext() && Hash::from(o.key.view()) == head_root)) continue;
      Bytes node;
      EXPECT_TRUE(disk.get(o.key.view(), &node).is_not_found()) << "block " << n << " key " << to_hex(o.key.view());
      ++deleted;
    }
  }
  EXPECT_GT(deleted, 0u);
  running->reset();
  (*producer).reset();
  ASSERT_TRUE(opened->close());
}

INSTANTIATE_TEST_SUITE_P(Backends, NodeLivePruning,
                         ::testing::Values(Config{"leveldb_archive", "leveldb", false, true},
                                           Config{"leveldb_full", "leveldb", false, false},
                                           Config{"rocksdb_archive", "rocksdb", false, true},
                                           Config{"lmdb_full_single", "lmdb", true, false}),
                         [](const ::testing::TestParamInfo<Config>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace klay::pruning
