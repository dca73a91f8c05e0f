// The online migration hosted in the node (node/migration_host.h): a dev
// chain with the block producer importing transfer blocks while the
// migration runs, driven through the admin_ methods. The genesis holds
// contracts with storage (the execution layer has no EVM yet, so blocks
// cannot change storage: the storage tries and code are copied as they are).
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/core/keccak.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/genesis_commit.h"
#include "node/api/api.h"
#include "node/chain/producer.h"
#include "node/dev_chain.h"
#include "node/migration_host.h"
#include "node/rpc/dispatcher.h"
#include "tests/migration/migration_test_support.h"

namespace klay::node {
namespace {

namespace fs = std::filesystem;
using chaindata::EntryType;
using nlohmann::json;
using migration::testing::ScratchDir;

PrivateKey key_from_seed(const std::string& seed) { return *PrivateKey::from_bytes(keccak256(as_view(seed)).view()); }

// Any code: contracts are only read here.
constexpr const char* kStoreCode = "0x602035600035550000";
constexpr uint32_t kContracts = 24;
constexpr uint32_t kSlots = 40;
constexpr uint32_t kAccounts = 1500;

Address contract_address(uint32_t i) {
  Address a;
  a.bytes[0] = 0xc0;
  a.bytes[18] = static_cast<uint8_t>(i >> 8);
  a.bytes[19] = static_cast<uint8_t>(i);
  return a;
}

Hash word(uint64_t v) {
  Hash h;
  for (int i = 0; i < 8; ++i) h.bytes[31 - i] = static_cast<uint8_t>(v >> (8 * i));
  return h;
}

std::string hex_word(uint64_t v) { return "0x" + to_hex(word(v).view()); }

// The transactions of the next block, handed to the producer.
class QueueSource : public chain::PendingSource {
 public:
  void push(std::vector<Transaction> txs) {
    std::lock_guard lock(mu_);
    for (auto& t : txs) queue_.push_back(std::move(t));
  }
  std::vector<Transaction> pending(size_t max) override {
    std::lock_guard lock(mu_);
    return {queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(std::min(max, queue_.size()))};
  }
  void remove_included(const Block& block) override {
    std::lock_guard lock(mu_);
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(
                                                      std::min(block.transactions.size(), queue_.size())));
  }
  void remove_invalid(const std::vector<Hash>& hashes) override {
    ADD_FAILURE() << hashes.size() << " transactions were not includable";
    std::lock_guard lock(mu_);
    queue_.clear();
  }

 private:
  std::mutex mu_;
  std::vector<Transaction> queue_;
};

struct ChainSetup {
  kv::Backend backend = kv::Backend::kLevelDB;
  uint32_t shards = 4;
  bool single = false;
  bool live_pruning = false;
  chain::GcMode gc = chain::GcMode::kFull;
  uint64_t interval = 2;
};

class NodeMigrationTest : public ::testing::Test {
 public:  // the hooks of a test body call back into the fixture
  // Creates the datadir's genesis (first call) and opens everything.
  void open(const ChainSetup& setup, MigrationHostOptions host_options = {}) {
    setup_ = setup;
    chaindata::Config config = migration::testing::small_config(setup.backend, setup.shards, setup.single);
    auto dbm = chaindata::DBManager::open(dir_.path() / "chaindata", config);
    ASSERT_TRUE(dbm) << dbm.status().message();
    dbm_ = std::move(*dbm);
    auto has_genesis = rawdb::read_canonical_hash(*dbm_, 0);
    if (!has_genesis) {
      if (setup.live_pruning) {
        rawdb::DirectWriter w(*dbm_);
        ASSERT_TRUE(rawdb::write_pruning_enabled(w));
      }
      json genesis = json::parse(dev_genesis_json(validator_.address(), dev_.address(), 0x60000000));
      for (uint32_t i = 0; i < kContracts; ++i) {
        json storage = json::object();
        for (uint32_t s = 0; s < kSlots; ++s) storage[hex_word(s + 1)] = hex_word(1000 + i * kSlots + s);
        genesis["alloc"][contract_address(i).hex()] = {{"balance", "0x0"}, {"code", kStoreCode}, {"storage", storage}};
      }
      for (uint32_t i = 0; i < kAccounts; ++i) {
        genesis["alloc"][key_from_seed("acct" + std::to_string(i)).address().hex()] = {{"balance", "0x1234"}};
      }
      auto g = rawdb::setup_genesis(*dbm_, genesis.dump());
      ASSERT_TRUE(g) << g.status().message();
    }
    host_ = std::make_unique<MigrationHost>(&metrics_, std::move(host_options));
    chain::BlockChainOptions options;
    options.gc_mode = setup.gc;
    options.state_block_interval = setup.interval;
    options.tries_in_memory = 4;
    host_->prepare(options);
    auto chain = chain::BlockChain::open(*dbm_, options);
    ASSERT_TRUE(chain) << chain.status().message();
    chain_ = std::move(*chain);
    ASSERT_TRUE(host_->attach(*chain_));
    const uint64_t head_time = chain_->head().header.time;
    popts_.now_ms = [t = head_time * 1000]() mutable { return t += 1000; };
    auto producer = chain::BlockProducer::create(*chain_, validator_, &source_, popts_);
    ASSERT_TRUE(producer) << producer.status().message();
    producer_ = std::move(*producer);
    methods_ = std::make_unique<rpc::MethodRegistry>();
    ASSERT_TRUE(api::register_migration_methods(*methods_, *host_));
    dispatcher_ = std::make_unique<rpc::Dispatcher>(*methods_, rpc::DispatchPolicy{});
    nonce_ = 0;
    if (auto r = chain_->state_reader_at(chain_->head().number)) {
      auto nonce = r->nonce(dev_.address());
      if (nonce) nonce_ = *nonce;
    }
  }

