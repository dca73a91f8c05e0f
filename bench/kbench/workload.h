// kbench workloads: each is a named function that prepares its data outside
// the timed region, times one or more phases (report.h) in a fresh run
// directory, and checks its own result (a wrong count fails the run).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/kbench/report.h"
#include "engine/core/status.h"
#include "engine/kv/options.h"

namespace klay::kbench {

struct RunOptions {
  std::string workload;
  kv::Backend backend = kv::Backend::kLevelDB;  // --db.type
  uint64_t size = 0;               // --size; 0: the workload's default
  size_t threads = 1;              // --threads (kv-fill, kv-read, migrate)
  size_t value_size = 100;         // --value-size (kv-*); keys are 32 bytes
  uint64_t blocks = 10;            // --blocks (trie-commit, migrate/convert/prune generation)
  uint64_t txns_per_block = 1000;  // --txns-per-block (import)
  uint64_t slots = 64;             // --storage-slots per contract
  uint32_t shards = 4;             // --db.num-statetrie-shards (chaindata workloads)
  kv::Backend src_backend = kv::Backend::kLevelDB;  // --src.db.type (convert source)
};

// What a workload gets: its options (size resolved) and a fresh, empty
// directory of its own, removed after the run unless --keep.
struct RunContext {
  RunOptions options;
  std::filesystem::path dir;
};

struct Workload {
  std::string name;
  std::string summary;
  uint64_t default_size = 0;
  std::string size_unit;           // what --size counts
  bool memory_meaningful = true;   // --compare includes the memory backend
  // Fills report.phases (and notes); the caller fills the rest.
  std::function<Status(const RunContext&, Report&)> run;
};

const std::vector<Workload>& all_workloads();
// nullptr when unknown.
const Workload* find_workload(std::string_view name);

// Workload entry points (one file per family).
Status run_kv_fill(const RunContext& ctx, Report& report);
Status run_kv_read(const RunContext& ctx, Report& report);
Status run_kv_iterate(const RunContext& ctx, Report& report);
Status run_trie_commit(const RunContext& ctx, Report& report);
Status run_import(const RunContext& ctx, Report& report);
Status run_migrate(const RunContext& ctx, Report& report);
Status run_prune(const RunContext& ctx, Report& report);
Status run_convert(const RunContext& ctx, Report& report);

}  // namespace klay::kbench
