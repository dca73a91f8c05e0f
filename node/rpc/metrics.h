// Prometheus metrics: counters, gauges and histograms in a registry that
// renders the text exposition format (version 0.0.4) served at /metrics.
//
//   MetricsRegistry reg;
//   Counter& served = reg.counter("rpc_requests_total", "JSON-RPC calls served",
//                                 {{"method", "eth_chainId"}});
//   served.inc();
//   std::string text = reg.render();
//
// Ownership: the registry owns every metric; the references it hands out stay
// valid for the registry's lifetime, so hot paths look a metric up once and
// keep the reference.
// Threading: all members of all classes here are safe to call concurrently.
// Updates are lock-free atomics; lookups and render() take the registry's
// mutex. A histogram rendered while being observed may be off by the
// observations in flight (Prometheus tolerates this).
// Errors: invalid metric or label names, and reusing a name with another
// type (or other histogram buckets), are programming errors and throw
// std::invalid_argument.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace klay::rpc {

// Label name/value pairs. Order does not matter: the registry sorts them.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(uint64_t n = 1) noexcept { v_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const noexcept { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

class Gauge {
 public:
  void set(double v) noexcept { v_.store(v, std::memory_order_relaxed); }
  void add(double d) noexcept;
  void inc() noexcept { add(1.0); }
  void dec() noexcept { add(-1.0); }
  double value() const noexcept { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> v_{0.0};
};

class Histogram {
 public:
  // `upper_bounds` strictly increasing and finite; a +Inf bucket is implied.
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double v) noexcept;

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& upper_bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<double> sum_{0.0};
};

// Default latency buckets in seconds (100 µs .. 10 s).
std::vector<double> default_latency_buckets();

class MetricsRegistry {
 public:
  MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;
  ~MetricsRegistry();

  // Get-or-create. The same name and labels return the same object; `help`
  // of the first registration wins.
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> upper_bounds,
                       const Labels& labels = {});

  // The text exposition format: families sorted by name, each with # HELP
  // and # TYPE lines, series sorted by labels.
  std::string render() const;

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Family;
  Family& family(std::string_view name, std::string_view help, Type type);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
};

// Name checks of the exposition format.
bool is_valid_metric_name(std::string_view name);  // [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_label_name(std::string_view name);   // [a-zA-Z_][a-zA-Z0-9_]*, not "__*"
// Escapes `\`, `"` and newline for a label value.
std::string escape_label_value(std::string_view v);
// A sample value: shortest round-trip decimal, "+Inf", "-Inf" or "NaN".
std::string format_metric_value(double v);

}  // namespace klay::rpc
