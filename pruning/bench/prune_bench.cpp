// Pruning benchmarks on LevelDB (4 state-trie shards), over MiniChain states
// (tests/pruning/pruning_test_support.h):
//   BM_OfflinePrune      offline prune of a plain-key datadir with much garbage;
//                        counters: mark and sweep rates (nodes/s, keys/s).
//   BM_BlockCommit/0     ExtHash block commit without marks or pruning
//   BM_BlockCommit/1     the same plus marks in the block batch and a prune
//                        step per block (retention 16): the live-pruning overhead
//                        is the ratio of the two times.
//   BM_BlockCommit/2     marks in the batch, pruning on the background thread
//                        (notify per block): the import thread's share.
// Real measurements:
//   build/bin/prune_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <chrono>

#include "pruning/live_pruner.h"
#include "pruning/offline_pruner.h"
#include "tests/pruning/pruning_test_support.h"

namespace klay::pruning {
namespace {

void BM_OfflinePrune(benchmark::State& state) {
  const size_t blocks = static_cast<size_t>(state.range(0));
  double mark_nodes = 0, mark_s = 0, swept = 0, sweep_s = 0, deleted = 0;
  for (auto _ : state) {
    testing::ScratchDir dir;
    auto dbm = testing::open_manager(dir.path());
    {
      testing::MiniChainOptions o;
      o.ext_hash = false;
      o.write_marks = false;
      o.eoas = 3000;
      o.contracts = 40;
      o.slots = 60;
      o.changes_per_block = 40;
      testing::MiniChain chain(*dbm, o);
      chain.add_blocks(blocks);
    }
    OfflinePruneOptions po;
    po.free_space_headroom = 1 << 20;
    po.compact = false;
    const auto t0 = std::chrono::steady_clock::now();
    auto r = prune_offline(*dbm, po);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r) {
      state.SkipWithError(r.status().message().c_str());
      return;
    }
    state.SetIterationTime(secs);
    mark_nodes += static_cast<double>(r->nodes_marked);
    mark_s += r->mark_seconds;
    swept += static_cast<double>(r->keys_scanned);
    sweep_s += r->sweep_seconds;
    deleted += static_cast<double>(r->nodes_deleted);
  }
  state.counters["mark_nodes/s"] = mark_s > 0 ? mark_nodes / mark_s : 0;
  state.counters["sweep_keys/s"] = sweep_s > 0 ? swept / sweep_s : 0;
  state.counters["deleted"] = deleted / static_cast<double>(state.iterations());
  state.counters["scanned"] = swept / static_cast<double>(state.iterations());
}
BENCHMARK(BM_OfflinePrune)->Arg(100)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(1);

void BM_BlockCommit(benchmark::State& state) {
  const bool live = state.range(0) != 0;
  testing::ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  testing::MiniChainOptions o;
  o.write_marks = live;
  o.eoas = 3000;
  o.contracts = 40;
  o.slots = 60;
  o.changes_per_block = 40;
  testing::MiniChain chain(*dbm, o);
  std::unique_ptr<LivePruner> pruner;
  if (live) {
    LivePrunerOptions po;
    po.retention = 16;
    auto p = LivePruner::open(*dbm, po, chain.head());
    if (!p) {
      state.SkipWithError(p.status().message().c_str());
      return;
    }
    pruner = std::move(*p);
    if (state.range(0) == 2) pruner->start_background();
  }
  chain.add_blocks(20);  // warm up past the retention
  uint64_t marks = 0;
  for (auto _ : state) {
    chain.add_block();
    if (pruner && state.range(0) == 2) {
      pruner->notify(chain.position());
    } else if (pruner) {
      auto r = pruner->prune(chain.position());
      if (!r) {
        state.SkipWithError(r.status().message().c_str());
        return;
      }
      marks += r->marks;
    }
  }
  if (pruner) pruner->stop_background();
  state.counters["blocks/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["marks/block"] = static_cast<double>(marks) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_BlockCommit)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

}  // namespace
}  // namespace klay::pruning

BENCHMARK_MAIN();