  // shutdown (the migration stays recorded), then close everything.
  void close_all() {
    producer_.reset();
    if (host_) host_->shutdown();
    dispatcher_.reset();
    methods_.reset();
    if (chain_) {
      EXPECT_TRUE(chain_->close());
    }
    chain_.reset();
    if (dbm_) {
      EXPECT_TRUE(dbm_->close());
    }
    dbm_.reset();
    host_.reset();
  }
  void TearDown() override { close_all(); }

  json call(const std::string& method) {
    const json req = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", json::array()}};
    return *dispatcher_->handle_call(req, rpc::CallContext{"127.0.0.1"});
  }

  Transaction signed_tx(const Address& to, uint64_t value, Bytes data) {
    Transaction t;
    t.type = TxType::kEthereumDynamicFee;
    t.nonce = nonce_++;
    t.gas = data.empty() ? 21000 : 60000;
    t.to = to;
    t.value = uint256(value);
    t.gas_price = uint256(25000000000ULL);
    t.gas_fee_cap = uint256(50000000000ULL);
    t.gas_tip_cap = uint256(0);
    t.chain_id = uint256(kDevChainId);
    t.data = std::move(data);
    const Signature sig = dev_.sign(signing_hash(t, uint256(kDevChainId)));
    t.signatures = {TxSignature{uint256(sig.recid), sig.r, sig.s}};
    return t;
  }
  // One block of transfers to existing and new accounts.
  void produce_block() {
    const uint64_t n = blocks_made_++;
    std::vector<Transaction> txs;
    for (uint32_t i = 0; i < 4; ++i) {
      txs.push_back(signed_tx(key_from_seed("acct" + std::to_string((n * 7 + i * 131) % kAccounts)).address(), 1, {}));
    }
    txs.push_back(signed_tx(key_from_seed("new" + std::to_string(n)).address(), 5, {}));
    source_.push(std::move(txs));
    auto b = producer_->produce_now();
    ASSERT_TRUE(b) << b.status().message();
    ASSERT_EQ(b->block.transactions.size(), 5u);
  }

  // Produces blocks until the migration is no longer running; returns how many.
  size_t produce_while_migrating(size_t max = 3000) {
    size_t n = 0;
    while (n < max && host_->state_migration_status().is_migration && !HasFailure()) {
      produce_block();
      ++n;
    }
    return n;
  }

  // Every node and code reachable from the state roots of blocks [from, head]
  // that are on disk must be in the live state trie.
  void expect_roots_complete(uint64_t from, bool every_block) {
    const uint64_t head = chain_->head().number;
    size_t checked = 0;
    for (uint64_t b = from; b <= head; ++b) {
      if (!every_block && b % setup_.interval != 0 && b != from) continue;
      auto h = chain_->header_by_number(b);
      ASSERT_TRUE(h);
      Status missing;
      migration::testing::reachable_keys(dbm_->state_trie(), trie::NodeKey::plain(h->root), &missing);
      EXPECT_TRUE(missing) << "block " << b << ": " << missing.message();
      ++checked;
    }
    EXPECT_GT(checked, 1u);
  }

