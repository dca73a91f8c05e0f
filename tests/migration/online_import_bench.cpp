// migration_import_bench (manual, not a test): the block import rate of a
// chain with and without an online state migration running (issue 6: import
// must not slow below half its normal rate).
//
//   build/bin/migration_import_bench [--accounts 200000] [--blocks 600] [--txs 100] [--interval 16] [--threads 0]
//
// Builds a chain of `blocks` blocks of `txs` transfers over a genesis of
// `accounts` accounts, then imports them twice into fresh datadirs (LevelDB,
// 4 state-trie shards, full mode, state committed every `interval` blocks):
// once plainly, once with admin_startStateMigration's path (MigrationHost)
// requested after the first 2*interval blocks. Prints the import rate over
// the blocks imported while the migration ran, and over the same block range
// in the plain import, as one JSON line.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/core/keccak.h"
#include "engine/rawdb/genesis_commit.h"
#include "node/chain/producer.h"
#include "node/dev_chain.h"
#include "node/migration_host.h"
#include "tests/migration/migration_test_support.h"

namespace klay::node {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

PrivateKey key_from_seed(const std::string& seed) { return *PrivateKey::from_bytes(keccak256(as_view(seed)).view()); }

Address account(uint32_t i) {
  Address a;
  const Hash h = keccak256(as_view("bench account " + std::to_string(i)));
  std::memcpy(a.bytes.data(), h.bytes.data(), 20);
  return a;
}

class ListSource : public chain::PendingSource {
 public:
  std::vector<Transaction> next;
  std::vector<Transaction> pending(size_t) override { return next; }
  void remove_included(const Block&) override { next.clear(); }
  void remove_invalid(const std::vector<Hash>& h) override {
    std::fprintf(stderr, "%zu transactions were not includable\n", h.size());
    std::exit(3);
  }
};

struct Args {
  uint32_t accounts = 200000;
  uint32_t blocks = 600;
  uint32_t txs = 100;
  uint64_t interval = 16;
  size_t threads = 0;
};

std::unique_ptr<chaindata::DBManager> open_db(const std::filesystem::path& dir) {
  return migration::testing::open_manager(dir, migration::testing::small_config(kv::Backend::kLevelDB, 4));
}

void die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), s.message().c_str());
  std::exit(3);
}

struct ImportRun {
  std::vector<double> at;  // seconds since the import started, after each block
  uint64_t mig_first = 0, mig_last = 0;  // blocks imported while the migration ran (index range)
  migration::MigrationStatus status;
};

ImportRun import_all(const std::filesystem::path& dir, const std::string& genesis, const std::vector<Block>& blocks,
                     const Args& a, bool migrate) {
  auto dbm = open_db(dir);
  if (auto g = rawdb::setup_genesis(*dbm, genesis); !g) die("genesis", g.status());
  MigrationHostOptions ho;
  ho.threads = a.threads;
  MigrationHost host(nullptr, ho);
  chain::BlockChainOptions o;
  o.state_block_interval = a.interval;
  host.prepare(o);
  auto chain = chain::BlockChain::open(*dbm, o);
  if (!chain) die("open", chain.status());
  if (Status s = host.attach(**chain); !s) die("attach", s);
  ImportRun run;
  bool requested = false, seen_running = false;
  const auto t0 = Clock::now();
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (migrate && !requested && i == 2 * a.interval) {
      if (Status s = host.start_state_migration(); !s) die("start", s);
      requested = true;
    }
    if (Status s = (*chain)->insert_block(blocks[i]); !s) die("insert", s);
    run.at.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    if (requested) {
      const migration::MigrationStatus st = host.state_migration_status();
      if (st.is_migration && st.phase != "waiting") {
        if (!seen_running) run.mig_first = i;
        seen_running = true;
        run.mig_last = i;
      }
    }
  }
  if (migrate) {
    host.wait_idle(std::chrono::minutes(10));
    run.status = host.state_migration_status();
  }
  host.shutdown();
  if (Status s = (*chain)->close(); !s) die("close", s);
  chain->reset();
  (void)dbm->close();
  return run;
}

double rate(const ImportRun& r, uint64_t first, uint64_t last) {
  if (last <= first) return 0;
  const double before = first == 0 ? 0 : r.at[first - 1];
  return static_cast<double>(last - first + 1) / (r.at[last] - before);
}

