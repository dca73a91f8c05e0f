// Trie microbenchmarks over N random 32-byte keys with 32-byte values.
//   build/bin/trie_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>

#include <benchmark/benchmark.h>

#include "engine/trie/hash_builder.h"
#include "engine/trie/secure_trie.h"

namespace klay::trie {
namespace {

struct Pairs {
  std::vector<Bytes> keys, values;
};

const Pairs& random_pairs(size_t n) {
  static std::map<size_t, Pairs> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  Pairs p;
  std::mt19937_64 rng(n);
  p.keys.resize(n, Bytes(32));
  p.values.resize(n, Bytes(32));
  for (size_t i = 0; i < n; ++i) {
    for (auto& b : p.keys[i]) b = static_cast<uint8_t>(rng());
    for (auto& b : p.values[i]) b = static_cast<uint8_t>(rng());
  }
  return cache.emplace(n, std::move(p)).first->second;
}

// No-op writer: measures encoding and key assignment, not map inserts.
class CountingWriter : public NodeWriter {
 public:
  Status put(ByteView key, ByteView node) override {
    bytes += key.size() + node.size();
    ++nodes;
    return Status::ok();
  }
  size_t bytes = 0, nodes = 0;
};

void BM_TrieInsertRoot(benchmark::State& state) {
  const auto& p = random_pairs(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    Trie t;
    for (size_t i = 0; i < p.keys.size(); ++i) (void)t.put(p.keys[i], p.values[i]);
    benchmark::DoNotOptimize(t.root_hash());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * p.keys.size()));
}

void BM_SecureTrieInsertRoot(benchmark::State& state) {
  const auto& p = random_pairs(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    SecureTrie t;
    for (size_t i = 0; i < p.keys.size(); ++i) (void)t.put(p.keys[i], p.values[i]);
    benchmark::DoNotOptimize(t.root_hash());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * p.keys.size()));
}

void BM_TrieCommit(benchmark::State& state) {
  const auto& p = random_pairs(static_cast<size_t>(state.range(0)));
  const bool ext = state.range(1) != 0;
  AtomicExtHashCounter counter(1);
  size_t nodes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Trie t(nullptr, TrieOptions{.ext_hash = ext, .counter = &counter});
    for (size_t i = 0; i < p.keys.size(); ++i) (void)t.put(p.keys[i], p.values[i]);
    benchmark::DoNotOptimize(t.root_hash());
    CountingWriter w;
    state.ResumeTiming();
    auto r = t.commit(w);
    benchmark::DoNotOptimize(r);
    nodes = w.nodes;
    state.PauseTiming();
    t = Trie();  // free outside the timed region
    state.ResumeTiming();
  }
  state.counters["nodes"] = static_cast<double>(nodes);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * p.keys.size()));
}

void BM_TrieCommitToMemoryStore(benchmark::State& state) {
  const auto& p = random_pairs(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    Trie t;
    for (size_t i = 0; i < p.keys.size(); ++i) (void)t.put(p.keys[i], p.values[i]);
    benchmark::DoNotOptimize(t.root_hash());
    auto store = std::make_unique<MemoryNodeStore>();
    state.ResumeTiming();
    auto r = t.commit(*store);
    benchmark::DoNotOptimize(r);
    state.PauseTiming();
    t = Trie();
    store.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * p.keys.size()));
}

// The pairs of random_pairs(n) sorted by key, copied in that order, as a
// caller streaming them from a database iterator or a sorted list sees them.
const Pairs& sorted_pairs(size_t n) {
  static std::map<size_t, Pairs> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  const auto& p = random_pairs(n);
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p.keys[a] < p.keys[b]; });
  Pairs sorted;
  sorted.keys.reserve(n);
  sorted.values.reserve(n);
  for (size_t i : order) {
    sorted.keys.push_back(p.keys[i]);
    sorted.values.push_back(p.values[i]);
  }
  return cache.emplace(n, std::move(sorted)).first->second;
}

// The same pairs as BM_TrieInsertRoot, in key order (sorting is not timed).
// Arg 1 walks them through an index into the unsorted pairs instead, so every
// key and value is a cache miss: that access pattern, not the builder, made
// this benchmark slower than BM_TrieInsertRoot before the sorted copy.
void BM_HashBuilderRoot(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const bool indirect = state.range(1) != 0;
  const auto& p = random_pairs(n);
  const auto& sorted = sorted_pairs(n);
  std::vector<size_t> order;
  if (indirect) {
    order.resize(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p.keys[a] < p.keys[b]; });
  }
  for (auto _ : state) {
    HashBuilder hb;
    if (indirect) {
      for (size_t i : order) (void)hb.add(p.keys[i], p.values[i]);
    } else {
      for (size_t i = 0; i < n; ++i) (void)hb.add(sorted.keys[i], sorted.values[i]);
    }
    benchmark::DoNotOptimize(hb.root());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}

void BM_TrieGetLoaded(benchmark::State& state) {
  const auto& p = random_pairs(static_cast<size_t>(state.range(0)));
  Trie t;
  for (size_t i = 0; i < p.keys.size(); ++i) (void)t.put(p.keys[i], p.values[i]);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(t.get(p.keys[i]));
    if (++i == p.keys.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

}  // namespace
}  // namespace klay::trie

// Key count: 1M by default; KLAY_TRIE_BENCH_KEYS overrides it (CTest sets a
// small value so the smoke run stays short).
int main(int argc, char** argv) {
  using namespace klay::trie;
  int64_t n = int64_t{1} << 20;
  if (const char* env = std::getenv("KLAY_TRIE_BENCH_KEYS")) n = std::max<int64_t>(1, std::atoll(env));
  const auto ms = benchmark::kMillisecond;
  benchmark::RegisterBenchmark("BM_TrieInsertRoot", BM_TrieInsertRoot)->Arg(n)->Unit(ms);
  benchmark::RegisterBenchmark("BM_SecureTrieInsertRoot", BM_SecureTrieInsertRoot)->Arg(n)->Unit(ms);
  benchmark::RegisterBenchmark("BM_TrieCommit", BM_TrieCommit)->Args({n, 0})->Args({n, 1})->Unit(ms);
  benchmark::RegisterBenchmark("BM_TrieCommitToMemoryStore", BM_TrieCommitToMemoryStore)->Arg(n)->Unit(ms);
  benchmark::RegisterBenchmark("BM_HashBuilderRoot", BM_HashBuilderRoot)->Args({n, 0})->Args({n, 1})->Unit(ms);
  benchmark::RegisterBenchmark("BM_TrieGetLoaded", BM_TrieGetLoaded)->Arg(n);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
