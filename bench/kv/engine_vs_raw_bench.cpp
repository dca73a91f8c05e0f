// Our kv interface against each backend's own API called directly (LevelDB,
// RocksDB, liblmdb), with the same options and data on both sides (see
// bench_sides.h). Six cases per backend, each as a pair
// "<backend>/<case>/engine" and "<backend>/<case>/raw":
//   fill_seq    one put per op, keys in ascending order (BE64(i) + 24 random bytes)
//   fill_rand   one put per op, random 32-byte keys
//   batch_write one ~100 KiB batch (kIdealBatchSize) of random keys per op
//   read_hit    a random get of a present key (fixture of kReadKeys keys)
//   read_miss   a random get of an absent key (bloom filters / tree descent)
//   scan        a forward scan of the whole fixture per op, reading every key
//               and value byte (bench_sides.h, consume())
// Values are 100 pseudo-random bytes. The write cases run a fixed number of
// ops into a fresh database per run, so both sides write the same amount.
// The memory backend has no raw API and is not measured.
//
// Each case also runs as "<backend>/<case>/paired": both sides open at once
// (the read cases on two byte-identical copies of the fixture), taking turns
// on identical chunks of work, each chunk timed on its own (interleaved.h).
// The read cases swap the two copies between the sides halfway through.
// "<backend>/<read case>/aa/paired" runs the raw API on both sides (an A/A
// calibration): its distance from 1 is the method's own bias for that case,
// to read next to the engine/raw ratio.
// Its counters: cpu_ratio (median over chunk pairs of engine/raw CPU time),
// cpu_ratio_p25/p75 (their spread), wall_ratio, engine_cpu_ns and raw_cpu_ns
// (median per chunk). Chunks: fill_* 1000 puts, batch_write 2 batches,
// read_* 2000 gets, scan 1 scan; 101 pairs (41 for scan). The write cases
// fill two fresh databases with the same keys in lockstep, so each pair
// compares the two sides at the same database size. These ratios are the
// ones to quote: separate runs of the per-side benchmarks above drift by
// several percent against each other on a shared machine.
//
//   engine_vs_raw_bench --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true
//                       --benchmark_report_aggregates_only=true [--benchmark_out=FILE.json]
// ends with the engine/raw ratio table (ratio_reporter.h).
// KLAY_BENCH_SMOKE=1 (set by CTest) shrinks the fixed counts and the fixture.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>

#include "bench/kv/bench_sides.h"
#include "bench/kv/interleaved.h"
#include "bench/kv/ratio_reporter.h"

