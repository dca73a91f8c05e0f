// The datadir of the offline chaindata workloads (migrate, prune): a
// generated chaindata of --db.type (gen/chain_gen.h), opened, and the
// bookkeeping those workloads share around their one timed phase.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "bench/kbench/gen/chain_gen.h"
#include "bench/kbench/report.h"
#include "bench/kbench/workload.h"
#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"

namespace klay::kbench {

struct GeneratedDatadir {
  std::filesystem::path path;  // <run dir>/datadir
  gen::GeneratedChain chain;
  std::unique_ptr<chaindata::DBManager> dbm;  // open, writable
};

// Generates the chaindata (not timed) and opens it. InvalidArgument naming
// `workload` for the memory backend, which has nothing on disk to shrink.
Result<GeneratedDatadir> open_generated_datadir(const RunContext& ctx, std::string_view workload);

// Corruption "<what> <block_num>, expected the head N" unless `block_num`
// is the generated head.
Status check_head_block(const GeneratedDatadir& d, uint64_t block_num, std::string_view what);

// Adds disk_saved_mb to `phase` and it to the report, with the note naming
// the generated chain.
void add_shrink_phase(const GeneratedDatadir& d, Phase phase, Report& report);

}  // namespace klay::kbench
