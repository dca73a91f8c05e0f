// Interleaved A/B timing for engine_vs_raw_bench's "/paired" cases.
//
// On a shared 2-core machine, two benchmarks run one after the other see
// different background load, CPU frequency and cache state, and their ratio
// moves by several percent from run to run. Here both sides are open at
// once and take turns on identical chunks of work (engine, raw, raw, engine,
// ...), each chunk timed on its own; the ratio of each adjacent pair
// compares two measurements taken a few milliseconds apart, so slow drifts
// cancel, and the median over many pairs discards the pairs a burst of
// other load hit.
//
// Not thread-safe; one Interleaved per benchmark run.
#pragma once

#include <time.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace klay::kv::bench {

struct ChunkTime {
  double wall_ns = 0;
  double cpu_ns = 0;  // the calling thread's CPU time
};

// Times fn() on the calling thread.
template <typename Fn>
ChunkTime time_chunk(Fn&& fn) {
  timespec w0, c0, w1, c1;
  clock_gettime(CLOCK_MONOTONIC, &w0);
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
  fn();
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
  clock_gettime(CLOCK_MONOTONIC, &w1);
  auto ns = [](const timespec& a, const timespec& b) {
    return static_cast<double>(b.tv_sec - a.tv_sec) * 1e9 + static_cast<double>(b.tv_nsec - a.tv_nsec);
  };
  return {ns(w0, w1), ns(c0, c1)};
}

// The p-th quantile (0..1) of v, interpolated; -1 when v is empty.
inline double quantile(std::vector<double> v, double p) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  const double at = p * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(at);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (at - static_cast<double>(lo));
}

// Collects the chunk times of both sides and summarises them.
class Interleaved {
 public:
  // Which side runs first in chunk pair `i`: alternate, so neither side
  // always inherits the other's cache state or background work.
  static bool engine_first(size_t i) { return i % 2 == 0; }

  void add(const ChunkTime& engine, const ChunkTime& raw) {
    engine_.push_back(engine);
    raw_.push_back(raw);
  }

  struct Summary {
    double cpu_ratio = -1, cpu_ratio_p25 = -1, cpu_ratio_p75 = -1;  // over pairs, engine/raw
    double wall_ratio = -1;                                          // median over pairs
    double engine_cpu_ns = -1, raw_cpu_ns = -1;                      // median per chunk
  };
  Summary summary() const {
    std::vector<double> cpu, wall, ec, rc;
    for (size_t i = 0; i < engine_.size(); ++i) {
      if (raw_[i].cpu_ns > 0) cpu.push_back(engine_[i].cpu_ns / raw_[i].cpu_ns);
      if (raw_[i].wall_ns > 0) wall.push_back(engine_[i].wall_ns / raw_[i].wall_ns);
      ec.push_back(engine_[i].cpu_ns);
      rc.push_back(raw_[i].cpu_ns);
    }
    Summary s;
    s.cpu_ratio = quantile(cpu, 0.5);
    s.cpu_ratio_p25 = quantile(cpu, 0.25);
    s.cpu_ratio_p75 = quantile(cpu, 0.75);
    s.wall_ratio = quantile(wall, 0.5);
    s.engine_cpu_ns = quantile(ec, 0.5);
    s.raw_cpu_ns = quantile(rc, 0.5);
    return s;
  }

 private:
  std::vector<ChunkTime> engine_, raw_;
};

}  // namespace klay::kv::bench
