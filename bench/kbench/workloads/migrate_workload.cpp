// migrate: the offline state-trie migration (migration/offline_migration.h)
// of a generated chaindata (gen/chain_gen.h) of --db.type. Timed: the
// migration of the head state (copy, verify, swap, old directory removed)
// and the DBManager close.
#include "bench/kbench/gen/chain_gen.h"
#include "bench/kbench/gen/state_content.h"
#include "bench/kbench/workload.h"

#ifdef KBENCH_HAVE_MIGRATION
#include "engine/chaindata/db_manager.h"
#include "migration/offline_migration.h"
#endif

namespace klay::kbench {

Status run_migrate(const RunContext& ctx, Report& report) {
#ifndef KBENCH_HAVE_MIGRATION
  (void)ctx;
  (void)report;
  return Status::not_supported("kbench was built without the migration library (migration/)");
#else
  const RunOptions& o = ctx.options;
  if (o.backend == kv::Backend::kMemory) {
    return Status::invalid_argument("migrate needs an on-disk backend (--db.type leveldb, rocksdb or lmdb)");
  }
  chaindata::Config config;
  config.backend = o.backend;
  config.num_statetrie_shards = o.shards;
  const auto datadir = ctx.dir / "datadir";
  auto generated = gen::generate_chaindata(datadir, config, {o.size, gen::contracts_for(o.size), o.slots, o.blocks});
  if (!generated) return generated.status();
  auto dbm = chaindata::DBManager::open(datadir, config);
  if (!dbm) return dbm.status();

  migration::OfflineOptions options;
  options.engine.threads = o.threads;  // 0: every core
  Phase phase{.name = "migrate", .unit = "nodes"};
  PhaseTimer timer(phase, datadir);
  auto r = migration::run_offline_migration(**dbm, options);
  if (!r) return r.status();
  if (Status s = (*dbm)->close(); !s) return s;
  timer.finish();
  if (r->block_num != generated->head) {
    return Status::corruption("migrated block " + std::to_string(r->block_num) + ", expected the head " +
                              std::to_string(generated->head));
  }
  phase.ops = r->nodes_read;
  phase.extra["nodes_written"] = static_cast<double>(r->nodes_written);
  phase.extra["nodes_skipped"] = static_cast<double>(r->nodes_skipped);
  phase.extra["codes_written"] = static_cast<double>(r->codes_written);
  phase.extra["nodes_written_per_s"] = phase.wall_s > 0 ? static_cast<double>(r->nodes_written) / phase.wall_s : 0;
  phase.extra["engine_s"] = r->seconds;
  phase.extra["reference_ratio_11800"] = phase.ops_per_s() / 11800.0;
  phase.extra["disk_saved_mb"] =
      (static_cast<double>(phase.disk_before) - static_cast<double>(phase.disk_after)) / 1e6;
  report.phases.push_back(std::move(phase));
  report.notes.push_back("generated " + std::to_string(generated->head) + " blocks, state root " +
                         generated->state_root.hex());
  return Status::ok();
#endif
}

}  // namespace klay::kbench
