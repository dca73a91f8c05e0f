// migrate: the offline state-trie migration (migration/offline_migration.h)
// of a generated chaindata (gen/chain_gen.h) of --db.type. Timed: the
// migration of the head state (copy, verify, swap, old directory removed)
// and the DBManager close.
#include "bench/kbench/workload.h"

#ifdef KBENCH_HAVE_MIGRATION
#include "bench/kbench/workloads/generated_datadir.h"
#include "migration/offline_migration.h"
#endif

namespace klay::kbench {

Status run_migrate(const RunContext& ctx, Report& report) {
#ifndef KBENCH_HAVE_MIGRATION
  (void)ctx;
  (void)report;
  return Status::not_supported("kbench was built without the migration library (migration/)");
#else
  auto d = open_generated_datadir(ctx, "migrate");
  if (!d) return d.status();

  migration::OfflineOptions options;
  options.engine.threads = ctx.options.threads;  // 0: every core
  Phase phase{.name = "migrate", .unit = "nodes"};
  PhaseTimer timer(phase, d->path);
  auto r = migration::run_offline_migration(*d->dbm, options);
  if (!r) return r.status();
  if (Status s = d->dbm->close(); !s) return s;
  timer.finish();
  if (Status s = check_head_block(*d, r->block_num, "migrated block"); !s) return s;
  phase.ops = r->nodes_read;
  phase.extra["nodes_written"] = static_cast<double>(r->nodes_written);
  phase.extra["nodes_skipped"] = static_cast<double>(r->nodes_skipped);
  phase.extra["codes_written"] = static_cast<double>(r->codes_written);
  phase.extra["nodes_written_per_s"] = phase.wall_s > 0 ? static_cast<double>(r->nodes_written) / phase.wall_s : 0;
  phase.extra["engine_s"] = r->seconds;
  phase.extra["reference_ratio_11800"] = phase.ops_per_s() / 11800.0;
  add_shrink_phase(*d, std::move(phase), report);
  return Status::ok();
#endif
}

}  // namespace klay::kbench
