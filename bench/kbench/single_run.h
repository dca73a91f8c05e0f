// One workload on one backend: makes a fresh run directory
// <path>/kbench-<workload>-<backend>-<pid>-<n> (never reusing anything that
// is there), runs the workload in it, fills the report's header fields and
// removes the directory unless --keep.
#pragma once

#include "bench/kbench/cli_options.h"
#include "bench/kbench/report.h"

namespace klay::kbench {

Result<Report> run_once(const CliOptions& options);

}  // namespace klay::kbench
