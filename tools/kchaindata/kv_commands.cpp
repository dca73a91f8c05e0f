// Raw key-value helpers: get, scan, dump (read-only).
//   kchaindata get  --datadir D --db TYPE KEY
//   kchaindata scan --datadir D --db TYPE [--prefix HEX] [--start HEX] [--limit N] [--json]
//   kchaindata dump --datadir D --db TYPE [--hex] [--limit N]
#include <cxxopts.hpp>
#include <nlohmann/json.hpp>

#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/datadir_flags.h"
#include "tools/kchaindata/db_select.h"

namespace klay::kchaindata {

namespace {

struct KvFlags {
  DatadirFlags datadir;
  std::string db;
  std::string prefix;
  std::string start;
  uint64_t limit = 0;
  bool hex = false;
  bool json = false;
  std::vector<std::string> positional;
};

enum class Mode { kGet, kScan, kDump };

std::string printable(ByteView b) {
  std::string s;
  for (uint8_t c : b) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      s.push_back(static_cast<char>(c));
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      s += buf;
    }
  }
  return s;
}

int run_kv(Mode mode, const char* name, const std::vector<std::string>& args, cli::Context& ctx) {
  const std::string full = std::string("kchaindata ") + name;
  const char* about = mode == Mode::kGet   ? "Prints the value of one key (hex) of an entry type's database."
                      : mode == Mode::kScan ? "Lists keys and values (hex) in key order, optionally under a prefix "
                                              "or from a start key."
                                            : "Dumps every key and value of an entry type's database in key order "
                                              "(printable text with \\x escapes, or hex with --hex).";
  cxxopts::Options parser(full, about);
  KvFlags f;
  add_datadir_options(parser, f.datadir);
  parser.add_options()("db", "entry type: " + db_names_help() + " (or single)", cxxopts::value(f.db));
  if (mode == Mode::kScan) {
    parser.add_options()("prefix", "only keys with this hex prefix", cxxopts::value(f.prefix))
        ("start", "start at the first key >= prefix + this (hex)", cxxopts::value(f.start))
        ("json", "one JSON object per line", cxxopts::value(f.json));
  }
  if (mode == Mode::kDump) parser.add_options()("hex", "print keys and values as 0x hex", cxxopts::value(f.hex));
  if (mode != Mode::kGet) {
    parser.add_options()("limit", "stop after N keys (default: scan 100, dump all)", cxxopts::value(f.limit));
  } else {
    parser.add_options()("json", "print a JSON object", cxxopts::value(f.json));
    parser.add_options()("key", "the key (hex)", cxxopts::value(f.positional));
    parser.parse_positional({"key"});
    parser.positional_help("KEY");
  }
  parser.add_options()("h,help", "show this help");
  std::vector<std::string> storage;
  auto argv = cli::make_argv(full, args, storage);
  const auto parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  if (handle_help(parser, parsed, ctx)) return cli::kExitOk;
  finish_datadir_flags(parsed, f.datadir);
  if (f.db.empty()) throw cli::UsageError("--db TYPE is required (" + db_names_help() + ")");
  Bytes key;
  if (mode == Mode::kGet) {
    if (f.positional.size() != 1) throw cli::UsageError("give exactly one KEY (hex)");
    key = parse_hex_arg(f.positional[0], "KEY");
    if (key.empty()) throw cli::UsageError("KEY must not be empty");
  }
  kv::IteratorOptions opts;
  if (!f.prefix.empty()) opts.prefix = parse_hex_arg(f.prefix, "--prefix");
  if (!f.start.empty()) opts.start = parse_hex_arg(f.start, "--start");
  const uint64_t limit = parsed.count("limit") ? f.limit : (mode == Mode::kScan ? 100 : 0);

  auto dbm = open_datadir(f.datadir, false);
  if (!dbm) return report_failure(ctx, name, dbm.status());
  auto db = select_db(**dbm, f.db);
  if (!db) return report_failure(ctx, name, db.status());

  if (mode == Mode::kGet) {
    Bytes value;
    Status s = (*db)->get(key, &value);
    if (s.is_not_found()) {
      std::fprintf(ctx.err, "%s: key 0x%s is not in the %s database.\n", full.c_str(), to_hex(key).c_str(), f.db.c_str());
      return cli::kExitProblemsFound;
    }
    if (!s) return report_failure(ctx, name, s);
    if (f.json) {
      std::fprintf(ctx.out, "%s\n", nlohmann::json{{"key", "0x" + to_hex(key)}, {"value", "0x" + to_hex(value)}}.dump().c_str());
    } else {
      std::fprintf(ctx.out, "0x%s\n", to_hex(value).c_str());
    }
    return cli::kExitOk;
  }
  auto it = (*db)->new_iterator(opts);
  uint64_t n = 0;
  for (; it->valid() && (limit == 0 || n < limit); it->next(), ++n) {
    if (mode == Mode::kScan && f.json) {
      std::fprintf(ctx.out, "%s\n", nlohmann::json{{"key", "0x" + to_hex(it->key())},
                                                   {"value", "0x" + to_hex(it->value())}}.dump().c_str());
    } else if (mode == Mode::kScan || f.hex) {
      std::fprintf(ctx.out, "0x%s 0x%s\n", to_hex(it->key()).c_str(), to_hex(it->value()).c_str());
    } else {
      std::fprintf(ctx.out, "%s => %s\n", printable(it->key()).c_str(), printable(it->value()).c_str());
    }
  }
  if (Status s = it->status(); !s) return report_failure(ctx, name, s);
  if (!f.json) std::fprintf(ctx.err, "%llu keys\n", static_cast<unsigned long long>(n));
  return cli::kExitOk;
}

}  // namespace

cli::Command get_command() {
  return {"get", "print one key's value (--datadir D --db TYPE KEY)",
          [](const std::vector<std::string>& a, cli::Context& c) { return run_kv(Mode::kGet, "get", a, c); }};
}
cli::Command scan_command() {
  return {"scan", "list keys and values (--datadir D --db TYPE [--prefix HEX] [--start HEX] [--limit N])",
          [](const std::vector<std::string>& a, cli::Context& c) { return run_kv(Mode::kScan, "scan", a, c); }};
}
cli::Command dump_command() {
  return {"dump", "dump a database in key order (--datadir D --db TYPE [--hex] [--limit N])",
          [](const std::vector<std::string>& a, cli::Context& c) { return run_kv(Mode::kDump, "dump", a, c); }};
}

}  // namespace klay::kchaindata
