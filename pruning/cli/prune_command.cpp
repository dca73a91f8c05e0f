#include "pruning/cli/prune_command.h"

#include <unistd.h>

#include <cxxopts.hpp>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/rawdb/datadir_settings.h"
#include "pruning/offline_pruner.h"
#include "tools/common/datadir_options.h"
#include "tools/common/option_parsing.h"
#include "tools/common/progress.h"

namespace klay::cli {

namespace {

constexpr std::string_view kProgram = "kchaindata prune";

struct PruneFlags {
  DatadirFlags data;
  std::optional<uint64_t> block;
  size_t threads = 0;
  unsigned bits_per_key = 10;
  bool no_compact = false;
  bool json = false;
};

// The datadir's config with the cache of a long offline run; refuses a
// datadir with live pruning.
Result<chaindata::Config> resolve_config(const DatadirFlags& flags) {
  chaindata::Config base;
  base.cache_mib = 512;
  base.max_open_files = 512;
  auto config = resolve_datadir_config(flags, base);
  if (!config) return config;
  auto settings = rawdb::load_datadir_settings(flags.datadir);
  if (!settings) return settings.status();
  if (*settings && (*settings)->live_pruning)
    return Status::invalid_argument("datadir " + flags.datadir +
                                    " runs with live pruning (see its chaindata-settings.json): it prunes itself "
                                    "while the node runs; offline prune is for datadirs without it");
  return config;
}

int fail(Context& ctx, const Status& s) { return print_failure(ctx, kProgram, s); }

const char* phase_name(pruning::PrunePhase p) {
  switch (p) {
    case pruning::PrunePhase::kMark: return "mark";
    case pruning::PrunePhase::kSweep: return "sweep";
    case pruning::PrunePhase::kCompact: return "compact";
  }
  return "?";
}

int run_prune(const std::vector<std::string>& args, Context& ctx) {
  PruneFlags f;
  cxxopts::Options parser(std::string(kProgram),
                          "Offline state prune: keep the state at one block and newer, delete every other trie node");
  uint64_t block = 0;
  add_datadir_options(parser, f.data);
  parser.add_options()
      ("block", "oldest block whose state is kept (default: the newest with its state present)",
       cxxopts::value(block))
      ("threads", "worker threads (default: every core)", cxxopts::value(f.threads))
      ("bits-per-key", "bloom filter bits per estimated key (default 10: ~1% garbage kept)",
       cxxopts::value(f.bits_per_key))
      ("no-compact", "skip the final compaction of the state trie", cxxopts::value(f.no_compact))
      ("json", "print the result as one JSON object", cxxopts::value(f.json))
      ("h,help", "show this help");
  const auto parsed = parse_options(parser, args, ctx);
  if (!parsed) return kExitOk;
  finish_datadir_flags(*parsed, f.data);
  if (f.bits_per_key < 2 || f.bits_per_key > 64) throw UsageError("--bits-per-key must be in 2..64");
  if (parsed->count("block")) f.block = block;

  auto config = resolve_config(f.data);
  if (!config) return fail(ctx, config.status());
  auto opened = open_stopped_datadir(f.data, *config, kProgram);
  if (!opened) return fail(ctx, opened.status());
  auto& dbm = **opened;

  const bool show = !f.json;
  std::mutex mu;
  std::unique_ptr<Progress> bar;
  pruning::PrunePhase shown = pruning::PrunePhase::kMark;
  pruning::OfflinePruneOptions options;
  options.block_num = f.block;
  options.threads = f.threads;
  options.bits_per_key = f.bits_per_key;
  options.compact = !f.no_compact;
  if (show) {
    options.on_progress = [&](const pruning::OfflinePruneProgress& p) {
      std::lock_guard lock(mu);
      if (!bar || p.phase != shown) {
        if (bar) bar->finish();
        shown = p.phase;
        const char* unit = p.phase == pruning::PrunePhase::kCompact ? "ranges" : p.phase == pruning::PrunePhase::kMark ? "nodes" : "keys";
        bar = std::make_unique<Progress>(std::string("prune ") + phase_name(p.phase), p.total, unit, ctx.err);
      }
      bar->set_total(p.total);
      bar->set(p.done);
    };
  }
  auto report = pruning::prune_offline(dbm, options);
  if (bar) bar->finish();
  if (!report) return fail(ctx, report.status());
  if (Status cs = dbm.close(); !cs) return fail(ctx, cs);

  const auto& r = *report;
  const double rate = r.sweep_seconds > 0 ? static_cast<double>(r.keys_scanned) / r.sweep_seconds : 0;
  if (f.json) {
    nlohmann::json j;
    j["block"] = r.block_num;
    j["resumed"] = r.resumed;
    nlohmann::json roots = nlohmann::json::array();
    for (const auto& root : r.roots) roots.push_back({{"block", root.block_num}, {"root", root.root.hex()}});
    j["roots"] = roots;
    j["nodes_marked"] = r.nodes_marked;
    j["codes_marked"] = r.codes_marked;
    j["keys_scanned"] = r.keys_scanned;
    j["nodes_deleted"] = r.nodes_deleted;
    j["codes_deleted"] = r.codes_deleted;
    j["bytes_deleted"] = r.bytes_deleted;
    j["filter_bytes"] = r.filter_bytes;
    j["mark_seconds"] = r.mark_seconds;
    j["sweep_seconds"] = r.sweep_seconds;
    j["compact_seconds"] = r.compact_seconds;
    j["keys_per_second"] = rate;
    std::fprintf(ctx.out, "%s\n", j.dump().c_str());
  } else {
    std::fprintf(ctx.out,
                 "%s the state at block %llu and %zu newer state(s)\n"
                 "  marked %llu nodes and %llu codes in %.1f s; swept %llu keys in %.1f s (%.0f keys/s)\n"
                 "  deleted %llu trie nodes and %llu codes (%llu bytes); compaction %.1f s\n",
                 r.resumed ? "finished an interrupted prune keeping" : "pruned, keeping",
                 static_cast<unsigned long long>(r.block_num), r.roots.empty() ? size_t{0} : r.roots.size() - 1,
                 static_cast<unsigned long long>(r.nodes_marked), static_cast<unsigned long long>(r.codes_marked),
                 r.mark_seconds, static_cast<unsigned long long>(r.keys_scanned), r.sweep_seconds, rate,
                 static_cast<unsigned long long>(r.nodes_deleted), static_cast<unsigned long long>(r.codes_deleted),
                 static_cast<unsigned long long>(r.bytes_deleted), r.compact_seconds);
  }
  return kExitOk;
}

}  // namespace

Command prune_command() {
  return Command{"prune",
                 "offline state prune (datadirs without live pruning): keep block N's state and newer, delete the "
                 "rest (resumable)",
                 run_prune};
}

}  // namespace klay::cli
