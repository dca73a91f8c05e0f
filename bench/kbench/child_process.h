// Running a child process and collecting what it used (for `cp -a` in the
// convert workload and the per-run children of --compare).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace klay::kbench {

struct ChildResult {
  int exit_code = -1;        // -1: killed by a signal
  double wall_s = 0;
  double cpu_s = 0;          // user + system of the child (wait4 rusage)
  uint64_t write_bytes = 0;  // the child's /proc/<pid>/io write_bytes (0 if unreadable)
  uint64_t max_rss = 0;      // bytes
};

// Runs argv[0] (searched in PATH) with stdout and stderr appended to `log`
// (empty: inherited). IOError when it cannot be started.
Result<ChildResult> run_child(const std::vector<std::string>& argv, const std::filesystem::path& log = {});

}  // namespace klay::kbench
