// Process-wide resource counters sampled around a timed phase.
//
// Everything is read from the kernel for the whole process (all threads,
// including backend compaction threads and TBB workers):
//   wall        steady clock
//   cpu         getrusage(RUSAGE_SELF) user + system
//   write_bytes /proc/self/io write_bytes: bytes this process caused to be
//               sent to the block layer (page-cache writeback included)
//   wchar       /proc/self/io wchar: bytes passed to write()-family calls
//               (mmap writes, as LMDB's, are not in it)
// Peak memory of a phase: reset_peak_rss() clears VmHWM (writes "5" to
// /proc/self/clear_refs) so peak_rss_bytes() afterwards is the phase's peak.
// Thread-safe (reads only; reset affects the whole process).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>

namespace klay::kbench {

struct ProcessSample {
  std::chrono::steady_clock::time_point wall;
  double cpu_seconds = 0;
  uint64_t write_bytes = 0;
  uint64_t wchar = 0;

  static ProcessSample now();
};

// False when the kernel refused (then peak_rss_bytes() is the lifetime peak).
bool reset_peak_rss();
// VmHWM of this process in bytes (getrusage maxrss when /proc is unreadable).
uint64_t peak_rss_bytes();

// Bytes allocated on disk under `path` (st_blocks * 512 summed over regular
// files, like `du`); 0 when it does not exist.
uint64_t disk_usage(const std::filesystem::path& path);

// The 1-minute load average, or -1 when unavailable.
double load_average_1m();

}  // namespace klay::kbench
