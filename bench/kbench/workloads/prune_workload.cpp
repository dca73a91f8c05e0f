// prune: the offline state prune (pruning/offline_pruner.h: bloom mark of
// the head state, sweep of everything else, compaction) of a generated
// chaindata (gen/chain_gen.h) of --db.type, whose every block's state is on
// disk. Timed: prune_offline and the DBManager close.
#include "bench/kbench/gen/chain_gen.h"
#include "bench/kbench/gen/state_content.h"
#include "bench/kbench/workload.h"

#ifdef KBENCH_HAVE_PRUNING
#include "engine/chaindata/db_manager.h"
#include "pruning/offline_pruner.h"
#endif

namespace klay::kbench {

Status run_prune(const RunContext& ctx, Report& report) {
#ifndef KBENCH_HAVE_PRUNING
  (void)ctx;
  (void)report;
  return Status::not_supported("kbench was built without the pruning library (pruning/)");
#else
  const RunOptions& o = ctx.options;
  if (o.backend == kv::Backend::kMemory) {
    return Status::invalid_argument("prune needs an on-disk backend (--db.type leveldb, rocksdb or lmdb)");
  }
  chaindata::Config config;
  config.backend = o.backend;
  config.num_statetrie_shards = o.shards;
  const auto datadir = ctx.dir / "datadir";
  auto generated = gen::generate_chaindata(datadir, config, {o.size, gen::contracts_for(o.size), o.slots, o.blocks});
  if (!generated) return generated.status();
  auto dbm = chaindata::DBManager::open(datadir, config);
  if (!dbm) return dbm.status();

  pruning::OfflinePruneOptions options;
  options.threads = o.threads;  // 0: every core
  Phase phase{.name = "prune", .unit = "keys"};
  PhaseTimer timer(phase, datadir);
  auto r = pruning::prune_offline(**dbm, options);
  if (!r) return r.status();
  if (Status s = (*dbm)->close(); !s) return s;
  timer.finish();
  if (r->block_num != generated->head) {
    return Status::corruption("pruned to block " + std::to_string(r->block_num) + ", expected the head " +
                              std::to_string(generated->head));
  }
  phase.ops = r->keys_scanned;
  phase.extra["nodes_marked"] = static_cast<double>(r->nodes_marked);
  phase.extra["nodes_deleted"] = static_cast<double>(r->nodes_deleted);
  phase.extra["mb_deleted"] = static_cast<double>(r->bytes_deleted) / 1e6;
  phase.extra["mark_s"] = r->mark_seconds;
  phase.extra["sweep_s"] = r->sweep_seconds;
  phase.extra["compact_s"] = r->compact_seconds;
  phase.extra["disk_saved_mb"] =
      (static_cast<double>(phase.disk_before) - static_cast<double>(phase.disk_after)) / 1e6;
  report.phases.push_back(std::move(phase));
  report.notes.push_back("generated " + std::to_string(generated->head) + " blocks, state root " +
                         generated->state_root.hex());
  return Status::ok();
#endif
}

}  // namespace klay::kbench
