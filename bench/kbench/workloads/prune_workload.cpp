// prune: the offline state prune (pruning/offline_pruner.h: bloom mark of
// the head state, sweep of everything else, compaction) of a generated
// chaindata (gen/chain_gen.h) of --db.type, whose every block's state is on
// disk. Timed: prune_offline and the DBManager close.
#include "bench/kbench/workload.h"

#ifdef KBENCH_HAVE_PRUNING
#include "bench/kbench/workloads/generated_datadir.h"
#include "pruning/offline_pruner.h"
#endif

namespace klay::kbench {

Status run_prune(const RunContext& ctx, Report& report) {
#ifndef KBENCH_HAVE_PRUNING
  (void)ctx;
  (void)report;
  return Status::not_supported("kbench was built without the pruning library (pruning/)");
#else
  auto d = open_generated_datadir(ctx, "prune");
  if (!d) return d.status();

  pruning::OfflinePruneOptions options;
  options.threads = ctx.options.threads;  // 0: every core
  Phase phase{.name = "prune", .unit = "keys"};
  PhaseTimer timer(phase, d->path);
  auto r = pruning::prune_offline(*d->dbm, options);
  if (!r) return r.status();
  if (Status s = d->dbm->close(); !s) return s;
  timer.finish();
  if (Status s = check_head_block(*d, r->block_num, "pruned to block"); !s) return s;
  phase.ops = r->keys_scanned;
  phase.extra["nodes_marked"] = static_cast<double>(r->nodes_marked);
  phase.extra["nodes_deleted"] = static_cast<double>(r->nodes_deleted);
  phase.extra["mb_deleted"] = static_cast<double>(r->bytes_deleted) / 1e6;
  phase.extra["mark_s"] = r->mark_seconds;
  phase.extra["sweep_s"] = r->sweep_seconds;
  phase.extra["compact_s"] = r->compact_seconds;
  add_shrink_phase(*d, std::move(phase), report);
  return Status::ok();
#endif
}

}  // namespace klay::kbench
