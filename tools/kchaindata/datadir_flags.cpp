#include "tools/kchaindata/datadir_flags.h"

#include <system_error>

#include "engine/rawdb/datadir_settings.h"

namespace klay::kchaindata {

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
  if (flags.datadir.empty()) throw cli::UsageError("--datadir DIR is required");
}

Result<chaindata::Config> resolve_config(const DatadirFlags& flags) {
  const fs::path datadir(flags.datadir);
  std::error_code ec;
  if (!fs::exists(datadir, ec)) return Status::invalid_argument("datadir " + flags.datadir + " does not exist");
  if (!fs::is_directory(datadir / "klay" / "chaindata", ec)) {
    return Status::invalid_argument("datadir " + flags.datadir +
                                    " holds no chaindata (klay/chaindata is missing); is it a node's datadir?");
  }
  chaindata::Config config;
  config.cache_mib = 16 * 9;
  config.max_open_files = 512;
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

Result<std::unique_ptr<chaindata::DBManager>> open_datadir(const DatadirFlags& flags, bool writable) {
  auto config = resolve_config(flags);
  if (!config) return config.status();
  config->read_only = !writable;
  auto dbm = chaindata::DBManager::open(flags.datadir, *config);
  if (!dbm && dbm.status().code() == Status::Code::kBusy) {
    return Status::busy(dbm.status().message() + " (kchaindata works on a stopped node only)");
  }
  return dbm;
}

int report_failure(cli::Context& ctx, std::string_view command, const Status& status) {
  std::string msg = status.message();
  while (!msg.empty() && (msg.back() == '.' || msg.back() == '\n')) msg.pop_back();
  std::fprintf(ctx.err, "kchaindata %.*s: %s.\n", static_cast<int>(command.size()), command.data(), msg.c_str());
  return cli::kExitFailure;
}

bool handle_help(const cxxopts::Options& parser, const cxxopts::ParseResult& parsed, cli::Context& ctx,
                 const std::vector<std::string>& groups) {
  if (parsed.count("help")) {
    std::fprintf(ctx.out, "%s\n", (groups.empty() ? parser.help() : parser.help(groups)).c_str());
    return true;
  }
  if (!parsed.unmatched().empty()) throw cli::UsageError("unexpected argument '" + parsed.unmatched()[0] + "'");
  return false;
}

Bytes parse_hex_arg(const std::string& text, std::string_view what) {
  std::string_view t = text;
  if (t.starts_with("0x") || t.starts_with("0X")) t.remove_prefix(2);
  Bytes out;
  if (t.size() % 2 != 0 || !from_hex(t, out)) {
    throw cli::UsageError(std::string(what) + " '" + text + "' is not valid hex");
  }
  return out;
}

}  // namespace klay::kchaindata
