// live_import_bench: block import throughput with live pruning off and on,
// side by side, through the node's real code: `knode init` (with or without
// --state.live-pruning, retention 64), node::PruningHost (marks in each
// block's batch, pruning on the background thread), node::open_chain,
// BlockChain::insert_blocks, then the pruner drained (drain(): every mark due,
// including those a coalesced pass would still wait for) and stopped and the
// chain closed, all inside the clock. LevelDB, 4 state-trie shards.
//
// Blocks are built once per process (dev producer on a memory chain): each of
// `txns` senders sends one legacy/Klaytn value transfer per block to a fresh
// recipient, so the state grows and every block replaces many nodes.
// Each iteration imports the same blocks twice, off then on (the order flips
// every iteration), into fresh datadirs; counters:
//   off_ms, on_ms     wall-clock medians over iterations (pairs)
//   overhead_pct      median of the per-pair wall-clock (on/off - 1) * 100
//   off_cpu_s, on_cpu_s, cpu_overhead_pct   the same in CPU seconds of all threads
//                     (less sensitive to other load on a shared machine)
//   ext_only_cpu_overhead_pct  a third import per iteration: live-pruning datadir
//                     without the host (ExtHash keys, no marks, no pruning)
//   off_insert_stall_ms, on_insert_stall_ms   medians of insert_blocks' wall time
//                     minus the inserting thread's CPU time: how long the
//                     inserting thread was off the CPU (preempted or blocked)
//   insert_thread_cpu_delta_ms  median per pair of the inserting thread's CPU, on - off
//   last_pruned       lastPrunedBlockNumber after the "on" import
//   /0: --gcmode full (defaults: tries in memory 128, commit every 128)  /1: --gcmode archive
// Real measurement (identical "off" imports move by about +-5 % wall between
// runs on this 2-core machine: use >= 7 pairs and several runs):
//   KLAY_LIVE_BENCH_BLOCKS=400 KLAY_LIVE_BENCH_TXNS=100 KLAY_LIVE_BENCH_PAIRS=7 build/bin/live_import_bench
// Diagnostics: KLAY_LIVE_BENCH_ONLY=on|off runs only that side (one import
// per iteration; counters wall_s, cpu_s, insert_wall_s, insert_thread_cpu_s,
// drain_close_s), e.g. under `perf record`; KLAY_LIVE_BENCH_RETENTION (default
// 64) past the chain's length writes marks and deletes nothing.
#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
#include "node/init_command.h"
#include "node/node_open.h"
#include "node/pruning_host.h"

