// kchaindata convert --datadir SRC --dst.datadir DST --dst.db.type T
//                    [--dst.db.num-statetrie-shards N] [--dst.db.single]
//                    [--dst.db.rocksdb.compression-type lz4|snappy|zstd|none] [--threads N] [--json]
#include <sys/resource.h>

#include <chrono>
#include <cxxopts.hpp>
#include <nlohmann/json.hpp>

#include "tools/common/progress.h"
#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/convert_engine.h"
#include "tools/kchaindata/convert_setup.h"
#include "tools/kchaindata/datadir_dbs.h"
#include "tools/kchaindata/datadir_flags.h"
#include "tools/kchaindata/key_category.h"

namespace klay::kchaindata {

namespace {

struct ConvertFlags {
  DatadirFlags src;
  std::string dst;
  std::string dst_type;
  uint32_t dst_shards = 0;
  bool dst_single = false;
  std::string dst_rocksdb_compression = "lz4";
  bool json = false;
  size_t threads = 0;
  uint64_t test_chunk_keys = 0;
  int test_pause_ms = 0;
  uint64_t test_free_bytes = 0;
  bool test_free_given = false;
};

Result<chaindata::Config> destination_config(const ConvertFlags& f, const chaindata::Config& src) {
  auto backend = kv::parse_backend(f.dst_type);
  if (!backend) return Status::invalid_argument("--dst.db.type: " + backend.status().message());
  if (*backend == kv::Backend::kMemory) return Status::invalid_argument("--dst.db.type memory cannot hold a datadir");
  chaindata::Config c;
  c.backend = *backend;
  c.single_db = f.dst_single;
  c.num_statetrie_shards = f.dst_shards != 0 ? f.dst_shards : (src.single_db ? 4 : src.num_statetrie_shards);
  c.sync_writes = true;  // a checkpoint must never name data the disk could still lose
  const std::string& z = f.dst_rocksdb_compression;
  if (z == "lz4") {
    c.rocksdb_compression = kv::Compression::kLZ4;
  } else if (z == "none") {
    c.rocksdb_compression = kv::Compression::kNone;
  } else if (z == "snappy") {
    c.rocksdb_compression = kv::Compression::kSnappy;
  } else if (z == "zstd") {
    c.rocksdb_compression = kv::Compression::kZstd;
  } else {
    return Status::invalid_argument("--dst.db.rocksdb.compression-type must be lz4, snappy, zstd or none, not '" + z +
                                    "'");
  }
  if (Status s = chaindata::validate(c); !s) return Status::invalid_argument("--dst.db.num-statetrie-shards: " + s.message());
  return c;
}

// Units and passes for a source/destination layout pair (see convert_engine.h).
Status plan(const chaindata::DBManager& src, const chaindata::DBManager& dst, std::vector<DestUnit>* units,
            std::vector<ConvertPass>* passes) {
  auto src_dbs = physical_dbs(src);
  if (!src_dbs) return src_dbs.status();
  auto dst_dbs = physical_dbs(dst);
  if (!dst_dbs) return dst_dbs.status();
  for (const auto& d : *dst_dbs) units->push_back({d.label, d.db});
  if (dst.is_single()) {
    ConvertPass p{src.is_single() ? "single" : "merged", {}, {}, [](ByteView) { return size_t{0}; }, {0}};
    for (const auto& s : *src_dbs) {
      p.sources.push_back(s.db);
      p.source_labels.push_back(s.label);
    }
    passes->push_back(std::move(p));
    return Status::ok();
  }
  auto unit_of = [dst_dbs = *dst_dbs](chaindata::EntryType t) -> std::optional<size_t> {
    for (size_t i = 0; i < dst_dbs.size(); ++i) {
      if (dst_dbs[i].type == t) return i;
    }
    return std::nullopt;
  };
  if (src.is_single()) {
    std::array<size_t, chaindata::kEntryTypeCount> route{};
    for (auto t : chaindata::kAllEntryTypes) route[chaindata::index_of(t)] = unit_of(t).value_or(0);
    std::vector<size_t> feeds(units->size());
    for (size_t i = 0; i < feeds.size(); ++i) feeds[i] = i;
    passes->push_back({"single", {src_dbs->front().db}, {"single"},
                       [route](ByteView key) { return route[chaindata::index_of(home_entry_type(key))]; },
                       std::move(feeds)});
    return Status::ok();
  }
  for (const auto& s : *src_dbs) {
    auto u = unit_of(s.type);
    if (!u) return Status::invalid_argument("the destination has no " + s.label + " database");
    const size_t unit = *u;
    passes->push_back({s.label, {s.db}, {s.label}, [unit](ByteView) { return unit; }, {unit}});
  }
  return Status::ok();
}

// User plus system CPU time of this process so far.
double cpu_seconds() {
  rusage u{};
  if (getrusage(RUSAGE_SELF, &u) != 0) return 0;
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

uint64_t source_disk_bytes(const chaindata::DBManager& src) {
  uint64_t total = 0;
  if (auto dbs = physical_dbs(src)) {
    for (const auto& d : *dbs) total += dir_size(d.path);
  }
  return total;
}

int run_convert(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser("kchaindata convert",
                          "Copies a stopped node's chaindata into a new datadir with another backend and/or "
                          "layout, streaming each entry type in key order into the destination's bulk loader, "
                          "then checks key counts and XXH3 checksums per entry type on both sides. Writes into "
                          "DST.converting and renames it to DST at the end; rerun the same command to resume "
                          "after an interruption. The source is opened read-only.");
  ConvertFlags f;
  add_datadir_options(parser, f.src);
  parser.add_options("destination")
      ("dst.datadir", "the new datadir (must not exist, or be empty)", cxxopts::value(f.dst))
      ("dst.db.type", "destination backend: leveldb, rocksdb or lmdb", cxxopts::value(f.dst_type))
      ("dst.db.num-statetrie-shards", "destination state trie shards (default: the source's, or 4)",
       cxxopts::value(f.dst_shards))
      ("dst.db.single", "destination keeps every entry type in one database", cxxopts::value(f.dst_single))
      ("dst.db.rocksdb.compression-type",
       "RocksDB destination block compression: lz4 (Klaytn's default), snappy, zstd or none (state trie nodes are "
       "hashes and barely compress; the node reads any of them and compresses what it writes later as configured)",
       cxxopts::value(f.dst_rocksdb_compression))
      ("threads", "worker threads (default: twice the cores, at least 4; parts spend much time in fsync)",
       cxxopts::value(f.threads))
      ("json", "print the summary as one JSON object", cxxopts::value(f.json))
      ("h,help", "show this help");
  parser.add_options("test")
      ("test.chunk-keys", "checkpoint every N keys per part", cxxopts::value(f.test_chunk_keys))
      ("test.pause-ms", "sleep after each checkpoint", cxxopts::value(f.test_pause_ms))
      ("test.free-bytes", "pretend the destination has this much free space", cxxopts::value(f.test_free_bytes));
  std::vector<std::string> storage;
  auto argv = cli::make_argv("kchaindata convert", args, storage);
  const auto parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  if (handle_help(parser, parsed, ctx, {"datadir", "destination"})) return cli::kExitOk;
  finish_datadir_flags(parsed, f.src);
  if (f.dst.empty()) throw cli::UsageError("--dst.datadir DIR is required");
  if (f.dst_type.empty()) throw cli::UsageError("--dst.db.type is required (leveldb, rocksdb or lmdb)");
  f.test_free_given = parsed.count("test.free-bytes") > 0;
  const auto started = std::chrono::steady_clock::now();

  auto src = open_datadir(f.src, false);
  if (!src) return report_failure(ctx, "convert", src.status());
  auto dst_config = destination_config(f, (*src)->config());
  if (!dst_config) return report_failure(ctx, "convert", dst_config.status());
  if (dst_config->single_db && !(*src)->is_single() && (*src)->is_open(chaindata::EntryType::kStateTrieMigration)) {
    return report_failure(ctx, "convert",
                          Status::invalid_argument("the source has a state migration in progress, which a "
                                                   "single-database layout cannot hold; let it finish first"));
  }
  ConvertTuning tuning;
  if (dst_config->backend == kv::Backend::kLMDB) tuning.parts = 1;
  tuning.chunk_keys = f.test_chunk_keys;
  tuning.threads = f.threads;
  tuning.pause_ms = f.test_pause_ms;
  auto target = prepare_target(f.src.datadir, f.dst, *dst_config, tuning.parts);
  if (!target) return report_failure(ctx, "convert", target.status());
  const uint64_t src_disk = source_disk_bytes(**src);
  uint64_t needed = 0;
  if (Status s = check_free_space(*target, src_disk, f.test_free_given ? std::optional(f.test_free_bytes) : std::nullopt,
                                  &needed); !s) {
    return report_failure(ctx, "convert", s);
  }
  if (!f.json) {
    std::fprintf(ctx.err, "convert: %s %s -> %s (%s, %s), source %.1f MiB on disk, about %.1f MiB still needed\n",
                 target->resuming ? "resuming" : "copying", f.src.datadir.c_str(), f.dst.c_str(),
                 std::string(kv::backend_name(dst_config->backend)).c_str(),
                 dst_config->single_db ? "single database"
                                       : (std::to_string(dst_config->num_statetrie_shards) + " state trie shards").c_str(),
                 src_disk / 1048576.0, needed / 1048576.0);
  }
  if (Status s = seed_directory_records(**src, *target); !s) return report_failure(ctx, "convert", s);
  auto dst = chaindata::DBManager::open(target->work, target->config);
  if (!dst) return report_failure(ctx, "convert", dst.status());

  std::vector<DestUnit> units;
  std::vector<ConvertPass> passes;
  if (Status s = plan(**src, **dst, &units, &passes); !s) return report_failure(ctx, "convert", s);
  uint64_t estimate = 0;
  if (auto dbs = physical_dbs(**src)) {
    for (const auto& d : *dbs) estimate += estimated_keys(*d.db);
  }
  ConvertEngine engine(units, std::move(passes), target->progress, tuning);
  {
    // Source keys read plus destination keys read back.
    cli::Progress progress("convert+verify", 2 * estimate, "keys", ctx.err);
    if (f.json) progress.silence();
    if (Status s = engine.copy_and_verify(progress); !s) {
      if (s.code() == Status::Code::kCorruption) {
        return report_failure(ctx, "convert", Status::corruption(s.message() + "; the destination stays in " +
                                                                  target->work.string()));
      }
      return report_failure(ctx, "convert", s);
    }
    progress.set_total(progress.done());  // the key count was an estimate
    progress.finish();
  }
  if (Status s = (*dst)->close(); !s) return report_failure(ctx, "convert", s);
  if (Status s = (*src)->close(); !s) return report_failure(ctx, "convert", s);
  if (Status s = finish_target(f.src.datadir, *target); !s) return report_failure(ctx, "convert", s);

  const auto done = std::chrono::steady_clock::now();
  const double setup_s = std::chrono::duration<double>(done - started).count() - engine.total_seconds();
  const double copy_s = setup_s + engine.copy_seconds();
  const double total_s = std::chrono::duration<double>(done - started).count();
  const auto totals = engine.source_totals();
  nlohmann::json jt = nlohmann::json::array();
  uint64_t keys = 0, bytes = 0;
  for (size_t u = 0; u < units.size(); ++u) {
    char sum[24];
    std::snprintf(sum, sizeof sum, "%016llx", static_cast<unsigned long long>(totals[u].checksum));
    keys += totals[u].count;
    bytes += totals[u].bytes;
    jt.push_back({{"db", units[u].name}, {"keys", totals[u].count}, {"bytes", totals[u].bytes}, {"xxh3", sum}});
  }
  nlohmann::json j = {{"destination", f.dst},
                      {"backend", std::string(kv::backend_name(dst_config->backend))},
                      {"single_db", dst_config->single_db},
                      {"num_statetrie_shards", dst_config->num_statetrie_shards},
                      {"resumed", engine.resumed()},
                      {"keys", keys},
                      {"logical_bytes", bytes},
                      {"keys_loaded_this_run", engine.keys_loaded()},
                      {"source_disk_bytes", src_disk},
                      {"copy_seconds", copy_s},
                      {"total_seconds", total_s},
                      {"cpu_seconds", cpu_seconds()},
                      {"disk_mb_per_s", total_s > 0 ? src_disk / 1e6 / total_s : 0.0},
                      {"verified", true},
                      {"entry_types", jt}};
  if (f.json) {
    std::fprintf(ctx.out, "%s\n", j.dump().c_str());
  } else {
    for (const auto& e : jt) {
      std::fprintf(ctx.out, "%-16s %12llu keys %14llu bytes  xxh3 %s\n", e["db"].get<std::string>().c_str(),
                   e["keys"].get<unsigned long long>(), e["bytes"].get<unsigned long long>(),
                   e["xxh3"].get<std::string>().c_str());
    }
    std::fprintf(ctx.out,
                 "converted %llu keys (%.1f MiB of keys and values) into %s in %.1f s (last part loaded at %.1f s, "
                 "read back and compared alongside), %.1f MB/s of source disk, %.1f s of CPU; counts and checksums "
                 "match\n",
                 static_cast<unsigned long long>(keys), bytes / 1048576.0, f.dst.c_str(), total_s, copy_s,
                 total_s > 0 ? src_disk / 1e6 / total_s : 0.0, cpu_seconds());
  }
  return cli::kExitOk;
}

}  // namespace

cli::Command convert_command() {
  return {"convert",
          "copy chaindata to another backend or layout, verified and resumable "
          "(--datadir SRC --dst.datadir DST --dst.db.type T)",
          run_convert};
}

}  // namespace klay::kchaindata
