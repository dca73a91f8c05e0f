// trie-commit: a state of N accounts and N/100 contracts (each with
// --storage-slots slots, half of them clones) built over --blocks blocks;
// each block's StateDB commit goes through rawdb's StateStoreBatch into the
// (sharded) state-trie database of a DBManager. Timed: mutations, roots,
// commit and batch writes; the DBManager close is timed too (flushes).
#include "bench/kbench/gen/state_content.h"
#include "bench/kbench/workload.h"
#include "engine/chaindata/db_manager.h"
#include "engine/rawdb/trie_store.h"

namespace klay::kbench {

Status run_trie_commit(const RunContext& ctx, Report& report) {
  const RunOptions& o = ctx.options;
  chaindata::Config config;
  config.backend = o.backend;
  config.num_statetrie_shards = o.shards;
  auto dbm = chaindata::DBManager::open(ctx.dir / "datadir", config);
  if (!dbm) return dbm.status();
  rawdb::StateStoreReader reader((*dbm)->state_trie());
  auto st = state::StateDB::open(&reader, &reader, empty_root().view());
  if (!st) return st.status();

  const uint64_t accounts = o.size, contracts = gen::contracts_for(o.size);
  const uint64_t blocks = std::max<uint64_t>(1, o.blocks);
  Phase phase{.name = "commit", .unit = "accounts"};
  PhaseTimer timer(phase, ctx.dir);
  double commit_s = 0;
  uint64_t nodes = 0, node_bytes = 0;
  Hash root;
  for (uint64_t b = 0; b < blocks; ++b) {
    if (Status s = gen::add_accounts(*st, accounts * b / blocks, accounts * (b + 1) / blocks); !s) return s;
    if (Status s = gen::add_contracts(*st, contracts * b / blocks, contracts * (b + 1) / blocks, o.slots); !s) return s;
    const auto t0 = std::chrono::steady_clock::now();
    rawdb::StateStoreBatch batch((*dbm)->state_trie());
    auto c = st->commit(batch, batch);
    if (!c) return c.status();
    if (Status s = batch.flush(); !s) return s;
    commit_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    nodes += c->nodes_written;
    node_bytes += c->bytes_written;
    root = c->root;
  }
  if (Status s = (*dbm)->close(); !s) return s;
  timer.finish();
  phase.disk_before = 0;  // growth from the empty datadir (see kv_workloads.cpp)
  phase.ops = accounts + contracts;
  phase.logical_bytes = node_bytes;  // trie node keys + RLP handed to the store
  phase.extra["blocks"] = static_cast<double>(blocks);
  phase.extra["contracts"] = static_cast<double>(contracts);
  phase.extra["storage_slots"] = static_cast<double>(contracts * o.slots);
  phase.extra["nodes_written"] = static_cast<double>(nodes);
  phase.extra["nodes_per_s"] = phase.wall_s > 0 ? static_cast<double>(nodes) / phase.wall_s : 0;
  phase.extra["commit_s"] = commit_s;
  report.phases.push_back(std::move(phase));
  report.notes.push_back("state root " + root.hex());
  return Status::ok();
}

}  // namespace klay::kbench
