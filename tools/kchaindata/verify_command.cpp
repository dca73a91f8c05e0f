// kchaindata verify --datadir D [--level hashes|trie|chain|all] [--block N] [--json]
// Exit: 0 clean, 1 problems found, 2 usage, 3 cannot run.
#include <cxxopts.hpp>
#include <nlohmann/json.hpp>

#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/datadir_flags.h"
#include "tools/kchaindata/verify_levels.h"

namespace klay::kchaindata {

namespace {

constexpr size_t kMaxPrinted = 200;

int run_verify(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser("kchaindata verify",
                          "Checks a stopped node's chaindata. Levels: hashes (every trie node, code and preimage "
                          "against its hash), trie (walks the state from a block's root: accounts, storage tries, "
                          "code), chain (canonical links, header hashes, tx/receipts roots, tx lookups), all. "
                          "Exit 0 clean, 1 problems found, 2 usage, 3 cannot run. Read-only.");
  DatadirFlags flags;
  std::string level = "all";
  uint64_t block = 0;
  bool json = false;
  add_datadir_options(parser, flags);
  parser.add_options()
      ("level", "hashes, trie, chain or all", cxxopts::value(level))
      ("block", "trie: the block whose state is walked (default: newest state on disk); chain: last block checked",
       cxxopts::value(block))
      ("json", "print one JSON object", cxxopts::value(json))
      ("h,help", "show this help");
  std::vector<std::string> storage;
  auto argv = cli::make_argv("kchaindata verify", args, storage);
  const auto parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  if (handle_help(parser, parsed, ctx)) return cli::kExitOk;
  finish_datadir_flags(parsed, flags);
  const bool all = level == "all";
  if (!all && level != "hashes" && level != "trie" && level != "chain") {
    throw cli::UsageError("--level must be hashes, trie, chain or all, not '" + level + "'");
  }
  std::optional<uint64_t> at;
  if (parsed.count("block")) at = block;

  auto dbm = open_datadir(flags, false);
  if (!dbm) return report_failure(ctx, "verify", dbm.status());
  ProblemLog log;
  nlohmann::json levels = nlohmann::json::object();
  auto run_level = [&](const char* name, auto fn) -> bool {
    if (!all && level != name) return true;
    const uint64_t before = log.count();
    auto r = fn();
    if (!r) {
      report_failure(ctx, std::string("verify: ") + name, r.status());
      return false;
    }
    const uint64_t found = log.count() - before;
    levels[name] = {{"checked", r->checked}, {"problems", found}, {"covered", r->note}};
    if (!json) {
      std::fprintf(ctx.err, "%s: %llu checked, %llu problems (%s)\n", name,
                   static_cast<unsigned long long>(r->checked), static_cast<unsigned long long>(found),
                   r->note.c_str());
    }
    return true;
  };
  if (!run_level("hashes", [&] { return verify_hashes(**dbm, log, ctx.err, json); })) return cli::kExitFailure;
  if (!run_level("chain", [&] { return verify_chain(**dbm, at, log, ctx.err, json); })) return cli::kExitFailure;
  if (!run_level("trie", [&] { return verify_trie(**dbm, at, log, ctx.err, json); })) return cli::kExitFailure;

  const uint64_t total = log.count();
  if (json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : log.kept()) {
      problems.push_back({{"level", p.level}, {"kind", p.kind}, {"key", p.key}, {"where", p.where},
                          {"message", p.message}});
    }
    nlohmann::json j = {{"clean", total == 0}, {"problem_count", total}, {"levels", levels}, {"problems", problems}};
    std::fprintf(ctx.out, "%s\n", j.dump().c_str());
  } else {
    uint64_t printed = 0;
    for (const auto& p : log.kept()) {
      if (printed == kMaxPrinted) break;
      std::fprintf(ctx.out, "problem [%s/%s]: %s\n", p.level.c_str(), p.kind.c_str(), p.message.c_str());
      ++printed;
    }
    if (total > printed) {
      std::fprintf(ctx.out, "... and %llu more (use --json for up to 10000)\n",
                   static_cast<unsigned long long>(total - printed));
    }
    std::fprintf(ctx.out, "%s\n", total == 0 ? "verify: clean" :
                 ("verify: " + std::to_string(total) + " problem(s) found").c_str());
  }
  return total == 0 ? cli::kExitOk : cli::kExitProblemsFound;
}

}  // namespace

cli::Command verify_command() {
  return {"verify", "check hashes, state trie and chain links (--datadir D [--level L] [--block N] [--json])",
          run_verify};
}

}  // namespace klay::kchaindata
