// prune_driver: the child process of the crash tests (tests/pruning). The
// parent SIGKILLs it at random moments and then checks the datadir.
//
//   prune_driver live <datadir> <archive|full> <target_head> <retention> <seed>
//       opens (or initialises) a MiniChain with live pruning, recovers, and
//       imports blocks up to target_head, writing marks per block and running
//       one bounded prune step after each block (small steps, so kills land
//       between any two writes).
//   prune_driver live-bg <datadir> <archive|full> <target_head> <retention> <seed>
//       the same with the pruner in background mode as the node runs it:
//       notify() after each block, passes coalesced over 8 blocks (kills land
//       inside multi-block passes and between them), drain() at the end.
//   prune_driver offline <datadir> <sleep_us>
//       runs the offline prune, sleeping sleep_us after every sweep batch;
//       prints "sweeping" once the first batch is written (the marker exists).
// Exit code 0 when done, 1 with a message on stderr on failure.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "pruning/live_pruner.h"
#include "pruning/offline_pruner.h"
#include "tests/pruning/pruning_test_support.h"

using namespace klay;
using namespace klay::pruning;

namespace {

int run_live(int argc, char** argv, bool background) {
  if (argc != 7) return 2;
  const std::string dir = argv[2];
  testing::MiniChainOptions o;
  o.archive = std::string(argv[3]) == "archive";
  const uint64_t target = std::stoull(argv[4]);
  const uint64_t retention = std::stoull(argv[5]);
  o.seed = std::stoull(argv[6]);
  auto dbm = testing::open_manager(dir);
  testing::MiniChain chain(*dbm, o);
  LivePrunerOptions po;
  po.retention = retention;
  po.memory_window = o.archive ? 0 : o.window;
  po.max_marks_per_call = background ? 4096 : 64;
  po.min_blocks_per_pass = 8;
  auto pruner = LivePruner::open(*dbm, po, chain.head());
  if (!pruner) throw std::runtime_error(pruner.status().message());
  std::printf("start %llu\n", static_cast<unsigned long long>(chain.head()));
  std::fflush(stdout);
  if (background) {
    (*pruner)->start_background();
    while (chain.head() < target) {
      chain.add_block();
      (*pruner)->notify(chain.position());
    }
    (*pruner)->drain();
    if (Status s = (*pruner)->background_status(); !s) throw std::runtime_error(s.message());
    return 0;
  }
  while (chain.head() < target) {
    chain.add_block();
    auto r = (*pruner)->prune(chain.position());
    if (!r) throw std::runtime_error(r.status().message());
  }
  auto r = (*pruner)->prune_all(chain.position());
  if (!r) throw std::runtime_error(r.status().message());
  return 0;
}

int run_offline(int argc, char** argv) {
  if (argc != 4) return 2;
  const std::string dir = argv[2];
  const long sleep_us = std::stol(argv[3]);
  auto dbm = testing::open_manager(dir);
  OfflinePruneOptions options;
  options.threads = 2;
  options.free_space_headroom = 1 << 20;
  std::atomic<bool> said{false};
  options.after_sweep_batch = [&] {
    if (!said.exchange(true)) {
      std::printf("sweeping\n");
      std::fflush(stdout);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(sleep_us));
  };
  auto r = prune_offline(*dbm, options);
  if (!r) throw std::runtime_error(r.status().message());
  std::printf("done resumed=%d deleted=%llu\n", r->resumed ? 1 : 0, static_cast<unsigned long long>(r->nodes_deleted));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: prune_driver live|offline ...\n");
    return 2;
  }
  try {
    const std::string mode = argv[1];
    if (mode == "live" || mode == "live-bg") return run_live(argc, argv, mode == "live-bg");
    if (mode == "offline") return run_offline(argc, argv);
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "prune_driver: %s\n", e.what());
    return 1;
  }
}
