// convert: `kchaindata convert` (the command's library entry, in-process) of
// a generated chaindata of --src.db.type into --db.type, then `cp -a` of the
// same source as the yardstick. Both phases report MB/s of source disk
// bytes, so their ratio is the price of a verified, re-encoded copy over a
// file copy. The convert phase includes its own verification pass.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "bench/kbench/child_process.h"
#include "bench/kbench/gen/chain_gen.h"
#include "bench/kbench/gen/state_content.h"
#include "bench/kbench/workload.h"

#ifdef KBENCH_HAVE_CONVERT
#include "tools/kchaindata/commands.h"
#endif

namespace klay::kbench {

namespace {

std::string read_all(std::FILE* f) {
  std::string s;
  std::rewind(f);
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
  return s;
}

}  // namespace

Status run_convert(const RunContext& ctx, Report& report) {
#ifndef KBENCH_HAVE_CONVERT
  (void)ctx;
  (void)report;
  return Status::not_supported("kbench was built without the kchaindata library (tools/kchaindata)");
#else
  const RunOptions& o = ctx.options;
  if (o.backend == kv::Backend::kMemory || o.src_backend == kv::Backend::kMemory) {
    return Status::invalid_argument("convert needs on-disk backends (--db.type / --src.db.type leveldb, rocksdb or lmdb)");
  }
  chaindata::Config config;
  config.backend = o.src_backend;
  config.num_statetrie_shards = o.shards;
  const auto src = ctx.dir / "src";
  auto generated = gen::generate_chaindata(src, config, {o.size, gen::contracts_for(o.size), o.slots, o.blocks});
  if (!generated) return generated.status();
  const uint64_t src_disk = disk_usage(src);

  Phase conv{.name = "convert", .unit = "keys"};
  {
    std::FILE* out = std::tmpfile();
    std::FILE* err = std::tmpfile();
    if (out == nullptr || err == nullptr) return Status::io_error("cannot create a temporary file");
    cli::Context cctx{out, err};
    const std::vector<std::string> args = {"--datadir",     src.string(),
                                           "--dst.datadir", (ctx.dir / "dst").string(),
                                           "--dst.db.type", std::string(kv::backend_name(o.backend)),
                                           "--json"};
    PhaseTimer timer(conv, ctx.dir / "dst.converting");
    const int rc = kchaindata::convert_command().run(args, cctx);
    timer.finish();
    const std::string out_text = read_all(out), err_text = read_all(err);
    std::fclose(out);
    std::fclose(err);
    if (rc != 0) return Status::io_error("kchaindata convert failed (exit " + std::to_string(rc) + "): " + err_text);
    const auto j = nlohmann::json::parse(out_text, nullptr, false);
    if (j.is_discarded() || !j.value("verified", false)) return Status::corruption("convert printed no verified summary");
    conv.ops = j.at("keys");
    conv.logical_bytes = src_disk;
    conv.disk_after = disk_usage(ctx.dir / "dst");
    conv.extra["key_value_mb"] = j.at("logical_bytes").get<double>() / 1e6;
    conv.extra["copy_s"] = j.at("copy_seconds");
  }
  report.phases.push_back(conv);

  // The yardstick twice: cp -a as such (it leaves the data in the page
  // cache), and cp -a followed by an fsync of every copied file (convert
  // syncs its checkpoints, so this is the like-for-like figure).
  for (const bool fsync_files : {false, true}) {
    const std::string copy = (ctx.dir / (fsync_files ? "copy-synced" : "copy")).string();
    Phase cp{.name = fsync_files ? "cp -a+fsync" : "cp -a", .unit = "bytes"};
    const std::string script = "cp -a '" + src.string() + "' '" + copy + "'" +
                               (fsync_files ? " && find '" + copy + "' -type f -exec sync {} +" : "");
    auto child = run_child({"sh", "-c", script});
    if (!child) return child.status();
    if (child->exit_code != 0) return Status::io_error("`" + script + "` failed with exit code " + std::to_string(child->exit_code));
    cp.wall_s = child->wall_s;
    cp.cpu_s = child->cpu_s;
    cp.io_write_bytes = child->write_bytes;
    cp.ops = src_disk;
    cp.logical_bytes = src_disk;
    cp.disk_after = disk_usage(copy);
    report.phases.push_back(cp);
  }

  const Phase& cp = report.phases[1];
  const Phase& cp_synced = report.phases[2];
  report.phases.front().extra["vs_cp_a"] = cp.wall_s > 0 ? conv.wall_s / cp.wall_s : 0;
  report.phases.front().extra["vs_cp_a_fsync"] = cp_synced.wall_s > 0 ? conv.wall_s / cp_synced.wall_s : 0;
  report.notes.push_back("source " + std::string(kv::backend_name(o.src_backend)) + ", " + format_bytes(src_disk) +
                         " on disk, " + std::to_string(generated->head) + " blocks; MB/s and write amplification "
                         "are over source disk bytes; cp figures are of the sh/cp/sync child processes (wall, CPU, write_bytes; their peak RSS is not measured)");
  return Status::ok();
#endif
}

}  // namespace klay::kbench
