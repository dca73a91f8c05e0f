#include "tools/kchaindata/to_live_pruning_runner.h"

#include <nlohmann/json.hpp>

#include "engine/chaindata/db_manager.h"
#include "pruning/to_live_pruning.h"
#include "tools/kchaindata/datadir_flags.h"

namespace klay::kchaindata {

int run_to_live_pruning(const cli::ToLivePruningRequest& request, cli::Context& ctx) {
  chaindata::Config config = request.config;
  config.read_only = false;
  auto dbm = chaindata::DBManager::open(request.datadir, config);
  if (!dbm) {
    if (dbm.status().code() == Status::Code::kBusy) {
      return report_failure(ctx, "migrate",
                            Status::busy(dbm.status().message() + " (kchaindata works on a stopped node only)"));
    }
    return report_failure(ctx, "migrate", dbm.status());
  }
  pruning::ToLivePruningOptions options;
  options.block_num = request.block;
  if (request.retention) options.retention = *request.retention;
  if (!request.json) {
    std::fprintf(ctx.err, "converting %s to live pruning (the state at %s is rewritten with ExtHash keys)\n",
                 request.datadir.c_str(),
                 request.block ? ("block " + std::to_string(*request.block)).c_str()
                               : "the newest block with its state on disk");
    std::fflush(ctx.err);
  }
  auto report = pruning::convert_to_live_pruning(**dbm, options);
  if (!report) {
    (void)(*dbm)->close();
    return report_failure(ctx, "migrate", report.status());
  }
  if (Status s = (*dbm)->close(); !s) return report_failure(ctx, "migrate", s);
  const auto& r = *report;
  if (request.json) {
    const nlohmann::json j = {{"to_live_pruning", true},
                              {"block", r.block_num},
                              {"root", r.root.hex()},
                              {"nodes_written", r.nodes_written},
                              {"storage_tries", r.storage_tries},
                              {"codes_written", r.codes_written},
                              {"nodes_verified", r.nodes_verified},
                              {"retention", options.retention},
                              {"old_dir", r.old_dir},
                              {"new_dir", r.new_dir},
                              {"seconds", r.seconds}};
    std::fprintf(ctx.out, "%s\n", j.dump().c_str());
  } else {
    std::fprintf(ctx.out,
                 "converted %s to live pruning at block %llu (root %s) into %s (%s removed)\n"
                 "  nodes written %llu (%llu storage tries), codes %llu, nodes verified %llu, in %.1f s; "
                 "live pruning is now on with a retention of %llu s\n",
                 request.datadir.c_str(), static_cast<unsigned long long>(r.block_num), r.root.hex().c_str(),
                 r.new_dir.c_str(), r.old_dir.c_str(), static_cast<unsigned long long>(r.nodes_written),
                 static_cast<unsigned long long>(r.storage_tries), static_cast<unsigned long long>(r.codes_written),
                 static_cast<unsigned long long>(r.nodes_verified), r.seconds,
                 static_cast<unsigned long long>(options.retention));
  }
  return cli::kExitOk;
}

}  // namespace klay::kchaindata
