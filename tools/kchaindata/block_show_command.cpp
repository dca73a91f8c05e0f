// kchaindata block show N --datadir D [--json]
#include <cxxopts.hpp>
#include <nlohmann/json.hpp>

#include "engine/core/uint256.h"
#include "engine/klaytn/block.h"
#include "engine/rawdb/accessors_chain.h"
#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/datadir_flags.h"

namespace klay::kchaindata {

namespace {

int run_block_show(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser("kchaindata block show",
                          "Prints a canonical block's header fields, hash, transaction count and transaction hashes. "
                          "Read-only.");
  DatadirFlags flags;
  std::vector<std::string> positional;
  bool json = false;
  add_datadir_options(parser, flags);
  parser.add_options()("json", "print one JSON object", cxxopts::value(json))
      ("number", "block number", cxxopts::value(positional))("h,help", "show this help");
  parser.parse_positional({"number"});
  parser.positional_help("N");
  std::vector<std::string> storage;
  auto argv = cli::make_argv("kchaindata block show", args, storage);
  const auto parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  if (handle_help(parser, parsed, ctx)) return cli::kExitOk;
  finish_datadir_flags(parsed, flags);
  if (positional.size() != 1) throw cli::UsageError("give exactly one block number N");
  uint64_t n = 0;
  try {
    size_t used = 0;
    n = std::stoull(positional[0], &used, 0);
    if (used != positional[0].size()) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw cli::UsageError("block number '" + positional[0] + "' is not a number");
  }
  auto dbm = open_datadir(flags, false);
  if (!dbm) return report_failure(ctx, "block show", dbm.status());
  auto hash = rawdb::read_canonical_hash(**dbm, n);
  if (!hash) {
    return report_failure(ctx, "block show",
                          Status::invalid_argument("block " + std::to_string(n) + " is not in the canonical chain"));
  }
  auto h = rawdb::read_header(**dbm, n, *hash);
  if (!h) return report_failure(ctx, "block show", h.status());
  auto body = rawdb::read_body(**dbm, n, *hash);
  if (!body) return report_failure(ctx, "block show", body.status());
  nlohmann::json txs = nlohmann::json::array();
  for (const auto& t : body->transactions) txs.push_back(tx_hash(t).hex());
  nlohmann::json j = {{"number", h->number},
                      {"hash", hash->hex()},
                      {"parentHash", h->parent_hash.hex()},
                      {"rewardbase", h->rewardbase.hex()},
                      {"stateRoot", h->root.hex()},
                      {"transactionsRoot", h->tx_hash.hex()},
                      {"receiptsRoot", h->receipt_hash.hex()},
                      {"blockScore", h->block_score.to_string()},
                      {"gasUsed", h->gas_used},
                      {"timestamp", h->time},
                      {"timestampFoS", h->time_fos},
                      {"extraData", "0x" + to_hex(h->extra)},
                      {"governanceData", "0x" + to_hex(h->governance)},
                      {"voteData", "0x" + to_hex(h->vote)},
                      {"transactionCount", body->transactions.size()},
                      {"transactions", txs}};
  if (h->base_fee) j["baseFeePerGas"] = h->base_fee->to_string();
  if (json) {
    std::fprintf(ctx.out, "%s\n", j.dump().c_str());
    return cli::kExitOk;
  }
  for (const auto& [k, v] : j.items()) {
    if (k == "transactions") continue;
    std::fprintf(ctx.out, "%-18s %s\n", k.c_str(), v.is_string() ? v.get<std::string>().c_str() : v.dump().c_str());
  }
  for (const auto& t : txs) std::fprintf(ctx.out, "  tx %s\n", t.get<std::string>().c_str());
  return cli::kExitOk;
}

}  // namespace

cli::Command block_show_command() {
  return {"block show", "print a block's header and transaction hashes (N --datadir D [--json])", run_block_show};
}

}  // namespace klay::kchaindata
