// `knode run`: the executing node.
//
//   knode run [--datadir D] [--dev] [--dev.period SECONDS]
//             [--rpc.addr 127.0.0.1] [--rpc.port 8551]
//             [--metrics.addr 127.0.0.1] [--metrics.port 61001]
//             [--gcmode full|archive] [--state.block-interval 128]
//             [--state.tries-in-memory 128] [--log.level info]
//
// Opens D with its recorded chaindata settings, then runs the BlockChain,
// the TxPool, the JSON-RPC server (node/api methods) and the Prometheus
// metrics server; with --dev also the block producer, one block every
// --dev.period seconds (fractions allowed, e.g. 0.2) with the pending
// transactions. --dev without --datadir uses ./data; its first start creates
// the dev chain (dev_chain.h) and every start prints the dev account's
// address and private key. Port 0 picks a free port; the bound addresses are
// printed on stdout as "rpc: http://ADDR:PORT" and
// "metrics: http://ADDR:PORT/metrics" (--metrics.port -1 disables metrics).
// SIGINT/SIGTERM: stop producing, stop serving, write the head state to disk
// (BlockChain::close) and exit 0.
// Exit codes: 0 clean shutdown, 2 usage error, 3 failure to start.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/common/command.h"

namespace klay::node {

struct RunOptions {
  std::string datadir;                 // required unless --dev (then ./data)
  bool dev = false;
  double dev_period_s = 1.0;           // --dev.period, > 0
  std::string rpc_addr = "127.0.0.1";
  int rpc_port = 8551;
  std::string metrics_addr = "127.0.0.1";
  int metrics_port = 61001;            // -1: no metrics server
  std::string gcmode = "full";
  uint64_t state_block_interval = 128;
  uint64_t tries_in_memory = 128;
  std::string log_level = "info";
};

// Throws cli::UsageError for bad flags; nullopt after printing --help.
std::optional<RunOptions> parse_run_options(const std::vector<std::string>& args, cli::Context& ctx);

// Runs until SIGINT/SIGTERM; returns the exit code.
int run_node(const RunOptions& options, cli::Context& ctx);

int run_run_command(const std::vector<std::string>& args, cli::Context& ctx);

}  // namespace klay::node
