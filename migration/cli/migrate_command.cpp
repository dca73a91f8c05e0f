#include "migration/cli/migrate_command.h"

#include <unistd.h>

#include <chrono>
#include <cxxopts.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "migration/offline_migration.h"
#include "tools/common/datadir_options.h"
#include "tools/common/option_parsing.h"
#include "tools/common/progress.h"

namespace klay::cli {

namespace {

constexpr std::string_view kProgram = "kchaindata migrate";

struct MigrateFlags {
  DatadirFlags data;
  std::optional<uint64_t> block;
  size_t threads = 0;
  bool json = false;
  bool to_live_pruning = false;
  uint64_t retention = 0;
};

// The datadir's config with the cache of a long offline run.
Result<chaindata::Config> resolve_config(const DatadirFlags& flags) {
  chaindata::Config base;
  base.cache_mib = 512;
  base.max_open_files = 512;
  return resolve_datadir_config(flags, base);
}

uint64_t peak_rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
  }
  return 0;
}

int fail(Context& ctx, const Status& s) { return print_failure(ctx, kProgram, s); }

int run_migrate(const std::vector<std::string>& args, Context& ctx, const ToLivePruningRunner& to_live_pruning) {
  MigrateFlags f;
  cxxopts::Options parser(std::string(kProgram),
                          "Offline state-trie migration: keep only the state at one block, drop every other node. "
                          "With --to-live-pruning, convert a datadir without live pruning into a live-pruning one "
                          "instead (the state at the block rewritten with ExtHash keys, the settings file flipped).");
  uint64_t block = 0;
  add_datadir_options(parser, f.data);
  parser.add_options()
      ("block", "block whose state is kept (default: the newest with its state present)", cxxopts::value(block))
      ("threads", "worker threads (default: every core)", cxxopts::value(f.threads))
      ("json", "print the result as one JSON object", cxxopts::value(f.json))
      ("to-live-pruning", "convert to live pruning (keeps the state at --block, ExtHash keys) instead of migrating",
       cxxopts::value(f.to_live_pruning))
      ("state.live-pruning-retention", "with --to-live-pruning: seconds of history live pruning keeps "
       "(default 172800)", cxxopts::value(f.retention))
      ("h,help", "show this help");
  const auto parsed = parse_options(parser, args, ctx);
  if (!parsed) return kExitOk;
  finish_datadir_flags(*parsed, f.data);
  if (parsed->count("block")) f.block = block;
  if (parsed->count("state.live-pruning-retention") && !f.to_live_pruning)
    throw UsageError("--state.live-pruning-retention needs --to-live-pruning");
  if (f.to_live_pruning && parsed->count("threads")) throw UsageError("--threads does not apply to --to-live-pruning");

  auto config = resolve_config(f.data);
  if (!config) return fail(ctx, config.status());
  if (f.to_live_pruning) {
    if (!to_live_pruning) {
      return fail(ctx, Status::not_supported("--to-live-pruning is not available in this program"));
    }
    ToLivePruningRequest req;
    req.datadir = f.data.datadir;
    req.config = *config;
    req.block = f.block;
    if (parsed->count("state.live-pruning-retention")) req.retention = f.retention;
    req.json = f.json;
    return to_live_pruning(req, ctx);
  }
  if (config->single_db) {
    return fail(ctx, Status::not_supported("state migration needs a separate state-trie database, but datadir " +
                                           f.data.datadir + " is in single-DB mode (--db.single)"));
  }
  auto opened = open_stopped_datadir(f.data, *config, kProgram);
  if (!opened) return fail(ctx, opened.status());
  auto& dbm = **opened;

  const bool show = !f.json;
  Progress progress("migrate", 0, "nodes", ctx.err);
  if (!show) progress.silence();
  migration::OfflineOptions options;
  options.block_num = f.block;
  options.engine.threads = f.threads;
  options.engine.progress_interval = std::chrono::milliseconds(isatty(fileno(ctx.err)) ? 200 : 10'000);
  options.engine.on_progress = [&](const migration::MigrationProgress& p) {
    progress.set(p.status.read + p.status.skipped);
  };
  options.on_start = [&](const migration::StateMigration& m, bool resumed) {
    if (show) {
      std::fprintf(ctx.err, "%s the state migration at block %llu (root %s)\n", resumed ? "resuming" : "starting",
                   static_cast<unsigned long long>(m.block_num()), m.root().hex().c_str());
    }
    auto estimate = dbm.state_trie().stats();
    if (estimate) progress.set_total(estimate->estimated_keys);
  };
  auto report = migration::run_offline_migration(dbm, options);
  if (!report) return fail(ctx, report.status());
  progress.set(report->nodes_read + report->nodes_skipped);
  progress.finish();
  if (Status cs = dbm.close(); !cs) return fail(ctx, cs);

  const auto& r = *report;
  const double rate = r.seconds > 0 ? static_cast<double>(r.nodes_read + r.nodes_skipped) / r.seconds : 0;
  if (f.json) {
    nlohmann::json j;
    j["block"] = r.block_num;
    j["already_migrated"] = r.already_migrated;
    j["root"] = r.root.hex();
    j["resumed"] = r.resumed;
    j["runs"] = r.runs;
    j["nodes_read"] = r.nodes_read;
    j["nodes_written"] = r.nodes_written;
    j["nodes_skipped"] = r.nodes_skipped;
    j["codes_written"] = r.codes_written;
    j["completion_records"] = r.records;
    j["total_read"] = r.total_read;
    j["seconds"] = r.seconds;
    j["nodes_per_second"] = rate;
    j["peak_rss_kib"] = peak_rss_kib();
    j["filter_bytes"] = r.filter_bytes;
    j["old_dir"] = r.old_dir;
    j["new_dir"] = r.new_dir;
    std::fprintf(ctx.out, "%s\n", j.dump().c_str());
  } else if (r.already_migrated) {
    std::fprintf(ctx.out, "the state trie already holds only the state at block %llu (%s); nothing to do\n",
                 static_cast<unsigned long long>(r.block_num), r.new_dir.c_str());
  } else {
    std::fprintf(ctx.out,
                 "migrated the state at block %llu into %s (%s removed)\n"
                 "  nodes read %llu, written %llu, covered by completion records %llu, codes %llu, "
                 "in %.1f s (%.0f nodes/s)\n",
                 static_cast<unsigned long long>(r.block_num), r.new_dir.c_str(), r.old_dir.c_str(),
                 static_cast<unsigned long long>(r.nodes_read), static_cast<unsigned long long>(r.nodes_written),
                 static_cast<unsigned long long>(r.nodes_skipped), static_cast<unsigned long long>(r.codes_written),
                 r.seconds, rate);
  }
  return kExitOk;
}

}  // namespace

Command migrate_command(ToLivePruningRunner to_live_pruning) {
  return Command{"migrate",
                 "keep only one block's state: copy it to a fresh state trie, verify, swap (resumable); "
                 "--to-live-pruning converts to live pruning",
                 [to_live_pruning](const std::vector<std::string>& args, Context& ctx) {
                   return run_migrate(args, ctx, to_live_pruning);
                 }};
}

}  // namespace klay::cli
