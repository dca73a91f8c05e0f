#include "node/init_command.h"

#include <cxxopts.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/chaindata/db_manager.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/datadir_settings.h"
#include "engine/rawdb/genesis_commit.h"
#include "tools/common/option_parsing.h"

namespace klay::node {

namespace fs = std::filesystem;

namespace {

constexpr const char* kProgram = "knode init";

int fail(cli::Context& ctx, const std::string& sentence) {
  std::fprintf(ctx.err, "%s: %s\n", kProgram, sentence.c_str());
  return cli::kExitFailure;
}

Result<std::string> read_genesis_text(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::invalid_argument("genesis file " + path + " does not exist");
  if (fs::is_directory(path, ec)) return Status::invalid_argument("genesis file " + path + " is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error("cannot open genesis file " + path + " (permission denied?)");
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::io_error("cannot read genesis file " + path);
  return ss.str();
}

std::string flag_value(bool b) { return b ? "true" : "false"; }

// The settings to use: flags given win over nothing recorded; a given flag
// must equal what an initialised datadir recorded.
Result<rawdb::DatadirSettings> resolve_settings(const InitOptions& o,
                                                const std::optional<rawdb::DatadirSettings>& recorded,
                                                const std::string& datadir) {
  rawdb::DatadirSettings s = recorded.value_or(rawdb::DatadirSettings{});
  const auto conflict = [&](const std::string& flag, const std::string& have, const std::string& got) {
    return Status::invalid_argument("datadir " + datadir + " was initialised with " + flag + " " + have +
                                    ", not " + got + "; omit the flag or pass the recorded value");
  };
  if (o.db_type) {
    auto b = kv::parse_backend(*o.db_type);
    if (!b) throw cli::UsageError("--db.type: " + b.status().message());
    if (recorded && *b != recorded->backend)
      return conflict("--db.type", std::string(kv::backend_name(recorded->backend)),
                      std::string(kv::backend_name(*b)));
    s.backend = *b;
  }
  if (o.db_single) {
    if (recorded && *o.db_single != recorded->single_db)
      return conflict("--db.single", flag_value(recorded->single_db), flag_value(*o.db_single));
    s.single_db = *o.db_single;
  }
  if (o.num_statetrie_shards) {
    if (auto st = chaindata::validate_num_statetrie_shards(*o.num_statetrie_shards); !st)
      throw cli::UsageError(st.message());
    if (recorded && *o.num_statetrie_shards != recorded->num_statetrie_shards)
      return conflict("--db.num-statetrie-shards", std::to_string(recorded->num_statetrie_shards),
                      std::to_string(*o.num_statetrie_shards));
    s.num_statetrie_shards = *o.num_statetrie_shards;
  }
  if (o.live_pruning) {
    if (recorded && *o.live_pruning != recorded->live_pruning)
      return conflict("--state.live-pruning", flag_value(recorded->live_pruning), flag_value(*o.live_pruning));
    s.live_pruning = *o.live_pruning;
  }
  if (o.live_pruning_retention) s.live_pruning_retention = *o.live_pruning_retention;
  return s;
}

}  // namespace

std::optional<InitOptions> parse_init_options(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser(kProgram, "Write a genesis block into a data directory and print its hash.");
  std::string db_type;
  bool single = false, pruning = false;
  uint32_t shards = 4;
  uint64_t retention = rawdb::kDefaultLivePruningRetention;
  InitOptions o;
  parser.add_options()
      ("datadir", "data directory (created if missing)", cxxopts::value(o.datadir))
      ("genesis", "genesis JSON file", cxxopts::value(o.genesis))
      ("db.type", "backend: leveldb, rocksdb, lmdb or memory (default leveldb)", cxxopts::value(db_type))
      ("db.single", "keep every entry type in one database", cxxopts::value(single))
      ("db.num-statetrie-shards", "state trie shards, a power of two up to 256 (default 4)", cxxopts::value(shards))
      ("state.live-pruning", "enable live pruning for this datadir", cxxopts::value(pruning))
      ("state.live-pruning-retention", "blocks of state kept by live pruning (default 172800)",
       cxxopts::value(retention))
      ("h,help", "show this help");
  const auto parsed = cli::parse_options(parser, args, ctx);
  if (!parsed) return std::nullopt;
  if (o.datadir.empty()) throw cli::UsageError("--datadir DIR is required");
  if (o.genesis.empty()) throw cli::UsageError("--genesis FILE is required");
  if (parsed->count("db.type")) o.db_type = db_type;
  if (parsed->count("db.single")) o.db_single = single;
  if (parsed->count("db.num-statetrie-shards")) o.num_statetrie_shards = shards;
  if (parsed->count("state.live-pruning")) o.live_pruning = pruning;
  if (parsed->count("state.live-pruning-retention")) o.live_pruning_retention = retention;
  return o;
}

int run_init(const InitOptions& o, cli::Context& ctx) {
  // Everything about the genesis is checked before the datadir is touched.
  auto text = read_genesis_text(o.genesis);
  if (!text) return fail(ctx, text.status().message());
  auto prepared = rawdb::prepare_genesis(*text);
  if (!prepared) return fail(ctx, "invalid genesis file " + o.genesis + ": " + prepared.status().message());

  auto recorded = rawdb::load_datadir_settings(o.datadir);
  if (!recorded) return fail(ctx, recorded.status().message());
  auto settings = resolve_settings(o, *recorded, o.datadir);
  if (!settings) return fail(ctx, settings.status().message());

  auto dbm = chaindata::DBManager::open(o.datadir, settings->apply(chaindata::Config{}));
  if (!dbm) return fail(ctx, dbm.status().message());

  auto setup = rawdb::setup_genesis(**dbm, *prepared);
  if (!setup) return fail(ctx, setup.status().message());
  if (settings->live_pruning) {
    rawdb::DirectWriter w(**dbm);
    if (auto s = rawdb::write_pruning_enabled(w); !s) return fail(ctx, s.message());
  }
  if (!*recorded || **recorded != *settings) {
    if (auto s = rawdb::save_datadir_settings(o.datadir, *settings); !s) return fail(ctx, s.message());
  }
  if (auto s = (*dbm)->close(); !s) return fail(ctx, s.message());

  std::fprintf(ctx.err, "Successfully wrote genesis state database=chaindata hash=%s%s\n",
               setup->hash.hex().c_str(), setup->written ? "" : " (already present)");
  std::fprintf(ctx.out, "%s\n", setup->hash.hex().c_str());
  return cli::kExitOk;
}

int run_init_command(const std::vector<std::string>& args, cli::Context& ctx) {
  auto o = parse_init_options(args, ctx);
  if (!o) return cli::kExitOk;
  return run_init(*o, ctx);
}

}  // namespace klay::node