namespace klay::kv::bench {
namespace {

constexpr size_t kKeySize = 32;
constexpr size_t kValueSize = 100;
constexpr size_t kPerBatch = kIdealBatchSize / (kKeySize + kValueSize);

struct Sizes {
  int64_t put_ops = 50000;      // fill_seq / fill_rand ops per run
  int64_t write_batches = 300;  // batch_write ops per run
  uint64_t read_keys = 100000;  // fixture keys (13 MB)
  // The "/paired" cases: chunk pairs, and ops per chunk.
  int64_t pairs = 101;
  int64_t scan_pairs = 41;
  size_t puts_per_chunk = 1000;
  size_t batches_per_chunk = 2;
  size_t gets_per_chunk = 2000;
};

const Sizes& sizes() {
  static const Sizes s = [] {
    Sizes v;
    if (std::getenv("KLAY_BENCH_SMOKE") != nullptr) v = Sizes{200, 3, 2000, 3, 3, 50, 1, 100};
    return v;
  }();
  return s;
}

uint64_t splitmix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Random key i: 32 pseudo-random bytes (like a hash).
void random_key(uint64_t i, uint8_t* out) {
  uint64_t s = i;
  for (int w = 0; w < 4; ++w) put_le64(out + 8 * w, splitmix(s));
}
// Sequential key i: ascending in i.
void seq_key(uint64_t i, uint8_t* out) {
  uint64_t s = i ^ 0x5555;
  put_be64(out, i);
  for (int w = 1; w < 4; ++w) put_le64(out + 8 * w, splitmix(s));
}
void make_value(uint64_t i, uint8_t* out) {
  uint64_t s = ~i;
  for (size_t w = 0; w + 8 <= kValueSize; w += 8) put_le64(out + w, splitmix(s));
  put_le64(out + kValueSize - 8, i);
}

// Declared before `cleanup` so it is destroyed after it.
const fs::path kScratchRoot = fs::temp_directory_path() / ("klay-kv-bench-" + std::to_string(::getpid()));

struct Cleanup {
  ~Cleanup() {
    std::error_code ec;
    fs::remove_all(kScratchRoot, ec);
  }
} cleanup;

// A fresh directory per run, removed when the run ends, so every repetition
// writes into an empty database and the disk does not fill up.
class WriteDir {
 public:
  WriteDir() {
    static std::atomic<uint64_t> next{0};
    path_ = kScratchRoot / ("write-" + std::to_string(next++));
  }
  ~WriteDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A directory holding read_keys random keys, written through the engine and
// fully compacted, once per backend; both sides then read it.
const fs::path& read_fixture(Backend backend) {
  static std::map<Backend, fs::path> made;
  auto it = made.find(backend);
  if (it != made.end()) return it->second;
  fs::path dir = kScratchRoot / (std::string(backend_name(backend)) + "-read");
  if (auto db = open_database(backend, dir)) {
    auto batch = (*db)->new_batch();
    uint8_t key[kKeySize], value[kValueSize];
    for (uint64_t i = 0; i < sizes().read_keys; ++i) {
      random_key(i, key);
      make_value(i, value);
      batch->put({key, kKeySize}, {value, kValueSize});
      if (batch->value_bytes() >= kIdealBatchSize) {
        (void)(*db)->write(*batch);
        batch->clear();
      }
    }
    (void)(*db)->write(*batch);
    (void)(*db)->compact();
    (void)(*db)->close();
  }
  return made.emplace(backend, std::move(dir)).first->second;
}

template <typename Side>
bool opened(benchmark::State& state, const Side& side) {
  if (side.error.empty()) return true;
  state.SkipWithError(side.error.c_str());
  return false;
}

template <Backend B, typename Side, bool kSequential>
void BM_Fill(benchmark::State& state) {
  WriteDir dir;
  Side side(dir.path());
  if (!opened(state, side)) return;
  uint8_t key[kKeySize], value[kValueSize];
  uint64_t i = 0;
  for (auto _ : state) {
    kSequential ? seq_key(i, key) : random_key(i, key);
    make_value(i++, value);
    if (!side.put({key, kKeySize}, {value, kValueSize})) {
      state.SkipWithError(side.error.c_str());
      break;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

template <Backend B, typename Side>
void BM_BatchWrite(benchmark::State& state) {
  WriteDir dir;
  Side side(dir.path());
  if (!opened(state, side)) return;
  uint8_t key[kKeySize], value[kValueSize];
  uint64_t n = 0;
  for (auto _ : state) {
    for (size_t j = 0; j < kPerBatch; ++j, ++n) {
      random_key(n, key);
      make_value(n, value);
      side.batch_put({key, kKeySize}, {value, kValueSize});
    }
    if (!side.commit()) {
      state.SkipWithError(side.error.c_str());
      break;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kPerBatch));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kPerBatch * (kKeySize + kValueSize)));
}

// Touches every fixture key once, so the timed reads that follow measure
// warm caches, not the first reads after open.
template <typename Side>
void touch_fixture(Side& side) {
  uint8_t key[kKeySize];
  for (uint64_t i = 0; i < sizes().read_keys; ++i) {
    random_key(i, key);
    (void)side.get({key, kKeySize});
  }
}

// Engine is EngineSide<B>, or Raw itself for the A/A calibration below.
// Keys [0, read_keys) are present, [read_keys, 2 * read_keys) absent.
template <Backend B, typename Side, bool kHit>
void BM_Read(benchmark::State& state) {
  Side side(read_fixture(B));
  if (!opened(state, side)) return;
  const uint64_t n = sizes().read_keys;
  uint8_t key[kKeySize];
  touch_fixture(side);
  const GetResult expected = kHit ? GetResult::kFound : GetResult::kAbsent;
  uint64_t rng = 42;
  for (auto _ : state) {
    random_key(splitmix(rng) % n + (kHit ? 0 : n), key);
    if (side.get({key, kKeySize}) != expected) {
      state.SkipWithError(side.error.empty() ? "a read returned the wrong presence" : side.error.c_str());
      break;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

template <Backend B, typename Side>
void BM_Scan(benchmark::State& state) {
  Side side(read_fixture(B));
  if (!opened(state, side)) return;
  const uint64_t n = sizes().read_keys;
  for (auto _ : state) {
    if (side.scan() != n) {
      state.SkipWithError(side.error.empty() ? "the scan saw the wrong number of keys" : side.error.c_str());
      break;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}

// A byte-for-byte copy of read_fixture(backend), so the paired read cases can
// hold both sides open at once (a directory is opened at most once).
const fs::path& twin_fixture(Backend backend) {
  static std::map<Backend, fs::path> made;
  auto it = made.find(backend);
  if (it != made.end()) return it->second;
  fs::path dir = kScratchRoot / (std::string(backend_name(backend)) + "-read-twin");
  std::error_code ec;
  fs::copy(read_fixture(backend), dir, fs::copy_options::recursive, ec);
  return made.emplace(backend, std::move(dir)).first->second;
}

enum class Case { kFillSeq, kFillRand, kBatchWrite, kReadHit, kReadMiss, kScan };

constexpr bool is_read(Case c) { return c == Case::kReadHit || c == Case::kReadMiss || c == Case::kScan; }

// Chunk `chunk` of case C on one side; the same chunk index does the same
// work on both sides. False (side.error set) on failure.
template <Case C, typename Side>
bool run_chunk(Side& side, uint64_t chunk) {
  uint8_t key[kKeySize], value[kValueSize];
  if constexpr (C == Case::kFillSeq || C == Case::kFillRand) {
    const size_t n = sizes().puts_per_chunk;
    for (uint64_t i = chunk * n; i < (chunk + 1) * n; ++i) {
      C == Case::kFillSeq ? seq_key(i, key) : random_key(i, key);
      make_value(i, value);
      if (!side.put({key, kKeySize}, {value, kValueSize})) return false;
    }
    return true;
  } else if constexpr (C == Case::kBatchWrite) {
    const size_t batches = sizes().batches_per_chunk;
    for (uint64_t b = chunk * batches; b < (chunk + 1) * batches; ++b) {
      for (uint64_t i = b * kPerBatch; i < (b + 1) * kPerBatch; ++i) {
        random_key(i, key);
        make_value(i, value);
        side.batch_put({key, kKeySize}, {value, kValueSize});
      }
      if (!side.commit()) return false;
    }
    return true;
  } else if constexpr (C == Case::kReadHit || C == Case::kReadMiss) {
    const uint64_t n = sizes().read_keys;
    const GetResult expected = C == Case::kReadHit ? GetResult::kFound : GetResult::kAbsent;
    uint64_t rng = chunk * 0x100000001b3ull + 7;
    for (size_t j = 0; j < sizes().gets_per_chunk; ++j) {
      random_key(splitmix(rng) % n + (C == Case::kReadHit ? 0 : n), key);
      if (side.get({key, kKeySize}) != expected) {
        if (side.error.empty()) side.error = "a read returned the wrong presence";
        return false;
      }
    }
    return true;
  } else {
    if (side.scan() == sizes().read_keys) return true;
    if (side.error.empty()) side.error = "the scan saw the wrong number of keys";
    return false;
  }
}

template <Backend B, typename Engine, typename Raw, Case C>
void BM_Paired(benchmark::State& state) {
  WriteDir engine_dir, raw_dir;
  std::optional<Engine> engine;
  std::optional<Raw> raw;
  // The read cases swap fixture copies halfway, so neither side reads the
  // same copy throughout: a copy's page-cache placement alone moved a
  // LevelDB read ratio by 7 %.
  auto open_sides = [&](bool swapped) {
    engine.reset();
    raw.reset();
    const fs::path& a = is_read(C) ? read_fixture(B) : engine_dir.path();
    const fs::path& b = is_read(C) ? twin_fixture(B) : raw_dir.path();
    engine.emplace(swapped ? b : a);
    raw.emplace(swapped ? a : b);
    if (!opened(state, *engine) || !opened(state, *raw)) return false;
    if constexpr (is_read(C)) {
      touch_fixture(*engine);
      touch_fixture(*raw);
    }
    return true;
  };
  if (!open_sides(false)) return;
  const uint64_t swap_at = is_read(C) ? static_cast<uint64_t>(state.max_iterations) / 2 : UINT64_MAX;
  Interleaved timing;
  uint64_t chunk = 0;
  for (auto _ : state) {
    if (chunk == swap_at && swap_at > 0) {
      state.PauseTiming();
      const bool ok = open_sides(true);
      state.ResumeTiming();
      if (!ok) break;
    }
    bool engine_ok = true, raw_ok = true;
    ChunkTime e, r;
    if (Interleaved::engine_first(chunk)) {
      e = time_chunk([&] { engine_ok = run_chunk<C>(*engine, chunk); });
      r = time_chunk([&] { raw_ok = run_chunk<C>(*raw, chunk); });
    } else {
      r = time_chunk([&] { raw_ok = run_chunk<C>(*raw, chunk); });
      e = time_chunk([&] { engine_ok = run_chunk<C>(*engine, chunk); });
    }
    if (!engine_ok || !raw_ok) {
      state.SkipWithError((engine_ok ? raw->error : engine->error).c_str());
      break;
    }
    timing.add(e, r);
    state.SetIterationTime((e.wall_ns + r.wall_ns) / 1e9);
    ++chunk;
  }
  const Interleaved::Summary s = timing.summary();
  state.counters["cpu_ratio"] = s.cpu_ratio;
  state.counters["cpu_ratio_p25"] = s.cpu_ratio_p25;
  state.counters["cpu_ratio_p75"] = s.cpu_ratio_p75;
  state.counters["wall_ratio"] = s.wall_ratio;
  state.counters["engine_cpu_ns"] = s.engine_cpu_ns;
  state.counters["raw_cpu_ns"] = s.raw_cpu_ns;
}

template <Backend B, typename Raw>
void register_backend() {
  using Engine = EngineSide<B>;
  const std::string prefix = std::string(backend_name(B)) + "/";
  auto pair = [&](const char* name, auto engine_fn, auto raw_fn, auto configure) {
    configure(benchmark::RegisterBenchmark((prefix + name + "/engine").c_str(), engine_fn));
    configure(benchmark::RegisterBenchmark((prefix + name + "/raw").c_str(), raw_fn));
  };
  const int64_t puts = sizes().put_ops, batches = sizes().write_batches;
  auto fixed = [](int64_t n, benchmark::TimeUnit unit) {
    return [n, unit](benchmark::internal::Benchmark* b) { b->Iterations(n)->Unit(unit); };
  };
  auto timed = [](benchmark::TimeUnit unit) { return [unit](benchmark::internal::Benchmark* b) { b->Unit(unit); }; };
  pair("fill_seq", BM_Fill<B, Engine, true>, BM_Fill<B, Raw, true>, fixed(puts, benchmark::kNanosecond));
  pair("fill_rand", BM_Fill<B, Engine, false>, BM_Fill<B, Raw, false>, fixed(puts, benchmark::kNanosecond));
  pair("batch_write", BM_BatchWrite<B, Engine>, BM_BatchWrite<B, Raw>, fixed(batches, benchmark::kMicrosecond));
  pair("read_hit", BM_Read<B, Engine, true>, BM_Read<B, Raw, true>, timed(benchmark::kNanosecond));
  pair("read_miss", BM_Read<B, Engine, false>, BM_Read<B, Raw, false>, timed(benchmark::kNanosecond));
  pair("scan", BM_Scan<B, Engine>, BM_Scan<B, Raw>, timed(benchmark::kMicrosecond));

  auto paired = [&](const char* name, auto fn, int64_t pairs) {
    benchmark::RegisterBenchmark((prefix + name + "/paired").c_str(), fn)
        ->Iterations(pairs)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  };
  const int64_t pairs = sizes().pairs;
  paired("fill_seq", BM_Paired<B, Engine, Raw, Case::kFillSeq>, pairs);
  paired("fill_rand", BM_Paired<B, Engine, Raw, Case::kFillRand>, pairs);
  paired("batch_write", BM_Paired<B, Engine, Raw, Case::kBatchWrite>, pairs);
  paired("read_hit", BM_Paired<B, Engine, Raw, Case::kReadHit>, pairs);
  paired("read_miss", BM_Paired<B, Engine, Raw, Case::kReadMiss>, pairs);
  paired("scan", BM_Paired<B, Engine, Raw, Case::kScan>, sizes().scan_pairs);
  // A/A calibration: the raw API on both sides, so every ratio should be 1;
  // how far it is from 1 is the bias of the method itself for that case.
  paired("read_hit/aa", BM_Paired<B, Raw, Raw, Case::kReadHit>, pairs);
  paired("read_miss/aa", BM_Paired<B, Raw, Raw, Case::kReadMiss>, pairs);
  paired("scan/aa", BM_Paired<B, Raw, Raw, Case::kScan>, sizes().scan_pairs);
}

}  // namespace
}  // namespace klay::kv::bench

int main(int argc, char** argv) {
  using namespace klay::kv;
  using namespace klay::kv::bench;
  register_backend<Backend::kLevelDB, RawLevelDB>();
  register_backend<Backend::kRocksDB, RawRocksDB>();
  register_backend<Backend::kLMDB, RawLmdb>();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter{std::unique_ptr<benchmark::BenchmarkReporter>(benchmark::CreateDefaultDisplayReporter())};
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  const auto failed = reporter.failed();
  for (const std::string& f : failed) std::fprintf(stderr, "engine_vs_raw_bench: %s failed\n", f.c_str());
  return failed.empty() ? 0 : 1;
}
