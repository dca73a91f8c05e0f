// Test driver: runs the offline migration (migration/offline_migration.h) on a
// datadir, as `kchaindata migrate` does, and prints one JSON line. The crash
// tests start it in a child process and SIGKILL it at random moments.
//
//   migrate_driver --datadir D --backend leveldb --shards 4 [--threads T] [--throttle-us U]
//
// --throttle-us sleeps that long before each parallel subtree task so a small
// state takes long enough to be killed in the middle of its copy.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "engine/chaindata/db_manager.h"
#include "migration/offline_migration.h"

int main(int argc, char** argv) {
  using namespace klay;
  std::string datadir, backend = "leveldb";
  uint32_t shards = 4;
  size_t threads = 0;
  long throttle_us = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--datadir") datadir = value;
    else if (flag == "--backend") backend = value;
    else if (flag == "--shards") shards = static_cast<uint32_t>(std::stoul(value));
    else if (flag == "--threads") threads = std::stoul(value);
    else if (flag == "--throttle-us") throttle_us = std::stol(value);
    else {
      std::fprintf(stderr, "migrate_driver: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  auto b = kv::parse_backend(backend);
  if (datadir.empty() || !b) {
    std::fprintf(stderr, "migrate_driver: --datadir and a valid --backend are required\n");
    return 2;
  }
  chaindata::Config config;
  config.backend = *b;
  config.num_statetrie_shards = shards;
  config.cache_mib = 16 * 9;
  config.max_open_files = 256;
  auto dbm = chaindata::DBManager::open(datadir, config);
  if (!dbm) {
    std::fprintf(stderr, "migrate_driver: %s\n", dbm.status().message().c_str());
    return 3;
  }
  migration::OfflineOptions options;
  options.engine.threads = threads;
  options.engine.checkpoint_interval = std::chrono::milliseconds(100);
  if (throttle_us > 0) {
    options.engine.before_subtree = [throttle_us](size_t, const trie::NodeKey&) {
      std::this_thread::sleep_for(std::chrono::microseconds(throttle_us));
    };
  }
  // Tells a supervising test that the migration is recorded and the copy starts.
  options.on_start = [](const migration::StateMigration&, bool resumed) {
    std::printf("started %s\n", resumed ? "resumed" : "fresh");
    std::fflush(stdout);
  };
  auto report = migration::run_offline_migration(**dbm, options);
  if (!report) {
    std::fprintf(stderr, "migrate_driver: %s\n", report.status().message().c_str());
    return 3;
  }
  if (Status s = (*dbm)->close(); !s) {
    std::fprintf(stderr, "migrate_driver: %s\n", s.message().c_str());
    return 3;
  }
  std::printf("{\"block\":%llu,\"resumed\":%s,\"runs\":%llu,\"nodes_read\":%llu,\"nodes_skipped\":%llu,"
              "\"total_read\":%llu}\n",
              static_cast<unsigned long long>(report->block_num), report->resumed ? "true" : "false",
              static_cast<unsigned long long>(report->runs), static_cast<unsigned long long>(report->nodes_read),
              static_cast<unsigned long long>(report->nodes_skipped),
              static_cast<unsigned long long>(report->total_read));
  return 0;
}
