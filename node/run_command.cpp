#include "node/run_command.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <cxxopts.hpp>
#include <filesystem>
#include <functional>

#include "engine/rawdb/datadir_settings.h"
#include "node/api/api.h"
#include "node/api/node_metrics.h"
#include "node/chain/base_fee.h"
#include "node/chain/producer.h"
#include "node/chain/txpool_source.h"
#include "node/dev_chain.h"
#include "node/init_command.h"
#include "node/migration_host.h"
#include "node/node_open.h"
#include "node/pruning_host.h"
#include "node/pruning_state_guard.h"
#include "node/rpc/metrics_server.h"
#include "node/rpc/rpc_server.h"
#include "tools/common/option_parsing.h"

namespace klay::node {

namespace fs = std::filesystem;

namespace {

constexpr const char* kProgram = "knode run";

int fail(cli::Context& ctx, const std::string& sentence) {
  std::fprintf(ctx.err, "%s: %s\n", kProgram, sentence.c_str());
  return cli::kExitFailure;
}

// Creates the dev chain on the first --dev start (keys, genesis file, init);
// finishes a creation a crash interrupted; refuses a datadir initialised
// without dev keys.
Result<DevKeys> prepare_dev_datadir(const fs::path& datadir, cli::Context& ctx, bool* created) {
  auto recorded = rawdb::load_datadir_settings(datadir);
  if (!recorded) return recorded.status();
  *created = false;
  if (!has_dev_keys(datadir)) {
    if (*recorded)
      return Status::invalid_argument("datadir " + datadir.string() +
                                      " holds a chain that --dev did not create (no dev keys); run without --dev");
    auto keys = create_dev_files(datadir);
    if (!keys) return keys.status();
    *created = true;
  }
  if (!*recorded) {
    InitOptions init;
    init.datadir = datadir.string();
    init.genesis = dev_genesis_path(datadir).string();
    cli::Context quiet = ctx;
    quiet.out = ctx.err;  // the genesis hash goes to the log, stdout keeps the node's own lines
    if (run_init(init, quiet) != cli::kExitOk)
      return Status::invalid_argument("cannot initialise the dev datadir " + datadir.string());
  }
  return load_dev_keys(datadir);
}

// Blocks SIGINT/SIGTERM in this thread (and the threads it starts) so that
// wait_for_signal() receives them.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Waits for a stop signal; runs `tick` about every second meanwhile.
int wait_for_signal(const sigset_t& set, const std::function<void()>& tick) {
  const timespec one_second{1, 0};
  for (;;) {
    const int sig = sigtimedwait(&set, nullptr, &one_second);
    if (sig == SIGINT || sig == SIGTERM) return sig;
    tick();
  }
}

}  // namespace

std::optional<RunOptions> parse_run_options(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser(kProgram, "Run the node: chain, transaction pool, JSON-RPC and metrics servers.");
  RunOptions o;
  parser.add_options()
      ("datadir", "data directory (default ./data with --dev)", cxxopts::value(o.datadir))
      ("dev", "run a single-validator dev chain, creating it on first start", cxxopts::value(o.dev))
      ("dev.period", "seconds between dev blocks, fractions allowed (default 1)", cxxopts::value(o.dev_period_s))
      ("rpc.addr", "JSON-RPC listen address (default 127.0.0.1)", cxxopts::value(o.rpc_addr))
      ("rpc.port", "JSON-RPC port, 0 for any free port (default 8551)", cxxopts::value(o.rpc_port))
      ("metrics.addr", "metrics listen address (default 127.0.0.1)", cxxopts::value(o.metrics_addr))
      ("metrics.port", "Prometheus metrics port, 0 for any free port, -1 for none (default 61001)",
       cxxopts::value(o.metrics_port))
      ("gcmode", "state trie garbage collection: full or archive (default full)", cxxopts::value(o.gcmode))
      ("state.block-interval", "full mode: blocks between state commits to disk (default 128)",
       cxxopts::value(o.state_block_interval))
      ("state.tries-in-memory", "full mode: recent block states kept in memory (default 128)",
       cxxopts::value(o.tries_in_memory))
      ("log.level", "trace, debug, info, warn, error or off (default info)", cxxopts::value(o.log_level))
      ("h,help", "show this help");
  const auto parsed = cli::parse_options(parser, args, ctx);
  if (!parsed) return std::nullopt;
  if (o.datadir.empty()) {
    if (!o.dev) throw cli::UsageError("--datadir DIR is required (or --dev, which defaults to ./data)");
    o.datadir = "./data";
  }
  if (parsed->count("dev.period") && !o.dev) throw cli::UsageError("--dev.period needs --dev");
  if (!(o.dev_period_s > 0) || !std::isfinite(o.dev_period_s) || o.dev_period_s > 86400)
    throw cli::UsageError("--dev.period must be a number of seconds above 0 and at most 86400");
  if (o.rpc_port < 0 || o.rpc_port > 65535) throw cli::UsageError("--rpc.port must be between 0 and 65535");
  if (o.metrics_port < -1 || o.metrics_port > 65535)
    throw cli::UsageError("--metrics.port must be between 0 and 65535, or -1 for no metrics server");
  if (auto m = chain::parse_gc_mode(o.gcmode); !m) throw cli::UsageError("--gcmode: " + m.status().message());
  if (o.state_block_interval == 0) throw cli::UsageError("--state.block-interval must be at least 1");
  if (o.tries_in_memory == 0) throw cli::UsageError("--state.tries-in-memory must be at least 1");
  if (spdlog::level::from_str(o.log_level) == spdlog::level::off && o.log_level != "off")
    throw cli::UsageError("--log.level must be one of trace, debug, info, warn, error, critical, off");
  return o;
}

namespace {

// Logs go to stderr: stdout carries the lines tools parse (dev account, addresses).
void log_to_stderr(const std::string& level) {
  auto logger = spdlog::get("knode");
  if (!logger) logger = spdlog::stderr_color_mt("knode");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace

int run_node(const RunOptions& o, cli::Context& ctx) {
  log_to_stderr(o.log_level);
  // First, so that every thread started later (LevelDB's background thread
  // during the --dev init included) inherits the mask: a SIGTERM delivered to
  // a thread that does not block it would kill the process uncleanly.
  const sigset_t stop_signals = block_stop_signals();
  const fs::path datadir = o.datadir;

  std::optional<DevKeys> dev_keys;
  if (o.dev) {
    bool created = false;
    auto keys = prepare_dev_datadir(datadir, ctx, &created);
    if (!keys) return fail(ctx, keys.status().message());
    dev_keys = *keys;
    std::fprintf(ctx.out, "dev account: %s (%s)\ndev private key: 0x%s\n", keys->account.address().hex().c_str(),
                 created ? "created" : "reused", to_hex(keys->account.bytes()).c_str());
    std::fflush(ctx.out);
  }

  rpc::MetricsRegistry registry;
  api::NodeMetrics metrics(registry);

  chain::BlockChainOptions chain_options;
  chain_options.gc_mode = *chain::parse_gc_mode(o.gcmode);
  chain_options.state_block_interval = o.state_block_interval;
  chain_options.tries_in_memory = o.tries_in_memory;
  chain_options.on_block_inserted = [&metrics](const chain::BlockInsertedEvent& ev) { metrics.on_block_inserted(ev); };
  auto pruning_host = PruningHost::prepare(datadir, chain_options, &registry);  // before open: recovery writes marks
  if (!pruning_host) return fail(ctx, pruning_host.status().message());
  MigrationHost migration_host(&registry, MigrationHostOptions::from_environment());  // outlives the chain
  migration_host.prepare(chain_options);     // before open: cleanup and resume of a state migration
  auto opened = open_chain(datadir, chain_options);
  if (!opened) return fail(ctx, opened.status().message());
  chain::BlockChain& chain = *opened->chain;
  struct StopMigration {  // destroyed before `opened`, also on early returns
    MigrationHost& host;
    ~StopMigration() { host.shutdown(); }
  } stop_migration{migration_host};
  if (Status s = migration_host.attach(chain); !s) return fail(ctx, "cannot resume the state migration: " + s.message());
  const chain::ChainHead head = chain.head();
  spdlog::info("chain opened: chain id {}, head block {} {}, state on disk at block {}, {} blocks re-executed",
               chain.chain_id().to_string(), head.number, head.hash.hex(), chain.state_on_disk_block(),
               chain.recovered_blocks());

  auto live_pruning = (*pruning_host)->start(*opened->dbm, chain);  // destroyed before `opened`
  if (!live_pruning) return fail(ctx, "cannot start live pruning: " + live_pruning.status().message());

  auto head_reader = chain.state_reader_at_root(head.header.root);
  if (!head_reader) return fail(ctx, head_reader.status().message());
  txpool::TxPool pool(chain.config(), txpool::TxPoolConfig{},
                      std::make_unique<txpool::StateReaderPoolState>(std::move(*head_reader)),
                      txpool::PoolHead{head.number, chain::expected_base_fee(chain.config(), head.header)});
  chain::TxPoolSource source(pool, chain);

  std::unique_ptr<chain::BlockProducer> producer;
  if (dev_keys) {
    chain::ProducerOptions popts;
    popts.period = std::chrono::milliseconds(std::max<int64_t>(1, std::llround(o.dev_period_s * 1000)));
    auto p = chain::BlockProducer::create(chain, dev_keys->validator, &source, popts);
    if (!p) return fail(ctx, p.status().message());
    producer = std::move(*p);
  }

  rpc::MethodRegistry methods;
  api::ApiBackend backend{&chain, &pool, opened->dbm.get(), datadir, o.dev};
  backend.migration = &migration_host;
  // The RPC server stops before live_pruning is reset.
  if (*live_pruning) backend.state_guard = pruning_state_guard(**live_pruning, chain);
  if (Status s = api::register_all(methods, backend); !s)
    return fail(ctx, "cannot register the RPC methods: " + s.message());
  rpc::RpcServerConfig rpc_config;
  rpc_config.addr = o.rpc_addr;
  rpc_config.port = o.rpc_port;
  rpc_config.metrics = &registry;
  rpc::RpcServer rpc_server(methods, rpc_config);
  if (Status s = rpc_server.start(); !s) return fail(ctx, "cannot start the RPC server: " + s.message());
  std::unique_ptr<rpc::MetricsServer> metrics_server;
  if (o.metrics_port >= 0) {
    metrics_server = std::make_unique<rpc::MetricsServer>(registry, rpc::MetricsServerConfig{o.metrics_addr, o.metrics_port, 2});
    if (Status s = metrics_server->start(); !s) {
      rpc_server.stop();
      return fail(ctx, "cannot start the metrics server: " + s.message());
    }
  }
  metrics.start(chain, pool, *opened->dbm);
  if (producer) producer->start();

  std::fprintf(ctx.out, "rpc: http://%s:%d\n", o.rpc_addr.c_str(), rpc_server.port());
  if (metrics_server) std::fprintf(ctx.out, "metrics: http://%s:%d/metrics\n", o.metrics_addr.c_str(), metrics_server->port());
  std::fflush(ctx.out);
  spdlog::info("node running (chain id {}, {} mode{}); SIGINT or SIGTERM stops it", chain.chain_id().to_string(),
               o.gcmode, o.dev ? fmt::format(", dev block producer every {:g} s", o.dev_period_s) : std::string());

  auto last_eviction = std::chrono::steady_clock::now();
  const int sig = wait_for_signal(stop_signals, [&] {
    // The reference evicts expired queued transactions every minute.
    if (std::chrono::steady_clock::now() - last_eviction >= std::chrono::minutes(1)) {
      pool.evict_expired();
      last_eviction = std::chrono::steady_clock::now();
    }
  });
  spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  if (producer) producer->stop();
  rpc_server.stop();
  if (metrics_server) metrics_server->stop();
  metrics.stop();
  const uint64_t head_num = chain.head().number;
  live_pruning->reset();  // stop pruning before the chain closes
  migration_host.shutdown();  // the migration stays recorded and resumes at the next start
  if (Status s = opened->close(); !s) return fail(ctx, "shutdown: " + s.message());
  spdlog::info("stopped cleanly at block {}", head_num);
  return cli::kExitOk;
}

int run_run_command(const std::vector<std::string>& args, cli::Context& ctx) {
  auto o = parse_run_options(args, ctx);
  if (!o) return cli::kExitOk;
  return run_node(*o, ctx);
}

}  // namespace klay::node
