// import: --size value transfers in blocks of --txns-per-block, pre-built and
// pre-signed (gen/transfer_blocks.h) outside the timed region, inserted into
// a fresh datadir of --db.type initialised with the same genesis (gcmode
// full, default options, seals verified). Timed: BlockChain::insert_blocks
// over every block, then BlockChain::close() (the head-state flush of a clean
// shutdown) and the DBManager close.
#include "bench/kbench/gen/transfer_blocks.h"
#include "bench/kbench/workload.h"
#include "engine/chaindata/db_manager.h"
#include "engine/rawdb/genesis_commit.h"
#include "node/chain/blockchain.h"

namespace klay::kbench {

Status run_import(const RunContext& ctx, Report& report) {
  const RunOptions& o = ctx.options;
  const uint64_t per_block = std::max<uint64_t>(1, std::min(o.txns_per_block, o.size));
  const uint64_t num_blocks = std::max<uint64_t>(1, (o.size + per_block - 1) / per_block);
  auto built = gen::build_transfer_blocks(ctx.dir / "producer", num_blocks, per_block);
  if (!built) return built.status();

  chaindata::Config config;
  config.backend = o.backend;
  config.num_statetrie_shards = o.shards;
  auto dbm = chaindata::DBManager::open(ctx.dir / "datadir", config);
  if (!dbm) return dbm.status();
  if (auto s = rawdb::setup_genesis(**dbm, built->genesis_json); !s) return s.status();
  auto chain = chain::BlockChain::open(**dbm);
  if (!chain) return chain.status();

  Phase phase{.name = "import", .unit = "txns"};
  PhaseTimer timer(phase, ctx.dir / "datadir");
  auto stats = (*chain)->insert_blocks(built->blocks);
  if (!stats) return stats.status();
  if (Status s = (*chain)->close(); !s) return s;
  chain->reset();
  if (Status s = (*dbm)->close(); !s) return s;  // as a node shutting down: flushes every database
  timer.finish();
  if (stats->inserted != built->blocks.size() || stats->txns != built->txns) {
    return Status::corruption("inserted " + std::to_string(stats->inserted) + " of " +
                              std::to_string(built->blocks.size()) + " blocks");
  }
  phase.ops = stats->txns;
  phase.extra["blocks"] = static_cast<double>(stats->inserted);
  phase.extra["blocks_per_s"] = phase.wall_s > 0 ? static_cast<double>(stats->inserted) / phase.wall_s : 0;
  phase.extra["txns_per_cpu_s"] = phase.cpu_s > 0 ? static_cast<double>(stats->txns) / phase.cpu_s : 0;
  phase.extra["target_ratio_20k"] = phase.ops_per_s() / 20000.0;
  report.phases.push_back(std::move(phase));
  return Status::ok();
}

}  // namespace klay::kbench
