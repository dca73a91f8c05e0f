// kchaindata compact --datadir D [--db TYPE] [--range START END]
#include <fcntl.h>
#include <unistd.h>

#include <cxxopts.hpp>

#include "engine/chaindata/datadir_lock.h"
#include "engine/kv/backends.h"

#include "tools/common/progress.h"
#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/datadir_dbs.h"
#include "tools/kchaindata/datadir_flags.h"
#include "tools/kchaindata/db_select.h"

namespace klay::kchaindata {

namespace {

constexpr int kRanges = 16;  // compaction steps per database (first-byte ranges)

namespace fs = std::filesystem;

// Every LMDB environment (directory holding data.mdb) under `dir`: one, or one per shard.
std::vector<fs::path> lmdb_envs(const fs::path& dir) {
  std::vector<fs::path> envs;
  std::error_code ec;
  if (fs::exists(dir / "data.mdb", ec)) envs.push_back(dir);
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().filename() == "data.mdb" && it->path().parent_path() != dir)
      envs.push_back(it->path().parent_path());
  return envs;
}

Status fsync_path(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY);
  if (fd < 0) return Status::io_error("cannot open " + p.string() + " to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::ok() : Status::io_error("cannot sync " + p.string());
}

// Copy-compaction of one environment: a compacted copy is written beside it,
// synced, then renamed over data.mdb (an atomic replacement: a crash leaves
// either the old or the new file, never a mix).
Status compact_lmdb_env(const fs::path& env) {
  const fs::path tmp = env.string() + ".compacting";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (Status s = kv::lmdb_copy_compact(env, tmp); !s) {
    fs::remove_all(tmp, ec);
    return s;
  }
  if (Status s = fsync_path(tmp / "data.mdb"); !s) return s;
  fs::rename(tmp / "data.mdb", env / "data.mdb", ec);
  if (ec) return Status::io_error("cannot replace " + (env / "data.mdb").string() + ": " + ec.message());
  if (Status s = fsync_path(env); !s) return s;
  fs::remove_all(tmp, ec);
  return Status::ok();
}

int compact_lmdb(const std::vector<fs::path>& targets, const fs::path& datadir,
                 std::unique_ptr<chaindata::DBManager> dbm, cli::Context& ctx) {
  std::vector<fs::path> envs;
  uint64_t largest = 0;
  for (const auto& t : targets)
    for (const auto& e : lmdb_envs(t)) {
      envs.push_back(e);
      largest = std::max<uint64_t>(largest, fs::file_size(e / "data.mdb"));
    }
  std::error_code ec;
  const auto space = fs::space(datadir, ec);
  std::fprintf(ctx.err,
               "LMDB compacts by copying: each environment is rewritten beside itself, so up to %llu MiB "
               "must be free (%llu MiB available).\n",
               static_cast<unsigned long long>(largest >> 20),
               static_cast<unsigned long long>(ec ? 0 : space.available >> 20));
  if (!ec && space.available < largest + (16ull << 20))
    return report_failure(ctx, "compact",
                          Status::no_space("not enough free space for LMDB copy-compaction: need " +
                                           std::to_string((largest >> 20) + 16) + " MiB, have " +
                                           std::to_string(space.available >> 20) + " MiB"));
  // The environments must be closed to copy them; hold the datadir lock meanwhile
  // so no node starts on a half-compacted datadir.
  dbm.reset();
  auto lock = chaindata::DatadirLock::acquire(datadir / "klay" / "LOCK", datadir);
  if (!lock) return report_failure(ctx, "compact", lock.status());
  cli::Progress progress("compact", envs.size(), "environments", ctx.err);
  for (const auto& env : envs) {
    const uint64_t before = fs::file_size(env / "data.mdb");
    if (Status s = compact_lmdb_env(env); !s) return report_failure(ctx, "compact", s);
    std::fprintf(ctx.out, "%-40s %12llu -> %12llu bytes on disk\n", env.string().c_str(),
                 static_cast<unsigned long long>(before),
                 static_cast<unsigned long long>(fs::file_size(env / "data.mdb")));
    progress.add(1);
  }
  progress.finish();
  return cli::kExitOk;
}

int run_compact(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser("kchaindata compact",
                          "Compacts the databases of a stopped node (all, or one entry type with --db), range by "
                          "range with progress. LMDB, which cannot compact in place, is compacted by copying each "
                          "environment and replacing it atomically (needs free space the size of the largest).");
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
    if (bounds) throw cli::UsageError("LMDB compacts whole environments by copying; drop --range");
    std::vector<fs::path> paths;
    for (const auto& t : targets) paths.push_back(t.path);
    return compact_lmdb(paths, flags.datadir, std::move(*dbm), ctx);
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
