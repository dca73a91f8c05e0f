// kbench --compare: one workload on several backends in one invocation.
//
// Each (repetition, backend) run is a child `kbench` process (so peak RSS,
// I/O counters and caches of one run never leak into another), started in
// interleaved order A B C A B C ... so that drifting machine load hits every
// backend alike. The parent reads the children's JSON back, takes medians
// (with min and max) of every figure, and writes into --out:
//   <workload>-<size>.md            the side-by-side tables
//   <workload>-<size>.json          every run and the medians
//   <workload>-<size>-<phase>.png   throughput per backend (gnuplot), if installed
//   runs/<workload>-<size>/         each child's JSON and output
#pragma once

#include <string>
#include <vector>

#include "bench/kbench/cli_options.h"

namespace klay::kbench {

// Returns the process exit code (0 when every run succeeded).
int run_compare(const CliOptions& options, const std::vector<std::string>& args);

}  // namespace klay::kbench
