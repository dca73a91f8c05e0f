// kchaindata compact --datadir D [--db TYPE] [--range START END]
#include <cxxopts.hpp>

#include "tools/common/progress.h"
#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/datadir_dbs.h"
#include "tools/kchaindata/datadir_flags.h"
#include "tools/kchaindata/db_select.h"

namespace klay::kchaindata {

namespace {

constexpr int kRanges = 16;  // compaction steps per database (first-byte ranges)

int run_compact(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser("kchaindata compact",
                          "Compacts the databases of a stopped node (all, or one entry type with --db), range by "
                          "range with progress. LMDB cannot compact in place.");
  DatadirFlags flags;
  std::string db_name;
  std::vector<std::string> range;
  add_datadir_options(parser, flags);
  parser.add_options()
      ("db", "only this entry type: " + db_names_help(), cxxopts::value(db_name))
      ("range", "only keys in [START, END) (hex): --range START END", cxxopts::value(range))
      ("h,help", "show this help");
  std::vector<std::string> storage;
  auto argv = cli::make_argv("kchaindata compact", args, storage);
  const auto parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  if (parsed.count("help")) return handle_help(parser, parsed, ctx) ? cli::kExitOk : cli::kExitOk;
  // Accept "--range START END" as well as "--range START,END".
  auto unmatched = parsed.unmatched();
  if (range.size() == 1 && unmatched.size() == 1) {
    range.push_back(unmatched[0]);
    unmatched.clear();
  }
  if (!unmatched.empty()) throw cli::UsageError("unexpected argument '" + unmatched[0] + "'");
  finish_datadir_flags(parsed, flags);
  std::optional<std::pair<Bytes, Bytes>> bounds;
  if (!range.empty()) {
    if (range.size() != 2) throw cli::UsageError("--range takes two hex keys: START,END");
    bounds = std::make_pair(parse_hex_arg(range[0], "--range START"), parse_hex_arg(range[1], "--range END"));
    if (compare(bounds->first, bounds->second) >= 0) throw cli::UsageError("--range START must be below END");
  }
  auto config = resolve_config(flags);
  if (!config) return report_failure(ctx, "compact", config.status());
  auto dbm = open_datadir(flags, true);
  if (!dbm) return report_failure(ctx, "compact", dbm.status());
  auto all = physical_dbs(**dbm);
  if (!all) return report_failure(ctx, "compact", all.status());
  std::vector<PhysicalDb> targets;
  if (db_name.empty()) {
    targets = *all;
  } else {
    auto db = select_db(**dbm, db_name);
    if (!db) return report_failure(ctx, "compact", db.status());
    for (const auto& p : *all) {
      if (p.db == *db) targets.push_back(p);
    }
  }
  if (config->backend == kv::Backend::kLMDB) {
    uint64_t size = 0;
    for (const auto& t : targets) size += dir_size(t.path);
    return report_failure(
        ctx, "compact",
        Status::not_supported("LMDB cannot compact in place; a compacted copy needs up to " +
                              std::to_string(size / 1048576) + " MiB free (the current data.mdb size), and "
                              "kchaindata cannot reach LMDB's copy-compaction yet: run `kchaindata convert "
                              "--dst.db.type lmdb` to write a compacted copy instead"));
  }
  const int steps_per_db = bounds ? 1 : kRanges;
  cli::Progress progress("compact", targets.size() * steps_per_db, "ranges", ctx.err);
  for (const auto& t : targets) {
    const uint64_t before = dir_size(t.path);
    for (int i = 0; i < steps_per_db; ++i) {
      Status s;
      if (bounds) {
        s = t.db->compact(ByteView(bounds->first), ByteView(bounds->second));
      } else {
        const Bytes begin{static_cast<uint8_t>(i * (256 / kRanges))};
        const Bytes end{static_cast<uint8_t>((i + 1) * (256 / kRanges))};
        s = t.db->compact(i == 0 ? std::nullopt : std::optional<ByteView>(begin),
                          i == kRanges - 1 ? std::nullopt : std::optional<ByteView>(end));
      }
      if (!s) return report_failure(ctx, "compact", Status::io_error(t.label + ": " + s.message()));
      progress.add(1);
    }
    std::fprintf(ctx.out, "%-16s %12llu -> %12llu bytes on disk\n", t.label.c_str(),
                 static_cast<unsigned long long>(before), static_cast<unsigned long long>(dir_size(t.path)));
  }
  progress.finish();
  return cli::kExitOk;
}

}  // namespace

cli::Command compact_command() {
  return {"compact", "compact databases, range by range (--datadir D [--db TYPE] [--range START,END])", run_compact};
}

}  // namespace klay::kchaindata
