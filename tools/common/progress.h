// Progress reporting for long tasks.
//
// On a terminal: a single redrawn line with a bar, count, rate and ETA.
// Otherwise (logs, CI, pipes): a plain line every `log_interval`.
// Thread-safe: add() may be called from many threads; output is serialised.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace klay::cli {

class Progress {
 public:
  // `total` may be 0 when unknown (no bar, no ETA). `unit` names what is counted ("keys", "nodes").
  Progress(std::string label, uint64_t total, std::string unit, FILE* out = stderr);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void add(uint64_t n = 1);
  void set(uint64_t done);
  void set_total(uint64_t total);
  // Prints the final line (always, even when quiet-ish) and stops updates.
  void finish();
  // Disables all output (for --json or --quiet modes).
  void silence() { silent_ = true; }
  uint64_t done() const { return done_.load(std::memory_order_relaxed); }

  std::chrono::milliseconds log_interval{10'000};

  // Formatting helpers, exposed for tests.
  static std::string format_rate(double per_second);
  static std::string format_duration(double seconds);

 private:
  void maybe_print(bool force);
  std::string line(bool final) const;

  std::string label_;
  std::atomic<uint64_t> total_;
  std::string unit_;
  FILE* out_;
  bool tty_;
  bool silent_ = false;
  bool finished_ = false;
  std::atomic<uint64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
  std::mutex mu_;
};

}  // namespace klay::cli