  uint64_t contract_slot(uint32_t contract, uint64_t slot) {
    auto r = chain_->state_reader_at(chain_->head().number);
    EXPECT_TRUE(r) << r.status().message();
    auto v = r->storage(contract_address(contract), word(slot));
    EXPECT_TRUE(v) << v.status().message();
    uint64_t out = 0;
    for (int i = 24; i < 32; ++i) out = (out << 8) | v->bytes[i];
    return out;
  }

  ScratchDir dir_;
  ChainSetup setup_;
  PrivateKey validator_ = key_from_seed("validator");
  PrivateKey dev_ = key_from_seed("dev account");
  rpc::MetricsRegistry metrics_;
  std::unique_ptr<chaindata::DBManager> dbm_;
  std::unique_ptr<MigrationHost> host_;
  std::unique_ptr<chain::BlockChain> chain_;
  QueueSource source_;
  chain::ProducerOptions popts_;
  std::unique_ptr<chain::BlockProducer> producer_;
  std::unique_ptr<rpc::MethodRegistry> methods_;
  std::unique_ptr<rpc::Dispatcher> dispatcher_;
  uint64_t nonce_ = 0;
  uint64_t blocks_made_ = 0;
};

MigrationHostOptions slow_copy(std::chrono::microseconds per_subtree) {
  MigrationHostOptions o;
  o.threads = 2;
  o.progress_interval = std::chrono::milliseconds(50);
  o.checkpoint_interval = std::chrono::milliseconds(100);
  o.before_subtree = [per_subtree](size_t, const trie::NodeKey&) { std::this_thread::sleep_for(per_subtree); };
  return o;
}

TEST_F(NodeMigrationTest, MigratesWhileTheProducerImportsBlocks) {
  open(ChainSetup{}, slow_copy(std::chrono::milliseconds(1)));
  for (int i = 0; i < 9; ++i) produce_block();
  const fs::path chaindata = dir_.path() / "chaindata";
  const std::string old_dir = *dbm_->dir_name(EntryType::kStateTrie);

  EXPECT_TRUE(call("admin_stateMigrationStatus")["result"]["err"].is_null());
  EXPECT_TRUE(call("admin_startStateMigration")["result"].is_null());
  const json again = call("admin_startStateMigration");
  ASSERT_TRUE(again.contains("error"));
  EXPECT_NE(again["error"]["message"].get<std::string>().find("already"), std::string::npos);
  EXPECT_EQ(call("admin_stateMigrationStatus")["result"]["phase"], "waiting");

  // The next committed state (interval 2) starts it: block 10.
  produce_block();
  const uint64_t n = chain_->head().number;
  ASSERT_EQ(n % 2, 0u);
  json st = call("admin_stateMigrationStatus")["result"];
  EXPECT_TRUE(st["isMigration"].get<bool>());
  EXPECT_EQ(st["migrationBlockNumber"], n);
  EXPECT_EQ(*rawdb::read_migration_status(*dbm_), n);
  EXPECT_EQ(*dbm_->dir_name(EntryType::kStateTrieMigration), chaindata::migration_dir_name(n));
  EXPECT_TRUE(call("admin_startStateMigration").contains("error"));

  // Blocks keep coming while it copies.
  const size_t during = produce_while_migrating();
  ASSERT_TRUE(host_->wait_idle(std::chrono::seconds(60)));
  EXPECT_GE(during, 3u) << "the copy finished before blocks could overlap it";
  st = call("admin_stateMigrationStatus")["result"];
  EXPECT_FALSE(st["isMigration"].get<bool>());
  EXPECT_EQ(st["phase"], "finished");
  EXPECT_EQ(st["progress"], 100.0);
  EXPECT_TRUE(st["err"].is_null()) << st.dump();
  EXPECT_GT(st["read"].get<uint64_t>(), 2000u);
  EXPECT_GE(st["committed"].get<uint64_t>(), st["read"].get<uint64_t>() / 2);
  EXPECT_EQ(host_->finished_count(), 1u);
  const std::string rendered = metrics_.render();
  EXPECT_NE(rendered.find("klay_migration_finished_total 1"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("klay_migration_progress_percent 100"), std::string::npos) << rendered;

  // Swapped: misc names the new directory, the old one is gone.
  EXPECT_EQ(*dbm_->dir_name(EntryType::kStateTrie), chaindata::migration_dir_name(n));
  EXPECT_FALSE(dbm_->is_open(EntryType::kStateTrieMigration));
  EXPECT_EQ(*rawdb::read_migration_status(*dbm_), 0u);
  EXPECT_FALSE(fs::exists(chaindata / old_dir));
  EXPECT_EQ(migration::testing::count_keys(dbm_->state_trie()).records, 0u);
  expect_roots_complete(n, /*every_block=*/false);

  // The node goes on over the new database, and the state survives a reopen.
  for (int i = 0; i < 5; ++i) produce_block();
  EXPECT_EQ(contract_slot(3, 1), 1000u + 3 * kSlots);
  close_all();
  open(ChainSetup{});
  EXPECT_EQ(*dbm_->dir_name(EntryType::kStateTrie), chaindata::migration_dir_name(n));
  EXPECT_EQ(contract_slot(3, 1), 1000u + 3 * kSlots);
  EXPECT_EQ(contract_slot(23, 40), 1000u + 23 * kSlots + 39);
  produce_block();
  expect_roots_complete(n, false);
}

TEST_F(NodeMigrationTest, RootWrittenBeforeItsUnchangedChildrenAreCopied) {
  // Archive mode: every block's state goes to disk (dual-written). While the
  // copy is at its first subtree, two blocks credit an account in a late
  // subtree: their new account-trie roots and the paths down to it reach the
  // new database before their unchanged children (N's, not copied yet) do.
  std::atomic<int> injected{0};
  uint32_t late = 0;
  while ((keccak256(key_from_seed("acct" + std::to_string(late)).address().view()).bytes[0] >> 4) < 0xc) ++late;
  const Address victim = key_from_seed("acct" + std::to_string(late)).address();
  MigrationHostOptions o;
  o.threads = 1;
  o.progress_interval = std::chrono::milliseconds(50);
  NodeMigrationTest* self = this;
  o.before_subtree = [self, &injected, victim](size_t task, const trie::NodeKey&) {
    int idle = 0;
    if (task != 0 || !injected.compare_exchange_strong(idle, 1)) return;
    for (int i = 0; i < 2; ++i) {
      self->source_.push({self->signed_tx(victim, 7, {})});
      auto b = self->producer_->produce_now();
      EXPECT_TRUE(b) << b.status().message();
    }
    injected = 2;
  };
  open(ChainSetup{kv::Backend::kLevelDB, 4, false, false, chain::GcMode::kArchive, 1}, std::move(o));
  for (int i = 0; i < 4; ++i) produce_block();
  ASSERT_TRUE(call("admin_startStateMigration")["result"].is_null());
  produce_block();
  const uint64_t n = chain_->head().number;
  const Hash root_n = chain_->head().header.root;
  ASSERT_TRUE(host_->wait_idle(std::chrono::seconds(60)));
  EXPECT_EQ(injected.load(), 2);
  EXPECT_EQ(chain_->head().number, n + 2);
  auto head_state = chain_->state_reader_at(n + 2);
  ASSERT_TRUE(head_state);
  EXPECT_EQ(*head_state->balance(victim), uint256(0x1234 + 14));
  EXPECT_EQ(contract_slot(17, 2), 1000u + 17 * kSlots + 1);
  const json st = call("admin_stateMigrationStatus")["result"];
  EXPECT_EQ(st["phase"], "finished") << st.dump();
  EXPECT_TRUE(st["err"].is_null()) << st.dump();
  EXPECT_EQ(*dbm_->dir_name(EntryType::kStateTrie), chaindata::migration_dir_name(n));
  Status missing;
  migration::testing::reachable_keys(dbm_->state_trie(), trie::NodeKey::plain(root_n), &missing);
  EXPECT_TRUE(missing) << missing.message();
  expect_roots_complete(n, /*every_block=*/true);
}

TEST_F(NodeMigrationTest, StopDropsTheNewDatabaseAndTheNodeStaysHealthy) {
  open(ChainSetup{}, slow_copy(std::chrono::milliseconds(20)));
  for (int i = 0; i < 5; ++i) produce_block();
  const std::string old_dir = *dbm_->dir_name(EntryType::kStateTrie);
  EXPECT_TRUE(call("admin_stopStateMigration").contains("error"));  // none running
  ASSERT_TRUE(call("admin_startStateMigration")["result"].is_null());
  produce_block();
  const uint64_t n = chain_->head().number;
  ASSERT_TRUE(dbm_->is_open(EntryType::kStateTrieMigration));
  for (int i = 0; i < 3; ++i) produce_block();
  const json running = call("admin_stateMigrationStatus")["result"];
  ASSERT_TRUE(running["isMigration"].get<bool>()) << running.dump();
  EXPECT_EQ(running["phase"], "copying");
  EXPECT_TRUE(call("admin_stopStateMigration")["result"].is_null());

  const json st = call("admin_stateMigrationStatus")["result"];
  EXPECT_FALSE(st["isMigration"].get<bool>());
  EXPECT_EQ(st["phase"], "stopped");
  EXPECT_EQ(st["migrationBlockNumber"], n);
  EXPECT_FALSE(dbm_->is_open(EntryType::kStateTrieMigration));
  EXPECT_FALSE(fs::exists(dir_.path() / "chaindata" / chaindata::migration_dir_name(n)));
  EXPECT_EQ(*rawdb::read_migration_status(*dbm_), 0u);
  EXPECT_EQ(*dbm_->dir_name(EntryType::kStateTrie), old_dir);
  EXPECT_EQ(host_->finished_count(), 0u);

  // Healthy: blocks, state reads, and a new migration that completes.
  for (int i = 0; i < 4; ++i) produce_block();
  EXPECT_EQ(contract_slot(0, 1), 1000u);
  expect_roots_complete(n, false);
  ASSERT_TRUE(call("admin_startStateMigration")["result"].is_null());
  produce_while_migrating();
  ASSERT_TRUE(host_->wait_idle(std::chrono::seconds(60)));
  EXPECT_EQ(host_->finished_count(), 1u);
  EXPECT_EQ(call("admin_stateMigrationStatus")["result"]["phase"], "finished");
}

TEST_F(NodeMigrationTest, RestartResumesFromTheCheckpoint) {
  open(ChainSetup{}, slow_copy(std::chrono::milliseconds(15)));
  for (int i = 0; i < 5; ++i) produce_block();
  ASSERT_TRUE(call("admin_startStateMigration")["result"].is_null());
  produce_block();
  const uint64_t n = chain_->head().number;
  for (int i = 0; i < 4; ++i) produce_block();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // past a checkpoint (every 100 ms)
  const migration::MigrationStatus first = host_->state_migration_status();
  ASSERT_TRUE(first.is_migration);
  ASSERT_GT(first.read, 0u);
  close_all();  // the migration stays recorded

  open(ChainSetup{}, slow_copy(std::chrono::microseconds(0)));
  EXPECT_TRUE(dbm_->is_open(EntryType::kStateTrieMigration));
  const migration::MigrationStatus resumed = host_->state_migration_status();
  EXPECT_TRUE(resumed.is_migration);
  EXPECT_EQ(resumed.block_num, n);
  produce_while_migrating();
  ASSERT_TRUE(host_->wait_idle(std::chrono::seconds(60)));
  const migration::MigrationStatus done = host_->state_migration_status();
  EXPECT_EQ(done.phase, "finished") << done.err;
  EXPECT_EQ(done.runs, 2u);
  EXPECT_GE(done.read + done.skipped, first.read);
  EXPECT_EQ(*dbm_->dir_name(EntryType::kStateTrie), chaindata::migration_dir_name(n));
  expect_roots_complete(n, false);
}

TEST_F(NodeMigrationTest, RefusedInSingleDbMode) {
  open(ChainSetup{kv::Backend::kLevelDB, 1, /*single=*/true});
  produce_block();
  const json r = call("admin_startStateMigration");
  ASSERT_TRUE(r.contains("error"));
  EXPECT_NE(r["error"]["message"].get<std::string>().find("single-DB"), std::string::npos) << r.dump();
  EXPECT_FALSE(host_->state_migration_status().is_migration);
}

TEST_F(NodeMigrationTest, RefusedWithLivePruning) {
  open(ChainSetup{kv::Backend::kLevelDB, 4, false, /*live_pruning=*/true});
  const json r = call("admin_startStateMigration");
  ASSERT_TRUE(r.contains("error"));
  EXPECT_NE(r["error"]["message"].get<std::string>().find("live pruning"), std::string::npos) << r.dump();
  EXPECT_FALSE(host_->state_migration_status().is_migration);
}

}  // namespace
}  // namespace klay::node