int run(const Args& a) {
  spdlog::set_level(spdlog::level::warn);
  migration::testing::ScratchDir scratch;
  const PrivateKey validator = key_from_seed("validator"), dev = key_from_seed("dev account");
  json genesis = json::parse(dev_genesis_json(validator.address(), dev.address(), 0x60000000));
  for (uint32_t i = 0; i < a.accounts; ++i) genesis["alloc"][account(i).hex()] = {{"balance", "0x1"}};
  const std::string genesis_text = genesis.dump();

  // The blocks, produced once.
  std::vector<Block> blocks;
  {
    auto dbm = open_db(scratch.path() / "source");
    if (auto g = rawdb::setup_genesis(*dbm, genesis_text); !g) die("genesis", g.status());
    chain::BlockChainOptions o;
    o.state_block_interval = a.interval;
    auto chain = chain::BlockChain::open(*dbm, o);
    if (!chain) die("open", chain.status());
    ListSource source;
    chain::ProducerOptions po;
    po.now_ms = [t = uint64_t{0x60000000} * 1000]() mutable { return t += 1000; };
    po.max_txns = a.txs;
    auto producer = chain::BlockProducer::create(**chain, validator, &source, po);
    if (!producer) die("producer", producer.status());
    uint64_t nonce = 0;
    for (uint32_t b = 0; b < a.blocks; ++b) {
      for (uint32_t i = 0; i < a.txs; ++i) {
        Transaction t;
        t.type = TxType::kEthereumDynamicFee;
        t.nonce = nonce++;
        t.gas = 21000;
        t.to = account(static_cast<uint32_t>((uint64_t{b} * a.txs + i) * 2654435761u % a.accounts));
        t.value = uint256(1);
        t.gas_fee_cap = uint256(50000000000ULL);
        t.chain_id = uint256(kDevChainId);
        const Signature sig = dev.sign(signing_hash(t, uint256(kDevChainId)));
        t.signatures = {TxSignature{uint256(sig.recid), sig.r, sig.s}};
        source.next.push_back(std::move(t));
      }
      auto p = (*producer)->produce_now();
      if (!p) die("produce", p.status());
      blocks.push_back(std::move(p->block));
    }
    producer->reset();
    (void)(*chain)->close();
    chain->reset();
    (void)dbm->close();
  }

  const ImportRun with = import_all(scratch.path() / "with", genesis_text, blocks, a, true);
  const ImportRun plain = import_all(scratch.path() / "plain", genesis_text, blocks, a, false);
  const double r_with = rate(with, with.mig_first, with.mig_last);
  const double r_plain = rate(plain, with.mig_first, with.mig_last);
  const double r_plain_all = rate(plain, 0, blocks.size() - 1);
  json out = {{"accounts", a.accounts},
              {"blocks", a.blocks},
              {"txs_per_block", a.txs},
              {"migration_block", with.status.block_num},
              {"migration_phase", with.status.phase},
              {"migration_err", with.status.err},
              {"migration_nodes_read", with.status.read},
              {"blocks_imported_while_migrating", with.mig_last >= with.mig_first && with.mig_last > 0
                                                      ? with.mig_last - with.mig_first + 1 : 0},
              {"blocks_per_s_while_migrating", r_with},
              {"blocks_per_s_same_range_without", r_plain},
              {"blocks_per_s_without_all", r_plain_all},
              {"ratio", r_plain > 0 ? r_with / r_plain : 0}};
  std::printf("%s\n", out.dump().c_str());
  return with.status.phase == "finished" ? 0 : 1;
}

}  // namespace
}  // namespace klay::node

int main(int argc, char** argv) {
  klay::node::Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const uint64_t v = std::strtoull(argv[i + 1], nullptr, 10);
    if (k == "--accounts") a.accounts = static_cast<uint32_t>(v);
    else if (k == "--blocks") a.blocks = static_cast<uint32_t>(v);
    else if (k == "--txs") a.txs = static_cast<uint32_t>(v);
    else if (k == "--interval") a.interval = v;
    else if (k == "--threads") a.threads = v;
    else {
      std::fprintf(stderr, "usage: migration_import_bench [--accounts N] [--blocks N] [--txs N] [--interval N] [--threads T]\n");
      return 2;
    }
  }
  return klay::node::run(a);
}