namespace klay::pruning {
namespace {

using namespace chain::bench_fixture;

struct Prepared {
  std::string genesis;
  std::vector<Block> blocks;
};

const Prepared& prepared() {
  static std::unique_ptr<Prepared> p;
  if (p) return *p;
  const size_t num_blocks = env_size("KLAY_LIVE_BENCH_BLOCKS", 200);
  const size_t txns = env_size("KLAY_LIVE_BENCH_TXNS", 50);
  p = std::make_unique<Prepared>();
  const PrivateKey validator = key_of("validator");
  std::vector<PrivateKey> senders;
  for (size_t i = 0; i < txns; ++i) senders.push_back(key_of("bench-sender-" + std::to_string(i)));
  p->genesis = genesis_json(validator.address(), senders);
  TempDir dir;
  chaindata::Config c;
  c.backend = kv::Backend::kMemory;
  auto dbm = chaindata::DBManager::open(dir.path, c);
  if (!dbm) throw std::runtime_error(dbm.status().message());
  if (auto s = rawdb::setup_genesis(**dbm, p->genesis); !s) throw std::runtime_error(s.status().message());
  auto bc = chain::BlockChain::open(**dbm);
  if (!bc) throw std::runtime_error(bc.status().message());
  ListSource source;
  chain::ProducerOptions po;
  po.max_txns = txns;
  auto t = std::make_shared<uint64_t>(uint64_t{0x60000000} * 1000);
  po.now_ms = [t] { return *t += 1000; };
  auto producer = chain::BlockProducer::create(**bc, validator, &source, po);
  if (!producer) throw std::runtime_error(producer.status().message());
  uint64_t recipient = 0;
  for (size_t b = 0; b < num_blocks; ++b) {
    for (size_t i = 0; i < txns; ++i) {
      const Address to = Address::from(keccak256(as_view("to-" + std::to_string(recipient++))).view().subspan(12));
      source.next.push_back(transfer(senders[i], b, to, i % 2 == 1));
    }
    auto block = (*producer)->produce_now();
    if (!block) throw std::runtime_error(block.status().message());
    p->blocks.push_back(std::move(block->block));
  }
  return *p;
}

struct ImportResult {
  double seconds = 0;
  double cpu_seconds = 0;  // user + system of every thread (TBB workers, the pruning thread)
  double insert_seconds = 0;      // wall: insert_blocks alone
  double insert_cpu_seconds = 0;  // the inserting thread's CPU during insert_blocks
  double drain_seconds = 0;       // wall: drain() + stopping the pruner + closing the chain
  uint64_t last_pruned = 0;
};

double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// live_pruning: init with --state.live-pruning. hooks: run it through
// PruningHost (marks + pruning); without, the chain still keys state by
// ExtHash (misc decides) but writes no marks and prunes nothing: the share of
// the overhead that ExtHash keys alone cost.
ImportResult import_once(const Prepared& p, bool live_pruning, bool archive, bool hooks = true) {
  TempDir dir;
  const auto datadir = dir.path / "node";
  {
    std::ofstream(dir.path / "genesis.json") << p.genesis;
  }
  node::InitOptions init;
  init.datadir = datadir.string();
  init.genesis = (dir.path / "genesis.json").string();
  init.live_pruning = live_pruning;
  // KLAY_LIVE_BENCH_RETENTION (default 64): a retention past the chain's
  // length leaves marks only (no deletion): the two costs apart.
  init.live_pruning_retention = env_size("KLAY_LIVE_BENCH_RETENTION", 64);
  FILE* devnull = std::fopen("/dev/null", "w");
  cli::Context quiet{devnull, devnull};
  const int rc = node::run_init(init, quiet);
  std::fclose(devnull);
  if (rc != cli::kExitOk) throw std::runtime_error("knode init failed");

  chain::BlockChainOptions options;
  options.gc_mode = archive ? chain::GcMode::kArchive : chain::GcMode::kFull;
  chain::BlockChainOptions plain_options = options;
  auto host = node::PruningHost::prepare(datadir, options);
  if (!host) throw std::runtime_error(host.status().message());
  if (!hooks) options = plain_options;
  ImportResult out;
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = process_cpu_seconds();
  auto opened = node::open_chain(datadir, options);
  if (!opened) throw std::runtime_error(opened.status().message());
  Result<std::unique_ptr<node::RunningPruning>> running = std::unique_ptr<node::RunningPruning>();
  if (hooks) running = (*host)->start(*opened->dbm, *opened->chain);
  if (!running) throw std::runtime_error(running.status().message());
  if ((live_pruning && hooks) != (*running != nullptr))
    throw std::runtime_error("live pruning did not start as configured");
  const auto ti0 = std::chrono::steady_clock::now();
  const double tcpu0 = thread_cpu_seconds();
  auto stats = opened->chain->insert_blocks(p.blocks);
  out.insert_cpu_seconds = thread_cpu_seconds() - tcpu0;
  const auto ti1 = std::chrono::steady_clock::now();
  out.insert_seconds = std::chrono::duration<double>(ti1 - ti0).count();
  if (!stats || stats->inserted != p.blocks.size())
    throw std::runtime_error(stats ? "not every block was inserted" : stats.status().message());
  if (*running) {
    (*running)->drain();
    out.last_pruned = (*running)->pruner().last_pruned();
    running->reset();
  }
  if (Status s = opened->close(); !s) throw std::runtime_error(s.message());
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.drain_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ti1).count();
  out.cpu_seconds = process_cpu_seconds() - cpu0;
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void BM_LiveImport(benchmark::State& state) {
  const bool archive = state.range(0) == 1;
  const Prepared& p = prepared();
  std::vector<double> off, on, overhead, off_cpu, on_cpu, cpu_overhead, ext_cpu_overhead, off_stall, on_stall,
      on_insert_cpu_delta;
  uint64_t last_pruned = 0;
  size_t i = 0;
  const char* only = std::getenv("KLAY_LIVE_BENCH_ONLY");
  if (only) {
    std::vector<double> w, c, iw, ic, d;
    for (auto _ : state) {
      ImportResult r = import_once(p, std::string(only) == "on", archive);
      state.SetIterationTime(r.seconds);
      w.push_back(r.seconds);
      c.push_back(r.cpu_seconds);
      iw.push_back(r.insert_seconds);
      ic.push_back(r.insert_cpu_seconds);
      d.push_back(r.drain_seconds);
    }
    state.counters["wall_s"] = median(w);
    state.counters["cpu_s"] = median(c);
    state.counters["insert_wall_s"] = median(iw);
    state.counters["insert_thread_cpu_s"] = median(ic);
    state.counters["drain_close_s"] = median(d);
    return;
  }
  for (auto _ : state) {
    ImportResult a, b, e;
    if (i++ % 2 == 0) {
      a = import_once(p, false, archive);
      e = import_once(p, true, archive, false);
      b = import_once(p, true, archive);
    } else {
      b = import_once(p, true, archive);
      e = import_once(p, true, archive, false);
      a = import_once(p, false, archive);
    }
    ext_cpu_overhead.push_back((e.cpu_seconds / a.cpu_seconds - 1) * 100);
    off.push_back(a.seconds);
    on.push_back(b.seconds);
    overhead.push_back((b.seconds / a.seconds - 1) * 100);
    off_cpu.push_back(a.cpu_seconds);
    on_cpu.push_back(b.cpu_seconds);
    cpu_overhead.push_back((b.cpu_seconds / a.cpu_seconds - 1) * 100);
    off_stall.push_back(a.insert_seconds - a.insert_cpu_seconds);
    on_stall.push_back(b.insert_seconds - b.insert_cpu_seconds);
    on_insert_cpu_delta.push_back(b.insert_cpu_seconds - a.insert_cpu_seconds);
    last_pruned = b.last_pruned;
    state.SetIterationTime(a.seconds + b.seconds);
  }
  state.counters["off_ms"] = median(off) * 1000;
  state.counters["on_ms"] = median(on) * 1000;
  state.counters["overhead_pct"] = median(overhead);
  state.counters["off_cpu_s"] = median(off_cpu);
  state.counters["on_cpu_s"] = median(on_cpu);
  state.counters["cpu_overhead_pct"] = median(cpu_overhead);
  state.counters["ext_only_cpu_overhead_pct"] = median(ext_cpu_overhead);
  state.counters["off_insert_stall_ms"] = median(off_stall) * 1000;
  state.counters["on_insert_stall_ms"] = median(on_stall) * 1000;
  state.counters["insert_thread_cpu_delta_ms"] = median(on_insert_cpu_delta) * 1000;
  state.counters["last_pruned"] = static_cast<double>(last_pruned);
  state.counters["blocks"] = static_cast<double>(p.blocks.size());
  state.counters["txns_per_block"] = static_cast<double>(p.blocks.empty() ? 0 : p.blocks[0].transactions.size());
}
BENCHMARK(BM_LiveImport)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(static_cast<benchmark::IterationCount>(std::max<size_t>(1, env_size("KLAY_LIVE_BENCH_PAIRS", 1))));

}  // namespace
}  // namespace klay::pruning

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
