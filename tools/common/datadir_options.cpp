#include "tools/common/datadir_options.h"

#include <filesystem>
#include <system_error>

#include "engine/rawdb/datadir_settings.h"
#include "tools/common/command.h"

namespace klay::cli {

namespace fs = std::filesystem;

void add_datadir_options(cxxopts::Options& parser, DatadirFlags& flags) {
  parser.add_options("datadir")
      ("datadir", "data directory of a stopped node (holds klay/chaindata)", cxxopts::value(flags.datadir))
      ("db.type", "backend override: leveldb, rocksdb or lmdb (default: the datadir's settings file)",
       cxxopts::value(flags.db_type))
      ("db.single", "override: every entry type in one database", cxxopts::value(flags.single))
      ("db.num-statetrie-shards", "override: state trie shard count (power of two, 1..256)",
       cxxopts::value(flags.num_shards));
}

void finish_datadir_flags(const cxxopts::ParseResult& parsed, DatadirFlags& flags) {
  flags.single_given = parsed.count("db.single") > 0;
  if (flags.datadir.empty()) throw UsageError("--datadir DIR is required");
}

Result<chaindata::Config> resolve_datadir_config(const DatadirFlags& flags, chaindata::Config config) {
  const fs::path datadir(flags.datadir);
  std::error_code ec;
  if (!fs::exists(datadir, ec)) return Status::invalid_argument("datadir " + flags.datadir + " does not exist");
  if (!fs::is_directory(datadir / "klay" / "chaindata", ec)) {
    return Status::invalid_argument("datadir " + flags.datadir +
                                    " holds no chaindata (klay/chaindata is missing); is it a node's datadir?");
  }
  auto settings = rawdb::load_datadir_settings(datadir);
  if (!settings) return settings.status();
  if (*settings) config = (*settings)->apply(config);
  if (!flags.db_type.empty()) {
    auto b = kv::parse_backend(flags.db_type);
    if (!b) return b.status();
    if (*b == kv::Backend::kMemory) return Status::invalid_argument("--db.type memory cannot open a datadir on disk");
    config.backend = *b;
  }
  if (flags.single_given) config.single_db = flags.single;
  if (flags.num_shards != 0) config.num_statetrie_shards = flags.num_shards;
  if (Status s = chaindata::validate(config); !s) return s;
  return config;
}

Result<std::unique_ptr<chaindata::DBManager>> open_stopped_datadir(const DatadirFlags& flags,
                                                                   const chaindata::Config& config,
                                                                   std::string_view program) {
  auto dbm = chaindata::DBManager::open(flags.datadir, config);
  if (!dbm && dbm.status().code() == Status::Code::kBusy) {
    return Status::busy(dbm.status().message() + " (" + std::string(program) + " works on a stopped node only)");
  }
  return dbm;
}

}  // namespace klay::cli
