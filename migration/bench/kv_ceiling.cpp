#include "migration/bench/kv_ceiling.h"

#include <sys/resource.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "migration/copy_writer.h"
#include "migration/subtree_filter.h"
#include "migration/trie_copier.h"

namespace klay::migration::bench {

namespace {

double cpu_now() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct KeyRef {
  uint64_t offset;
  uint32_t key_len;
  uint32_t value_len;
};

// Runs fn(i) for every i in [0, n) on `threads` workers; the first error wins.
template <typename Fn>
Status parallel_each(size_t threads, size_t n, Fn&& fn) {
  std::mutex mu;
  Status first;
  tbb::task_arena arena(static_cast<int>(std::max<size_t>(threads, 1)));
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 4096), [&](const tbb::blocked_range<size_t>& r) {
      // Isolated: a sharded write waits on nested tasks, and must not pick up
      // another chunk that would reuse this thread's writer mid-flush.
      tbb::this_task_arena::isolate([&] {
        for (size_t i = r.begin(); i != r.end(); ++i) {
          if (Status s = fn(i); !s) {
            std::lock_guard lock(mu);
            if (first) first = s;
            return;
          }
        }
      });
    });
  });
  return first;
}

}  // namespace

Result<CeilingResult> measure_kv_ceiling(kv::Database& source, kv::Database& target, size_t threads) {
  CeilingResult out;
  Bytes keys;
  std::vector<KeyRef> refs;
  uint32_t max_value = 0;
  {
    auto it = source.new_iterator();
    for (; it->valid(); it->next()) {
      refs.push_back(KeyRef{keys.size(), static_cast<uint32_t>(it->key().size()),
                            static_cast<uint32_t>(it->value().size())});
      append(keys, it->key());
      max_value = std::max(max_value, refs.back().value_len);
      out.bytes += it->key().size() + it->value().size();
    }
    if (Status s = it->status(); !s) return s;
  }
  out.keys = refs.size();
  std::mt19937_64 rng(42);
  std::shuffle(refs.begin(), refs.end(), rng);
  auto key_of = [&](const KeyRef& r) { return ByteView(keys.data() + r.offset, r.key_len); };

  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_now();
  tbb::enumerable_thread_specific<Bytes> values;
  Status rs = parallel_each(threads, refs.size(), [&](size_t i) { return source.get(key_of(refs[i]), &values.local()); });
  if (!rs) return rs;
  out.read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.read_cpu_seconds = cpu_now() - c0;

  // The copier's writer, so batches are built, sorted and written exactly as in a copy.
  SubtreeFilter unused(1024);
  CopyCounters counters;
  const Bytes filler(max_value, 0x5a);
  tbb::enumerable_thread_specific<std::unique_ptr<CopyWriter>> writers;
  t0 = std::chrono::steady_clock::now();
  c0 = cpu_now();
  Status ws = parallel_each(threads, refs.size(), [&](size_t i) {
    auto& w = writers.local();
    if (!w) w = std::make_unique<CopyWriter>(target, unused, counters, std::chrono::milliseconds(2000));
    return w->put_node(key_of(refs[i]), ByteView(filler.data(), refs[i].value_len));
  });
  for (auto& w : writers) {
    if (Status s = w->finish(); !s && ws) ws = s;
  }
  if (!ws) return ws;
  out.write_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.write_cpu_seconds = cpu_now() - c0;
  return out;
}

}  // namespace klay::migration::bench
