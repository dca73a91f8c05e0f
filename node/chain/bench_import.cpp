// chain_bench: importing pre-built blocks of value transfers into a fresh
// LevelDB datadir (gcmode full), sender recovery included.
//
// Outside the timed region: 1000 funded senders, blocks built by the dev
// producer on a memory-backed source chain (each sender one transfer per
// block, half legacy, half Klaytn value transfers), a fresh datadir with the
// genesis. Timed: BlockChain::insert_blocks over every block (verification,
// parallel sender recovery, execution, roots, writes), then close() (the
// head state flush a clean shutdown does).
//
//   build/bin/chain_bench --benchmark_filter=Import --benchmark_repetitions=3
// Sizes: KLAY_CHAIN_BENCH_BLOCKS (default 100), KLAY_CHAIN_BENCH_TXNS (default 1000);
// the CTest entry bench.chain_bench sets 4 and 200 (tests/chain/CMakeLists.txt).
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/keccak.h"
#include "engine/klaytn/istanbul_extra.h"
#include "engine/rawdb/genesis_commit.h"
#include "node/chain/blockchain.h"
#include "node/chain/bench_fixture.h"
#include "node/chain/pending_source.h"
#include "node/chain/producer.h"

namespace klay::chain {
namespace {

using namespace bench_fixture;

chaindata::Config config(kv::Backend backend) {
  chaindata::Config c;
  c.backend = backend;
  return c;
}

struct Prepared {
  std::string genesis;
  std::vector<Block> blocks;
  size_t txns = 0;
};

// Built once per process: signing and producing are not what is measured.
const Prepared& prepared(size_t num_blocks, size_t txns_per_block) {
  static std::unique_ptr<Prepared> p;
  if (p) return *p;
  p = std::make_unique<Prepared>();
  const PrivateKey validator = key_of("validator");
  std::vector<PrivateKey> senders;
  for (size_t i = 0; i < txns_per_block; ++i) senders.push_back(key_of("bench-sender-" + std::to_string(i)));
  p->genesis = genesis_json(validator.address(), senders);
  TempDir dir;
  auto dbm = chaindata::DBManager::open(dir.path, config(kv::Backend::kMemory));
  if (!dbm) throw std::runtime_error(dbm.status().message());
  if (auto s = rawdb::setup_genesis(**dbm, p->genesis); !s) throw std::runtime_error(s.status().message());
  auto chain = BlockChain::open(**dbm);
  if (!chain) throw std::runtime_error(chain.status().message());
  ListSource source;
  ProducerOptions po;
  po.max_txns = txns_per_block;
  auto t = std::make_shared<uint64_t>(uint64_t{0x60000000} * 1000);
  po.now_ms = [t] { return *t += 1000; };
  auto producer = BlockProducer::create(**chain, validator, &source, po);
  if (!producer) throw std::runtime_error(producer.status().message());
  const Address to = key_of("bench-recipient").address();
  for (size_t b = 0; b < num_blocks; ++b) {
    for (size_t i = 0; i < txns_per_block; ++i) source.next.push_back(transfer(senders[i], b, to, i % 2 == 1));
    auto block = (*producer)->produce_now();
    if (!block) throw std::runtime_error(block.status().message());
    p->txns += block->block.transactions.size();
    p->blocks.push_back(std::move(block->block));
  }
  return *p;
}

// User + system CPU seconds of every thread of the process so far.
double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

void BM_ImportTransfers(benchmark::State& state) {
  double cpu = 0;
  const Prepared& p = prepared(env_size("KLAY_CHAIN_BENCH_BLOCKS", 100), env_size("KLAY_CHAIN_BENCH_TXNS", 1000));
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = std::make_unique<TempDir>();
    auto dbm = chaindata::DBManager::open(dir->path, config(kv::Backend::kLevelDB));
    if (!dbm) throw std::runtime_error(dbm.status().message());
    if (auto s = rawdb::setup_genesis(**dbm, p.genesis); !s) throw std::runtime_error(s.status().message());
    auto chain = BlockChain::open(**dbm);  // gcmode full, defaults
    if (!chain) throw std::runtime_error(chain.status().message());
    state.ResumeTiming();
    const double cpu_start = process_cpu_seconds();

    auto stats = (*chain)->insert_blocks(p.blocks);
    if (!stats || stats->inserted != p.blocks.size())
      state.SkipWithError(stats ? "not every block was inserted" : stats.status().message().c_str());
    if (auto s = (*chain)->close(); !s) state.SkipWithError(s.message().c_str());

    cpu += process_cpu_seconds() - cpu_start;
    state.PauseTiming();
    chain->reset();
    dbm->reset();
    dir.reset();
    state.ResumeTiming();
  }
  state.counters["tx/s"] = benchmark::Counter(static_cast<double>(p.txns) * static_cast<double>(state.iterations()),
                                              benchmark::Counter::kIsRate);
  state.counters["blocks"] = static_cast<double>(p.blocks.size());
  // CPU of all threads (sender recovery runs on TBB workers): on a loaded
  // machine wall-clock tx/s understates what the code does per core.
  const double txns = static_cast<double>(p.txns) * static_cast<double>(state.iterations());
  state.counters["cpu_s_all_threads"] = cpu / static_cast<double>(state.iterations());
  state.counters["tx_per_cpu_s"] = cpu > 0 ? txns / cpu : 0;
}
BENCHMARK(BM_ImportTransfers)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace klay::chain

BENCHMARK_MAIN();
