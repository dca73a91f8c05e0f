#include "bench/kbench/workloads/generated_datadir.h"

#include <string>
#include <utility>

#include "bench/kbench/gen/state_content.h"

namespace klay::kbench {

Result<GeneratedDatadir> open_generated_datadir(const RunContext& ctx, std::string_view workload) {
  const RunOptions& o = ctx.options;
  if (o.backend == kv::Backend::kMemory) {
    return Status::invalid_argument(std::string(workload) +
                                    " needs an on-disk backend (--db.type leveldb, rocksdb or lmdb)");
  }
  chaindata::Config config;
  config.backend = o.backend;
  config.num_statetrie_shards = o.shards;
  GeneratedDatadir d;
  d.path = ctx.dir / "datadir";
  auto generated = gen::generate_chaindata(d.path, config, {o.size, gen::contracts_for(o.size), o.slots, o.blocks});
  if (!generated) return generated.status();
  d.chain = *generated;
  auto dbm = chaindata::DBManager::open(d.path, config);
  if (!dbm) return dbm.status();
  d.dbm = std::move(*dbm);
  return d;
}

Status check_head_block(const GeneratedDatadir& d, uint64_t block_num, std::string_view what) {
  if (block_num == d.chain.head) return Status::ok();
  return Status::corruption(std::string(what) + " " + std::to_string(block_num) + ", expected the head " +
                            std::to_string(d.chain.head));
}

void add_shrink_phase(const GeneratedDatadir& d, Phase phase, Report& report) {
  phase.extra["disk_saved_mb"] =
      (static_cast<double>(phase.disk_before) - static_cast<double>(phase.disk_after)) / 1e6;
  report.phases.push_back(std::move(phase));
  report.notes.push_back("generated " + std::to_string(d.chain.head) + " blocks, state root " +
                         d.chain.state_root.hex());
}

}  // namespace klay::kbench
