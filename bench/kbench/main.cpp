// kbench: storage benchmarks of our engine and node on one backend
// (--db.type) or, with --compare, all backends side by side. See
// docs/benchmarks.md for the workloads, figures and measured results.
#include <cstdio>
#include <exception>
#include <fstream>

#include "bench/kbench/cli_options.h"
#include "bench/kbench/compare.h"
#include "bench/kbench/single_run.h"
#include "tools/common/command.h"

namespace {

int run(const std::vector<std::string>& args) {
  using namespace klay::kbench;
  const CliOptions o = parse_cli(args);
  if (o.help) {
    std::fputs(o.help_text.c_str(), stdout);
    return 0;
  }
  if (o.list) {
    for (const Workload& w : all_workloads()) {
      std::printf("%-12s --size in %s (default %llu)%s\n             %s\n", w.name.c_str(), w.size_unit.c_str(),
                  static_cast<unsigned long long>(w.default_size), w.memory_meaningful ? "" : ", on-disk backends only",
                  w.summary.c_str());
    }
    return 0;
  }
  if (o.compare) return run_compare(o, args);
  auto report = run_once(o);
  if (!report) {
    std::fprintf(stderr, "kbench %s on %s: %s\n", o.run.workload.c_str(),
                 std::string(klay::kv::backend_name(o.run.backend)).c_str(), report.status().message().c_str());
    return klay::cli::kExitFailure;
  }
  std::fputs(format_table(*report).c_str(), stdout);
  if (!o.json.empty()) {
    std::ofstream out(o.json);
    out << to_json(*report).dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "kbench: cannot write %s\n", o.json.c_str());
      return klay::cli::kExitFailure;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const klay::cli::UsageError& e) {
    std::fprintf(stderr, "kbench: %s (see kbench --help)\n", e.what());
    return klay::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kbench: %s\n", e.what());
    return klay::cli::kExitFailure;
  }
}
