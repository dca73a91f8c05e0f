// Google Benchmark: copying a small synthetic state (memory backend) with
// dedupe and without. CTest runs it with a minimal time so a broken benchmark
// fails CI; real figures come from migration_bench on LevelDB.
#include <benchmark/benchmark.h>

#include <limits>

#include <string>

#include "engine/kv/open.h"
#include "migration/bench/synthetic_state.h"
#include "migration/trie_copier.h"

namespace {

using namespace klay;

void BM_CopySyntheticState(benchmark::State& state) {
  const bool dedupe = state.range(0) != 0;
  auto opened = kv::open_database(kv::Backend::kMemory, "migration-microbench-source-" + std::to_string(dedupe));
  if (!opened) {
    state.SkipWithError(opened.status().message().c_str());
    return;
  }
  auto& source = *opened;
  migration::bench::SyntheticShape shape;
  shape.unique_contracts = 200;
  shape.sharing_contracts = 200;
  shape.templates = 5;
  shape.slots = 40;
  shape.eoas = 200;
  auto st = migration::bench::generate_synthetic_state(*source, shape);
  if (!st) {
    state.SkipWithError(st.status().message().c_str());
    return;
  }
  uint64_t covered = 0;
  int round = 0;
  for (auto _ : state) {
    auto target_db = kv::open_database(kv::Backend::kMemory, "migration-microbench-target-" +
                                                                 std::to_string(dedupe) + "-" + std::to_string(round++));
    if (!target_db) {
      state.SkipWithError(target_db.status().message().c_str());
      return;
    }
    auto& target = *target_db;
    migration::SubtreeFilter subtrees(st->unique_nodes / 4), codes(1024);
    migration::CopyCounters counters;
    migration::CopyOptions opts;
    opts.threads = 2;
    if (!dedupe) opts.record_min_nodes = std::numeric_limits<uint64_t>::max();
    std::atomic<bool> stop{false};
    migration::TrieCopier copier(*source, *target, subtrees, codes, counters, opts, stop);
    if (Status s = copier.copy(st->root); !s) {
      state.SkipWithError(s.message().c_str());
      return;
    }
    covered += counters.read.load() + counters.skipped.load();
  }
  state.counters["nodes/s"] = benchmark::Counter(static_cast<double>(covered), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CopySyntheticState)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
