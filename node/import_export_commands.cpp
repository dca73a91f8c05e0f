#include "node/import_export_commands.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <cxxopts.hpp>
#include <optional>

#include "node/chain/import_export.h"
#include "node/node_open.h"
#include "node/pruning_host.h"

namespace klay::node {

namespace fs = std::filesystem;

namespace {

struct TransferArgs {
  std::string datadir;
  std::vector<std::string> positional;
};

int fail(cli::Context& ctx, const char* program, const std::string& sentence) {
  std::fprintf(ctx.err, "%s: %s\n", program, sentence.c_str());
  return cli::kExitFailure;
}

std::optional<TransferArgs> parse(const char* program, const char* description, const char* usage,
                                  const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser(program, description);
  TransferArgs a;
  parser.add_options()("datadir", "data directory", cxxopts::value(a.datadir))("h,help", "show this help");
  parser.custom_help("--datadir DIR");
  parser.positional_help(usage);
  std::vector<std::string> storage;
  auto argv = cli::make_argv(program, args, storage);
  auto parsed = parser.parse(static_cast<int>(argv.size()) - 1, argv.data());
  if (parsed.count("help")) {
    std::fprintf(ctx.out, "%s\n", parser.help().c_str());
    return std::nullopt;
  }
  for (const std::string& u : parsed.unmatched()) {
    if (u.size() > 1 && u[0] == '-') throw cli::UsageError("unknown flag '" + u + "'");
    a.positional.push_back(u);
  }
  if (a.datadir.empty()) throw cli::UsageError("--datadir DIR is required");
  return a;
}

uint64_t parse_block_num(const std::string& text, const char* what) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    throw cli::UsageError(std::string(what) + " must be a block number, not '" + text + "'");
  return v;
}

// A progress line at most every second (and the final state by the caller).
class ProgressPrinter {
 public:
  ProgressPrinter(cli::Context& ctx, const char* verb) : ctx_(ctx), verb_(verb) {}
  void operator()(const chain::ChainTransferProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    std::fprintf(ctx_.err, "%s: %llu blocks (last %llu, %llu transactions)\n", verb_,
                 static_cast<unsigned long long>(p.blocks), static_cast<unsigned long long>(p.last_block_num),
                 static_cast<unsigned long long>(p.txns));
    std::fflush(ctx_.err);
  }

 private:
  cli::Context& ctx_;
  const char* verb_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

int run_import_command(const std::vector<std::string>& args, cli::Context& ctx) {
  constexpr const char* kProgram = "knode import";
  auto a = parse(kProgram, "Insert the blocks of an export file (full verification).", "FILE", args, ctx);
  if (!a) return cli::kExitOk;
  if (a->positional.size() != 1) throw cli::UsageError("expected exactly one FILE to import");
  const fs::path file = a->positional[0];
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return fail(ctx, kProgram, "import file " + file.string() + " does not exist");

  spdlog::set_level(spdlog::level::warn);
  // Imported blocks write pruning marks and are pruned like produced ones.
  chain::BlockChainOptions chain_options;
  auto pruning = PruningHost::prepare(a->datadir, chain_options);
  if (!pruning) return fail(ctx, kProgram, pruning.status().message());
  auto opened = open_chain(a->datadir, chain_options);
  if (!opened) return fail(ctx, kProgram, opened.status().message());
  auto running = (*pruning)->start(*opened->dbm, *opened->chain);
  if (!running) {
    (void)opened->close();
    return fail(ctx, kProgram, running.status().message());
  }
  ProgressPrinter printer(ctx, "importing");
  chain::ImportOptions options;
  options.progress = [&printer](const chain::ChainTransferProgress& p) { printer(p); };
  auto result = chain::import_blocks(*opened->chain, file, options);
  const chain::ChainHead head = opened->chain->head();
  running->reset();  // stops the pruning thread before the chain closes
  const Status closed = opened->close();
  if (!result) return fail(ctx, kProgram, result.status().message());
  if (!closed) return fail(ctx, kProgram, closed.message());
  std::fprintf(ctx.out, "imported %llu blocks (%llu skipped, %llu transactions); head %llu %s, state root %s\n",
               static_cast<unsigned long long>(result->inserted), static_cast<unsigned long long>(result->skipped),
               static_cast<unsigned long long>(result->txns), static_cast<unsigned long long>(head.number),
               head.hash.hex().c_str(), head.header.root.hex().c_str());
  return cli::kExitOk;
}

int run_export_command(const std::vector<std::string>& args, cli::Context& ctx) {
  constexpr const char* kProgram = "knode export";
  auto a = parse(kProgram, "Write canonical blocks to a file as a stream of block RLPs.", "FILE [FROM [TO]]", args,
                 ctx);
  if (!a) return cli::kExitOk;
  if (a->positional.empty() || a->positional.size() > 3)
    throw cli::UsageError("expected FILE [FROM [TO]]");
  const fs::path file = a->positional[0];
  std::optional<uint64_t> from, to;
  if (a->positional.size() > 1) from = parse_block_num(a->positional[1], "FROM");
  if (a->positional.size() > 2) to = parse_block_num(a->positional[2], "TO");
  if (from && to && *from > *to) throw cli::UsageError("FROM must not be above TO");

  spdlog::set_level(spdlog::level::warn);
  auto opened = open_chain(a->datadir, {});
  if (!opened) return fail(ctx, kProgram, opened.status().message());
  const uint64_t head = opened->chain->head().number;
  const uint64_t first = from.value_or(0), last = to.value_or(head);
  if (last > head) {
    (void)opened->close();
    return fail(ctx, kProgram, "block " + std::to_string(last) + " is past the head block " + std::to_string(head));
  }
  ProgressPrinter printer(ctx, "exporting");
  auto result = chain::export_blocks(*opened->chain, file, first, last,
                                     [&printer](const chain::ChainTransferProgress& p) { printer(p); });
  const Status closed = opened->close();
  if (!result) return fail(ctx, kProgram, result.status().message());
  if (!closed) return fail(ctx, kProgram, closed.message());
  std::fprintf(ctx.out, "exported %llu blocks (%llu..%llu) to %s\n", static_cast<unsigned long long>(result->blocks),
               static_cast<unsigned long long>(first), static_cast<unsigned long long>(last), file.string().c_str());
  return cli::kExitOk;
}

}  // namespace klay::node
