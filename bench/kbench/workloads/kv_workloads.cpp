// kv-fill, kv-read, kv-iterate: the engine/kv interface on one backend.
//
// Key i is BE64(2i) followed by 24 pseudo-random bytes (32 bytes); its value
// is `value_size` pseudo-random bytes. Absent keys (kv-read misses) use odd
// indexes, so they fall inside the stored key range and the bloom filters,
// not the file key ranges, have to reject them.
#include <algorithm>
#include <numeric>
#include <random>
#include <thread>

#include "bench/kbench/workload.h"
#include "engine/kv/open.h"

namespace klay::kbench {

namespace {

namespace fs = std::filesystem;

constexpr size_t kKeySize = 32;

uint64_t splitmix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

void make_key(uint64_t index, uint8_t* out) {
  put_be64(out, index);
  uint64_t s = index;
  for (int w = 1; w < 4; ++w) put_le64(out + 8 * w, splitmix(s));
}

void make_value(uint64_t index, size_t size, Bytes& out) {
  out.resize(size);
  uint64_t s = ~index;
  for (size_t off = 0; off < size; off += 8) {
    uint8_t w[8];
    put_le64(w, splitmix(s));
    std::copy_n(w, std::min<size_t>(8, size - off), out.data() + off);
  }
}

Result<std::unique_ptr<kv::Database>> open_db(const RunContext& ctx, const fs::path& dir) {
  return kv::open_database(ctx.options.backend, dir);
}

// Runs fn(thread_index, begin, end) over [0, n) split into `threads` slices;
// returns the first non-ok status.
Status parallel_slices(size_t threads, uint64_t n, const std::function<Status(size_t, uint64_t, uint64_t)>& fn) {
  threads = std::max<size_t>(1, threads);
  std::vector<Status> results(threads);
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] { results[t] = fn(t, n * t / threads, n * (t + 1) / threads); });
  }
  for (auto& th : pool) th.join();
  for (auto& s : results) {
    if (!s) return s;
  }
  return Status::ok();
}

// Writes key order[i] for i in [0, n) through ~100 KiB batches.
Status fill(kv::Database& db, const std::vector<uint64_t>& order, size_t value_size, size_t threads) {
  return parallel_slices(threads, order.size(), [&](size_t, uint64_t begin, uint64_t end) -> Status {
    auto batch = db.new_batch();
    uint8_t key[kKeySize];
    Bytes value;
    for (uint64_t i = begin; i < end; ++i) {
      make_key(2 * order[i], key);
      make_value(order[i], value_size, value);
      batch->put(ByteView(key, kKeySize), value);
      if (batch->value_bytes() >= kv::kIdealBatchSize) {
        if (Status s = db.write(*batch); !s) return s;
        batch->clear();
      }
    }
    return batch->count() > 0 ? db.write(*batch) : Status::ok();
  });
}

std::vector<uint64_t> sequential_order(uint64_t n) {
  std::vector<uint64_t> order(n);
  std::iota(order.begin(), order.end(), uint64_t{0});
  return order;
}

Status timed_fill(const RunContext& ctx, const std::string& name, bool random, Report& report) {
  const uint64_t n = ctx.options.size;
  std::vector<uint64_t> order = sequential_order(n);
  if (random) std::shuffle(order.begin(), order.end(), std::mt19937_64(7));
  const fs::path dir = ctx.dir / name;
  auto db = open_db(ctx, dir);
  if (!db) return db.status();
  Phase phase{.name = name, .unit = "keys"};
  PhaseTimer timer(phase, dir);
  if (Status s = fill(**db, order, ctx.options.value_size, ctx.options.threads); !s) return s;
  // Closing flushes what the backend buffers (memtables, LMDB's map), so
  // the disk figures include it.
  if (Status s = (*db)->close(); !s) return s;
  timer.finish();
  // Growth from the empty directory: an open database may have preallocated
  // files (RocksDB's WAL) that closing releases.
  phase.disk_before = 0;
  phase.ops = n;
  phase.logical_bytes = n * (kKeySize + ctx.options.value_size);
  report.phases.push_back(std::move(phase));
  return Status::ok();
}

