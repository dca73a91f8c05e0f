// kbench's command line (cxxopts), with Klaytn-style flag names:
//   kbench --workload W [--db.type T] [--path DIR] [--size N] [--threads N] [--json FILE] [--keep]
//   kbench --compare --workload W [--size N] [--path DIR] [--out DIR] [--reps N] [--backends a,b]
//   kbench --list
// parse_cli throws cli::UsageError (exit code 2) for a bad flag or value.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bench/kbench/workload.h"

namespace klay::kbench {

struct CliOptions {
  RunOptions run;
  std::filesystem::path path;      // --path: parent of the per-run directories
  std::filesystem::path json;      // --json: where the report goes (empty: none)
  bool keep = false;               // --keep: leave the run directory in place
  bool list = false;               // --list: print the workloads
  bool help = false;
  std::string help_text;
  // --compare
  bool compare = false;
  std::filesystem::path out = "results";  // --out
  size_t reps = 3;                        // --reps (at least 1; the doc uses >= 3)
  std::vector<kv::Backend> backends;      // --backends; empty: every meaningful one
};

CliOptions parse_cli(const std::vector<std::string>& args);

// The flags that reproduce `o.run` for one backend (what --compare hands its children).
std::vector<std::string> run_flags(const CliOptions& o, kv::Backend backend);

}  // namespace klay::kbench
