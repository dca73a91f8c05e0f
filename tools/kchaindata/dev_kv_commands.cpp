// (development) Raw writes into a stopped node's datadir, for fault injection
// in tests and for hand repairs:
//   kchaindata dev put    --datadir D --db TYPE KEY VALUE
//   kchaindata dev delete --datadir D --db TYPE KEY
// KEY and VALUE are hex. A sharded state trie routes the key to its shard.
// Refuses a datadir in use like every command; prints what it changed.
#include <cxxopts.hpp>

#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/datadir_flags.h"
#include "tools/kchaindata/db_select.h"

namespace klay::kchaindata {

namespace {

int run_dev_write(bool put, const std::vector<std::string>& args, cli::Context& ctx) {
  const std::string name = put ? "dev put" : "dev delete";
  cxxopts::Options parser("kchaindata " + name,
                          put ? "(development) Writes one key (hex) with a value (hex) into an entry type's database."
                              : "(development) Deletes one key (hex) from an entry type's database.");
  DatadirFlags flags;
  std::string db;
  std::vector<std::string> positional;
  add_datadir_options(parser, flags);
  parser.add_options()("db", "entry type: " + db_names_help() + " (or single)", cxxopts::value(db))
      ("args", "KEY [VALUE]", cxxopts::value(positional))("h,help", "show this help");
  parser.parse_positional({"args"});
  parser.positional_help(put ? "KEY VALUE" : "KEY");
  std::vector<std::string> storage;
  auto argv = cli::make_argv("kchaindata " + name, args, storage);
  const auto parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  if (handle_help(parser, parsed, ctx)) return cli::kExitOk;
  finish_datadir_flags(parsed, flags);
  if (db.empty()) throw cli::UsageError("--db TYPE is required (" + db_names_help() + ")");
  if (positional.size() != (put ? 2u : 1u)) throw cli::UsageError(put ? "give KEY and VALUE (hex)" : "give one KEY (hex)");
  const Bytes key = parse_hex_arg(positional[0], "KEY");
  if (key.empty()) throw cli::UsageError("KEY must not be empty");
  const Bytes value = put ? parse_hex_arg(positional[1], "VALUE") : Bytes{};

  auto dbm = open_datadir(flags, true);
  if (!dbm) return report_failure(ctx, name, dbm.status());
  auto target = select_db(**dbm, db);
  if (!target) return report_failure(ctx, name, target.status());
  auto had = (*target)->has(key);
  if (!had) return report_failure(ctx, name, had.status());
  if (Status s = put ? (*target)->put(key, value) : (*target)->del(key); !s) return report_failure(ctx, name, s);
  if (Status s = (*dbm)->close(); !s) return report_failure(ctx, name, s);
  std::fprintf(ctx.out, "%s 0x%s in %s (the key %s)\n", put ? "wrote" : "deleted", to_hex(key).c_str(), db.c_str(),
               *had ? "existed" : "did not exist");
  return cli::kExitOk;
}

}  // namespace

cli::Command dev_put_command() {
  return {"dev put", "(development) write one raw key (--datadir D --db TYPE KEY VALUE)",
          [](const std::vector<std::string>& a, cli::Context& c) { return run_dev_write(true, a, c); }};
}

cli::Command dev_delete_command() {
  return {"dev delete", "(development) delete one raw key (--datadir D --db TYPE KEY)",
          [](const std::vector<std::string>& a, cli::Context& c) { return run_dev_write(false, a, c); }};
}

}  // namespace klay::kchaindata