// An untimed sequential fill, then the database reopened (memtables replayed).
Result<std::unique_ptr<kv::Database>> filled_db(const RunContext& ctx) {
  const fs::path dir = ctx.dir / "db";
  {
    auto db = open_db(ctx, dir);
    if (!db) return db.status();
    if (Status s = fill(**db, sequential_order(ctx.options.size), ctx.options.value_size, ctx.options.threads); !s)
      return s;
    if (Status s = (*db)->close(); !s) return s;
  }
  return open_db(ctx, dir);
}

Status timed_reads(const RunContext& ctx, kv::Database& db, bool hits, Report& report) {
  const uint64_t n = ctx.options.size;
  const size_t threads = std::max<size_t>(1, ctx.options.threads);
  std::vector<std::vector<uint32_t>> lat(threads);
  std::vector<uint64_t> bytes(threads, 0);
  Phase phase{.name = hits ? "read-hit" : "read-miss", .unit = "reads", .writes = false};
  PhaseTimer timer(phase, ctx.dir);
  Status s = parallel_slices(threads, n, [&](size_t t, uint64_t begin, uint64_t end) -> Status {
    uint64_t rng = 0x5eed + t;
    uint8_t key[kKeySize];
    Bytes value;
    lat[t].reserve(end - begin);
    for (uint64_t i = begin; i < end; ++i) {
      const uint64_t index = splitmix(rng) % n;
      make_key(hits ? 2 * index : 2 * index + 1, key);
      const auto t0 = std::chrono::steady_clock::now();
      Status g = db.get(ByteView(key, kKeySize), &value);
      const auto t1 = std::chrono::steady_clock::now();
      lat[t].push_back(static_cast<uint32_t>(
          std::min<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count(), UINT32_MAX)));
      if (hits) {
        if (!g) return Status::corruption("key " + std::to_string(index) + " missing after the fill: " + g.to_string());
        if (value.size() != ctx.options.value_size) return Status::corruption("wrong value size read back");
        bytes[t] += kKeySize + value.size();
      } else if (!g.is_not_found()) {
        return g ? Status::corruption("an absent key was found") : g;
      }
    }
    return Status::ok();
  });
  if (!s) return s;
  timer.finish();
  std::vector<uint32_t> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  phase.ops = n;
  phase.logical_bytes = std::accumulate(bytes.begin(), bytes.end(), uint64_t{0});
  phase.latency = latency_of(all);
  report.phases.push_back(std::move(phase));
  return Status::ok();
}

}  // namespace

Status run_kv_fill(const RunContext& ctx, Report& report) {
  if (Status s = timed_fill(ctx, "fill-seq", false, report); !s) return s;
  return timed_fill(ctx, "fill-rand", true, report);
}

Status run_kv_read(const RunContext& ctx, Report& report) {
  auto db = filled_db(ctx);
  if (!db) return db.status();
  if (Status s = timed_reads(ctx, **db, true, report); !s) return s;
  if (Status s = timed_reads(ctx, **db, false, report); !s) return s;
  return (*db)->close();
}

Status run_kv_iterate(const RunContext& ctx, Report& report) {
  auto db = filled_db(ctx);
  if (!db) return db.status();
  Phase phase{.name = "scan", .unit = "keys", .writes = false};
  PhaseTimer timer(phase, ctx.dir);
  uint64_t keys = 0, bytes = 0;
  {
    auto it = (*db)->new_iterator();
    for (; it->valid(); it->next()) {
      ++keys;
      bytes += it->key().size() + it->value().size();
    }
    if (Status s = it->status(); !s) return s;
  }
  timer.finish();
  if (keys != ctx.options.size) {
    return Status::corruption("scan saw " + std::to_string(keys) + " keys, expected " + std::to_string(ctx.options.size));
  }
  phase.ops = keys;
  phase.logical_bytes = bytes;
  report.phases.push_back(std::move(phase));
  return (*db)->close();
}

}  // namespace klay::kbench
