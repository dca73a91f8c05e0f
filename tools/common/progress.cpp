#include "tools/common/progress.h"

#include <unistd.h>

#include <cmath>

namespace klay::cli {

Progress::Progress(std::string label, uint64_t total, std::string unit, FILE* out)
    : label_(std::move(label)), total_(total), unit_(std::move(unit)), out_(out),
      tty_(isatty(fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()), last_print_(start_) {
  if (tty_) log_interval = std::chrono::milliseconds(200);
}

Progress::~Progress() { finish(); }

void Progress::add(uint64_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  maybe_print(false);
}

void Progress::set(uint64_t done) {
  done_.store(done, std::memory_order_relaxed);
  maybe_print(false);
}

void Progress::set_total(uint64_t total) { total_.store(total, std::memory_order_relaxed); }

void Progress::finish() {
  std::lock_guard lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (silent_) return;
  std::fprintf(out_, "%s%s\n", tty_ ? "\r\033[K" : "", line(true).c_str());
  std::fflush(out_);
}

std::string Progress::format_rate(double per_second) {
  char buf[32];
  if (per_second >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", per_second / 1e6);
  else if (per_second >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", per_second / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", per_second);
  return buf;
}

std::string Progress::format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<uint64_t>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%lluh%02llum", (unsigned long long)(s / 3600), (unsigned long long)(s % 3600 / 60));
  else if (s >= 60) std::snprintf(buf, sizeof buf, "%llum%02llus", (unsigned long long)(s / 60), (unsigned long long)(s % 60));
  else std::snprintf(buf, sizeof buf, "%llus", (unsigned long long)s);
  return buf;
}

std::string Progress::line(bool final) const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const uint64_t done = done_.load(std::memory_order_relaxed);
  const uint64_t total = total_.load(std::memory_order_relaxed);
  const double rate = elapsed > 0 ? done / elapsed : 0;
  std::string out = label_ + ": ";
  char buf[160];
  if (total > 0) {
    const double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    if (tty_) {
      constexpr int kWidth = 24;
      const int filled = static_cast<int>(frac * kWidth);
      out += "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
    }
    std::snprintf(buf, sizeof buf, "%5.1f%% %llu/%llu %s", frac * 100, (unsigned long long)done,
                  (unsigned long long)total, unit_.c_str());
    out += buf;
  } else {
    std::snprintf(buf, sizeof buf, "%llu %s", (unsigned long long)done, unit_.c_str());
    out += buf;
  }
  out += ", " + format_rate(rate) + " " + unit_ + "/s";
  if (final) {
    out += ", took " + format_duration(elapsed);
  } else if (total > 0 && rate > 0 && done < total) {
    out += ", ETA " + format_duration((total - done) / rate);
  }
  return out;
}

void Progress::maybe_print(bool force) {
  if (silent_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_print_ < log_interval) return;
  std::unique_lock lock(mu_, std::try_to_lock);
  if (!lock.owns_lock() || finished_) return;
  if (!force && now - last_print_ < log_interval) return;
  last_print_ = now;
  if (tty_) std::fprintf(out_, "\r\033[K%s", line(false).c_str());
  else std::fprintf(out_, "%s\n", line(false).c_str());
  std::fflush(out_);
}

}  // namespace klay::cli
