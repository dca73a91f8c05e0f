// Our kv interface against the LevelDB and RocksDB APIs called directly, on the
// same options and the same data: 100 KiB batches of 32-byte keys with 100-byte
// values, and random point reads of keys that exist. Compare the medians of
//   engine_vs_raw_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
// (This file includes the backend headers on purpose: it measures the wrapper.)
#include <benchmark/benchmark.h>
#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>

#include "engine/kv/open.h"
#include "engine/kv/rocksdb/rocksdb_options.h"

namespace klay::kv {
namespace {

namespace fs = std::filesystem;

constexpr size_t kKeySize = 32;
constexpr size_t kValueSize = 100;
constexpr size_t kPerBatch = kIdealBatchSize / (kKeySize + kValueSize);
constexpr uint64_t kReadKeys = 100000;

uint64_t splitmix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Key i: 32 pseudo-random bytes (like a hash); value i: 100 bytes.
void make_key(uint64_t i, uint8_t* out) {
  uint64_t s = i;
  for (int w = 0; w < 4; ++w) put_le64(out + 8 * w, splitmix(s));
}
void make_value(uint64_t i, uint8_t* out) {
  uint64_t s = ~i;
  for (size_t w = 0; w + 8 <= kValueSize; w += 8) put_le64(out + w, splitmix(s));
  put_le64(out + kValueSize - 8, i);
}

// Declared before `cleanup` so it is destroyed after it.
const fs::path kScratchRoot = fs::temp_directory_path() / ("klay-kv-bench-" + std::to_string(::getpid()));

fs::path scratch_dir(const std::string& name) { return kScratchRoot / name; }

struct Cleanup {
  ~Cleanup() {
    std::error_code ec;
    fs::remove_all(kScratchRoot, ec);
  }
} cleanup;

// The LevelDB options open_leveldb() derives from a default kv::Options.
struct RawLevelDB {
  explicit RawLevelDB(const fs::path& dir) {
    const Options defaults;
    const uint64_t half = std::max<uint64_t>(defaults.cache_bytes / 2, 16ull << 20);
    cache.reset(leveldb::NewLRUCache(half));
    filter.reset(leveldb::NewBloomFilterPolicy(defaults.bloom_bits_per_key));
    leveldb::Options o;
    o.create_if_missing = true;
    o.block_cache = cache.get();
    o.write_buffer_size = half;
    o.filter_policy = filter.get();
    o.max_file_size = defaults.table_size_bytes;
    o.max_open_files = defaults.max_open_files;
    o.compression = leveldb::kSnappyCompression;
    fs::create_directories(dir);
    leveldb::DB* raw = nullptr;
    status = leveldb::DB::Open(o, dir.string(), &raw);
    db.reset(raw);
  }
  std::unique_ptr<leveldb::Cache> cache;
  std::unique_ptr<const leveldb::FilterPolicy> filter;
  std::unique_ptr<leveldb::DB> db;  // destroyed first
  leveldb::Status status;
};

// The RocksDB options open_rocksdb() uses for a default kv::Options.
struct RawRocksDB {
  explicit RawRocksDB(const fs::path& dir) {
    auto o = make_rocksdb_options(Options{});
    fs::create_directories(dir);
    rocksdb::DB* raw = nullptr;
    status = rocksdb::DB::Open(*o, dir.string(), &raw);
    db.reset(raw);
  }
  std::unique_ptr<rocksdb::DB> db;
  rocksdb::Status status;
};

std::unique_ptr<Database> open_engine(benchmark::State& state, Backend backend, const fs::path& dir) {
  auto db = open_database(backend, dir);
  if (!db) {
    state.SkipWithError(db.status().to_string().c_str());
    return nullptr;
  }
  return std::move(*db);
}

// A directory holding kReadKeys entries, written and fully compacted once per backend.
const fs::path& read_fixture(Backend backend) {
  static std::map<Backend, fs::path> made;
  auto it = made.find(backend);
  if (it != made.end()) return it->second;
  fs::path dir = scratch_dir(std::string(backend_name(backend)) + "-read");
  auto db = open_database(backend, dir);
  if (db) {
    auto batch = (*db)->new_batch();
    uint8_t key[kKeySize], value[kValueSize];
    for (uint64_t i = 0; i < kReadKeys; ++i) {
      make_key(i, key);
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

void set_write_counters(benchmark::State& state) {
  const auto entries = static_cast<int64_t>(state.iterations() * kPerBatch);
  state.SetItemsProcessed(entries);
  state.SetBytesProcessed(entries * static_cast<int64_t>(kKeySize + kValueSize));
}

// A fresh directory per run, removed when the run ends, so every repetition
// writes into an empty database and the disk does not fill up.
class WriteDir {
 public:
  WriteDir() {
    static std::atomic<uint64_t> next{0};
    path_ = scratch_dir("write-" + std::to_string(next++));
  }
  ~WriteDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Reads every fixture key once so the timed loop measures block-cache hits, not
// the first touch after open.
template <typename Get>
void warm_up(Get&& get) {
  uint8_t key[kKeySize];
  for (uint64_t i = 0; i < kReadKeys; ++i) {
    make_key(i, key);
    get(key);
  }
}

void BM_BatchWrite_Engine(benchmark::State& state, Backend backend) {
  WriteDir dir;
  auto db = open_engine(state, backend, dir.path());
  if (!db) return;
  auto batch = db->new_batch();
  uint8_t key[kKeySize], value[kValueSize];
  uint64_t n = 0;
  for (auto _ : state) {
    batch->clear();
    for (size_t j = 0; j < kPerBatch; ++j, ++n) {
      make_key(n, key);
      make_value(n, value);
      batch->put({key, kKeySize}, {value, kValueSize});
    }
    if (Status s = db->write(*batch); !s) state.SkipWithError(s.to_string().c_str());
  }
  set_write_counters(state);
}

void BM_BatchWrite_RawLevelDB(benchmark::State& state) {
  WriteDir dir;
  RawLevelDB raw(dir.path());
  if (!raw.status.ok()) return state.SkipWithError(raw.status.ToString().c_str());
  leveldb::WriteBatch batch;
  uint8_t key[kKeySize], value[kValueSize];
  uint64_t n = 0;
  for (auto _ : state) {
    batch.Clear();
    for (size_t j = 0; j < kPerBatch; ++j, ++n) {
      make_key(n, key);
      make_value(n, value);
      batch.Put({reinterpret_cast<char*>(key), kKeySize}, {reinterpret_cast<char*>(value), kValueSize});
    }
    if (auto s = raw.db->Write(leveldb::WriteOptions(), &batch); !s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  set_write_counters(state);
}

void BM_BatchWrite_RawRocksDB(benchmark::State& state) {
  WriteDir dir;
  RawRocksDB raw(dir.path());
  if (!raw.status.ok()) return state.SkipWithError(raw.status.ToString().c_str());
  rocksdb::WriteBatch batch;
  uint8_t key[kKeySize], value[kValueSize];
  uint64_t n = 0;
  for (auto _ : state) {
    batch.Clear();
    for (size_t j = 0; j < kPerBatch; ++j, ++n) {
      make_key(n, key);
      make_value(n, value);
      (void)batch.Put({reinterpret_cast<char*>(key), kKeySize}, {reinterpret_cast<char*>(value), kValueSize});
    }
    if (auto s = raw.db->Write(rocksdb::WriteOptions(), &batch); !s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  set_write_counters(state);
}

void BM_RandomRead_Engine(benchmark::State& state, Backend backend, bool view) {
  const fs::path& dir = read_fixture(backend);
  auto db = open_engine(state, backend, dir);
  if (!db) return;
  uint8_t key[kKeySize];
  Bytes value;
  size_t seen = 0;
  uint64_t rng = 42;
  warm_up([&](const uint8_t* k) { (void)db->get({k, kKeySize}, &value); });
  for (auto _ : state) {
    make_key(splitmix(rng) % kReadKeys, key);
    Status s = view ? db->get_view({key, kKeySize}, [&](ByteView v) { seen += v.size(); })
                    : db->get({key, kKeySize}, &value);
    if (!s) state.SkipWithError(s.to_string().c_str());
    benchmark::DoNotOptimize(value.data());
  }
  benchmark::DoNotOptimize(seen);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_RandomRead_RawLevelDB(benchmark::State& state) {
  RawLevelDB raw(read_fixture(Backend::kLevelDB));
  if (!raw.status.ok()) return state.SkipWithError(raw.status.ToString().c_str());
  uint8_t key[kKeySize];
  std::string value;
  uint64_t rng = 42;
  warm_up([&](const uint8_t* k) {
    (void)raw.db->Get(leveldb::ReadOptions(), {reinterpret_cast<const char*>(k), kKeySize}, &value);
  });
  for (auto _ : state) {
    make_key(splitmix(rng) % kReadKeys, key);
    auto s = raw.db->Get(leveldb::ReadOptions(), {reinterpret_cast<char*>(key), kKeySize}, &value);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    benchmark::DoNotOptimize(value.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_RandomRead_RawRocksDB(benchmark::State& state, bool pinned) {
  RawRocksDB raw(read_fixture(Backend::kRocksDB));
  if (!raw.status.ok()) return state.SkipWithError(raw.status.ToString().c_str());
  uint8_t key[kKeySize];
  std::string value;
  size_t seen = 0;
  uint64_t rng = 42;
  warm_up([&](const uint8_t* k) {
    (void)raw.db->Get(rocksdb::ReadOptions(), {reinterpret_cast<const char*>(k), kKeySize}, &value);
  });
  for (auto _ : state) {
    make_key(splitmix(rng) % kReadKeys, key);
    rocksdb::Slice k(reinterpret_cast<char*>(key), kKeySize);
    rocksdb::Status s;
    if (pinned) {
      rocksdb::PinnableSlice v;
      s = raw.db->Get(rocksdb::ReadOptions(), raw.db->DefaultColumnFamily(), k, &v);
      seen += v.size();
    } else {
      s = raw.db->Get(rocksdb::ReadOptions(), k, &value);
    }
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    benchmark::DoNotOptimize(value.data());
  }
  benchmark::DoNotOptimize(seen);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// A fixed batch count: the measured CPU time includes background flushes and
// compactions, which grow with the amount written, so both sides must write
// the same amount to be comparable.
constexpr int kWriteBatches = 300;
BENCHMARK_CAPTURE(BM_BatchWrite_Engine, leveldb, Backend::kLevelDB)->Unit(benchmark::kMicrosecond)->Iterations(kWriteBatches);
BENCHMARK(BM_BatchWrite_RawLevelDB)->Unit(benchmark::kMicrosecond)->Iterations(kWriteBatches);
BENCHMARK_CAPTURE(BM_BatchWrite_Engine, rocksdb, Backend::kRocksDB)->Unit(benchmark::kMicrosecond)->Iterations(kWriteBatches);
BENCHMARK(BM_BatchWrite_RawRocksDB)->Unit(benchmark::kMicrosecond)->Iterations(kWriteBatches);
BENCHMARK_CAPTURE(BM_RandomRead_Engine, leveldb_get, Backend::kLevelDB, false);
BENCHMARK(BM_RandomRead_RawLevelDB);
BENCHMARK_CAPTURE(BM_RandomRead_Engine, rocksdb_get, Backend::kRocksDB, false);
BENCHMARK_CAPTURE(BM_RandomRead_RawRocksDB, get_string, false);
BENCHMARK_CAPTURE(BM_RandomRead_Engine, rocksdb_get_view, Backend::kRocksDB, true);
BENCHMARK_CAPTURE(BM_RandomRead_RawRocksDB, get_pinned, true);

}  // namespace
}  // namespace klay::kv

BENCHMARK_MAIN();
