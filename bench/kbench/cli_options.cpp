#include "bench/kbench/cli_options.h"

#include <cxxopts.hpp>
#include <sstream>

#include "tools/common/command.h"

namespace klay::kbench {

namespace {

kv::Backend backend_or_throw(const std::string& name, const char* flag) {
  auto b = kv::parse_backend(name);
  if (!b) throw cli::UsageError(std::string(flag) + ": " + b.status().message());
  return *b;
}

}  // namespace

CliOptions parse_cli(const std::vector<std::string>& args) {
  CliOptions o;
  std::string db_type = "leveldb", src_type = "leveldb", backends, workload, path, json, out = "results";
  cxxopts::Options parser("kbench", "Storage benchmarks of the engine and the node on one backend, or all side by side.");
  parser.add_options()
      ("workload", "kv-fill, kv-read, kv-iterate, trie-commit, import, migrate, prune, convert (see --list)",
       cxxopts::value(workload))
      ("db.type", "backend: leveldb, rocksdb, lmdb or memory", cxxopts::value(db_type)->default_value("leveldb"))
      ("path", "directory for the run's data (a fresh subdirectory per run is created inside)",
       cxxopts::value(path))
      ("size", "workload size (keys, accounts or txns; see --list); 0: the workload's default",
       cxxopts::value(o.run.size)->default_value("0"))
      ("threads", "writer/reader threads (kv-fill, kv-read) or migrate/prune workers; 0: workload default",
       cxxopts::value(o.run.threads)->default_value("0"))
      ("json", "write the report (or, with --compare, every run and the medians) as JSON", cxxopts::value(json))
      ("keep", "keep the run directory", cxxopts::value(o.keep))
      ("list", "list the workloads", cxxopts::value(o.list))
      ("h,help", "show this help");
  parser.add_options("workload tuning")
      ("value-size", "kv-*: value bytes (keys are 32 bytes)", cxxopts::value(o.run.value_size)->default_value("100"))
      ("blocks", "trie-commit, migrate, prune, convert: blocks the state is built over",
       cxxopts::value(o.run.blocks)->default_value("10"))
      ("txns-per-block", "import: transactions per block", cxxopts::value(o.run.txns_per_block)->default_value("1000"))
      ("storage-slots", "storage slots per contract (one contract per 100 accounts)",
       cxxopts::value(o.run.slots)->default_value("64"))
      ("db.num-statetrie-shards", "chaindata workloads: state trie shards", cxxopts::value(o.run.shards)->default_value("4"))
      ("src.db.type", "convert: backend of the generated source", cxxopts::value(src_type)->default_value("leveldb"));
  parser.add_options("compare")
      ("compare", "run the workload on every backend, interleaved, and write a table and plots", cxxopts::value(o.compare))
      ("out", "compare: results directory", cxxopts::value(out)->default_value("results"))
      ("reps", "compare: repetitions per backend", cxxopts::value(o.reps)->default_value("3"))
      ("backends", "compare: comma-separated backends (default: every meaningful one)", cxxopts::value(backends));

  std::vector<std::string> storage;
  auto argv = cli::make_argv("kbench", args, storage);
  cxxopts::ParseResult parsed;
  try {
    parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  } catch (const cxxopts::exceptions::exception& e) {
    throw cli::UsageError(e.what());
  }
  if (!parsed.unmatched().empty()) throw cli::UsageError("unexpected argument " + parsed.unmatched().front());
  if (parsed.count("help")) {
    o.help = true;
    o.help_text = parser.help();
    return o;
  }
  if (o.list) return o;
  if (workload.empty()) throw cli::UsageError("--workload is required (see --list)");
  const Workload* w = find_workload(workload);
  if (w == nullptr) throw cli::UsageError("unknown workload " + workload + " (see --list)");
  o.run.workload = workload;
  o.run.backend = backend_or_throw(db_type, "--db.type");
  o.run.src_backend = backend_or_throw(src_type, "--src.db.type");
  if (o.run.size == 0) o.run.size = w->default_size;
  if (o.run.value_size == 0) throw cli::UsageError("--value-size must be at least 1");
  if (o.reps == 0) throw cli::UsageError("--reps must be at least 1");
  o.path = path.empty() ? std::filesystem::temp_directory_path() / "kbench" : std::filesystem::path(path);
  o.json = json;
  o.out = out;
  std::stringstream list(backends);
  for (std::string item; std::getline(list, item, ',');) {
    if (!item.empty()) o.backends.push_back(backend_or_throw(item, "--backends"));
  }
  return o;
}

std::vector<std::string> run_flags(const CliOptions& o, kv::Backend backend) {
  const RunOptions& r = o.run;
  return {"--workload",       r.workload,
          "--db.type",        std::string(kv::backend_name(backend)),
          "--path",           o.path.string(),
          "--size",           std::to_string(r.size),
          "--threads",        std::to_string(r.threads),
          "--value-size",     std::to_string(r.value_size),
          "--blocks",         std::to_string(r.blocks),
          "--txns-per-block", std::to_string(r.txns_per_block),
          "--storage-slots",  std::to_string(r.slots),
          "--db.num-statetrie-shards", std::to_string(r.shards),
          "--src.db.type",    std::string(kv::backend_name(r.src_backend))};
}

}  // namespace klay::kbench
