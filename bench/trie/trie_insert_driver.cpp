// Insert-then-root driver for profiling and memory figures (not a CTest benchmark).
//   trie_insert_driver [keys=1048576] [plain|secure] [reps=1]
// Prints the root, CPU time per phase, heap in use by the filled trie (mallinfo2)
// and peak RSS. Under callgrind, count only the workload with
//   valgrind --tool=callgrind --toggle-collect='*insert_and_root*' trie_insert_driver 65536
#include <malloc.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "engine/trie/secure_trie.h"

namespace {

using klay::Bytes;
using klay::Hash;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Resident memory now (the trie's arena maps its big chunks directly, which
// mallinfo2 does not see).
size_t rss_bytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<size_t>(resident) * 4096;
}

size_t anon_huge_kib() {
  size_t kib = 0;
  if (FILE* f = std::fopen("/proc/self/smaps_rollup", "r")) {
    char line[256];
    while (std::fgets(line, sizeof(line), f))
      if (std::sscanf(line, "AnonHugePages: %zu kB", &kib) == 1) break;
    std::fclose(f);
  }
  return kib;
}

// Same keys and values as trie_bench (mt19937_64 seeded with the key count).
void make_pairs(size_t n, std::vector<Bytes>& keys, std::vector<Bytes>& values) {
  std::mt19937_64 rng(n);
  keys.assign(n, Bytes(32));
  values.assign(n, Bytes(32));
  for (size_t i = 0; i < n; ++i) {
    for (auto& b : keys[i]) b = static_cast<uint8_t>(rng());
    for (auto& b : values[i]) b = static_cast<uint8_t>(rng());
  }
}

double g_insert_seconds = 0;  // CPU time of the puts alone (the rest is root_hash)

template <class T>
[[gnu::noinline]] Hash insert_and_root(T& t, const std::vector<Bytes>& keys, const std::vector<Bytes>& values) {
  const double t0 = cpu_seconds();
  for (size_t i = 0; i < keys.size(); ++i) (void)t.put(keys[i], values[i]);
  g_insert_seconds = cpu_seconds() - t0;
  return t.root_hash();
}

template <class T>
void run(const std::vector<Bytes>& keys, const std::vector<Bytes>& values, int reps) {
  for (int r = 0; r < reps; ++r) {
    const size_t heap0 = mallinfo2().uordblks, rss0 = rss_bytes();
    const double t0 = cpu_seconds();
    Hash root;
    double t1 = 0;
    size_t heap1 = 0, rss1 = 0, huge = 0;
    {
      T t;
      root = insert_and_root(t, keys, values);
      t1 = cpu_seconds();
      heap1 = mallinfo2().uordblks;
      rss1 = rss_bytes();
      huge = anon_huge_kib();
    }
    const double t2 = cpu_seconds();
    const double mib = 1 << 20;
    std::printf("root %s  insert+root %.3f s (%.0f keys/s)  [puts %.3f s]  free %.3f s\n  malloc heap +%.1f MiB, RSS +%.1f MiB"
                " (%.0f B/key), huge pages %.0f MiB\n",
                root.hex().c_str(), t1 - t0, static_cast<double>(keys.size()) / (t1 - t0), g_insert_seconds, t2 - t1,
                static_cast<double>(heap1 - heap0) / mib, (static_cast<double>(rss1) - static_cast<double>(rss0)) / mib,
                (static_cast<double>(rss1) - static_cast<double>(rss0)) / static_cast<double>(keys.size()),
                static_cast<double>(huge) / 1024);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : size_t{1} << 20;
  const std::string mode = argc > 2 ? argv[2] : "plain";
  const int reps = argc > 3 ? std::atoi(argv[3]) : 1;
  std::vector<Bytes> keys, values;
  make_pairs(n, keys, values);
  if (mode == "secure") run<klay::trie::SecureTrie>(keys, values, reps);
  else run<klay::trie::Trie>(keys, values, reps);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("peak RSS %.1f MiB (keys and values alone: %.1f MiB)\n", static_cast<double>(ru.ru_maxrss) / 1024,
              static_cast<double>(n) * 2 * (32 + 24 + 16) / (1 << 20));
  return 0;
}
