// What one kbench run measured: one or more timed phases of a workload
// (e.g. kv-read has "read-hit" and "read-miss"), each with throughput,
// latency percentiles where per-operation, write amplification, disk size,
// peak memory, wall and CPU time. Printed as a table and written as JSON;
// --compare reads the JSON of its child runs back (report_from_json).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/kbench/process_sample.h"

namespace klay::kbench {

struct Latency {
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

// Percentiles of per-operation latencies in nanoseconds (reorders `ns`).
// REQUIRES: !ns.empty().
Latency latency_of(std::vector<uint32_t>& ns);

struct Phase {
  std::string name;            // "fill", "read-hit", "commit", "import", "cp -a", ...
  std::string unit = "ops";    // what `ops` counts: "keys", "txns", "nodes", "accounts"
  uint64_t ops = 0;
  uint64_t logical_bytes = 0;  // key + value bytes the phase handled (0: not meaningful)
  double wall_s = 0;
  double cpu_s = 0;
  uint64_t io_write_bytes = 0; // /proc/self/io write_bytes delta
  uint64_t io_wchar = 0;       // /proc/self/io wchar delta
  uint64_t disk_before = 0;    // bytes on disk of the run directory
  uint64_t disk_after = 0;
  uint64_t peak_rss = 0;       // VmHWM during the phase (reset at its start)
  bool writes = true;           // false for read-only phases (no write amplification then)
  std::optional<Latency> latency;
  std::map<std::string, double> extra;  // workload-specific figures (nodes_written, ...)

  double ops_per_s() const { return wall_s > 0 ? static_cast<double>(ops) / wall_s : 0; }
  double mb_per_s() const { return wall_s > 0 ? static_cast<double>(logical_bytes) / wall_s / 1e6 : 0; }
  // Disk growth / logical bytes; nullopt without logical bytes.
  std::optional<double> write_amp_disk() const;
  // Process write_bytes / logical bytes.
  std::optional<double> write_amp_io() const;
};

// Samples the process at construction; finish() fills the phase's timing,
// I/O and memory fields (ops, bytes and extras are the caller's).
class PhaseTimer {
 public:
  PhaseTimer(Phase& phase, std::filesystem::path dir);
  void finish();

 private:
  Phase& phase_;
  std::filesystem::path dir_;
  ProcessSample start_;
};

struct Report {
  std::string workload;
  std::string backend;
  uint64_t size = 0;
  size_t threads = 1;
  std::string path;            // the run directory (removed afterwards unless --keep)
  double load_1m_start = -1;   // machine load when the run started
  double load_1m_end = -1;
  bool peak_rss_per_phase = true;  // false: clear_refs refused, peaks are lifetime peaks
  std::vector<Phase> phases;
  std::vector<std::string> notes;
};

nlohmann::json to_json(const Report& r);
Report report_from_json(const nlohmann::json& j);

// Flat "phase.metric" -> value map (the figures --compare takes medians of).
std::map<std::string, double> flatten(const Report& r);

// The human table (one row per phase).
std::string format_table(const Report& r);

// "12.3 MB", "1.2 GB" (decimal units).
std::string format_bytes(double bytes);

}  // namespace klay::kbench
