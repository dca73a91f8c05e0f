#include "node/rpc/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace klay::rpc {
namespace {

bool name_char(char c, bool first, bool allow_colon) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (allow_colon && c == ':') return true;
  return !first && c >= '0' && c <= '9';
}

void atomic_add(std::atomic<double>& a, double d) noexcept {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + d, std::memory_order_relaxed)) {
  }
}

// Sorted, validated labels rendered as `a="x",b="y"` (no braces): the key of
// a series within its family.
std::string label_key(Labels labels, bool histogram) {
  std::sort(labels.begin(), labels.end());
  std::string out;
  for (size_t i = 0; i < labels.size(); ++i) {
    const auto& [k, v] = labels[i];
    if (!is_valid_label_name(k)) throw std::invalid_argument("invalid metric label name \"" + k + "\"");
    if (histogram && k == "le") throw std::invalid_argument("label \"le\" is reserved for histogram buckets");
    if (i > 0 && labels[i - 1].first == k) throw std::invalid_argument("duplicate metric label \"" + k + "\"");
    if (!out.empty()) out += ',';
    out += k;
    out += "=\"";
    out += escape_label_value(v);
    out += '"';
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void append_sample(std::string& out, std::string_view name, std::string_view labels, std::string_view value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

std::string join_labels(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  return std::string(a) + "," + std::string(b);
}

}  // namespace

bool is_valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, true)) return false;
  }
  return true;
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, false)) return false;
  }
  return true;
}

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string format_metric_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

void Gauge::add(double d) noexcept { atomic_add(v_, d); }

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]) || (i > 0 && !(bounds_[i - 1] < bounds_[i]))) {
      throw std::invalid_argument("histogram bounds must be finite and strictly increasing");
    }
  }
  buckets_ = std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1);
}

void Histogram::observe(double v) noexcept {
  // First bucket whose bound is >= v; NaN and values above every bound land in +Inf.
  size_t i = std::isnan(v) ? bounds_.size()
                           : static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, v);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = total;
  }
  s.count = total;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> default_latency_buckets() {
  return {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10};
}

struct MetricsRegistry::Family {
  std::string name;
  std::string help;
  Type type;
  std::vector<double> bounds;  // histograms only
  using Series = std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::unique_ptr<Histogram>>;
  std::map<std::string, Series> series;  // by label_key
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help, Type type) {
  if (!is_valid_metric_name(name)) throw std::invalid_argument("invalid metric name \"" + std::string(name) + "\"");
  auto it = families_.find(name);
  if (it == families_.end()) {
    auto f = std::make_unique<Family>();
    f->name = std::string(name);
    f->help = std::string(help);
    f->type = type;
    it = families_.emplace(std::string(name), std::move(f)).first;
  } else if (it->second->type != type) {
    throw std::invalid_argument("metric \"" + std::string(name) + "\" is already registered with another type");
  }
  return *it->second;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  std::string key = label_key(labels, false);
  std::lock_guard lock(mu_);
  auto& series = family(name, help, Type::kCounter).series;
  auto it = series.find(key);
  if (it == series.end()) it = series.emplace(std::move(key), std::make_unique<Counter>()).first;
  return *std::get<std::unique_ptr<Counter>>(it->second);
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  std::string key = label_key(labels, false);
  std::lock_guard lock(mu_);
  auto& series = family(name, help, Type::kGauge).series;
  auto it = series.find(key);
  if (it == series.end()) it = series.emplace(std::move(key), std::make_unique<Gauge>()).first;
  return *std::get<std::unique_ptr<Gauge>>(it->second);
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      std::vector<double> upper_bounds, const Labels& labels) {
  std::string key = label_key(labels, true);
  auto fresh = std::make_unique<Histogram>(std::move(upper_bounds));  // validates the bounds
  std::lock_guard lock(mu_);
  bool existed = families_.find(name) != families_.end();
  Family& f = family(name, help, Type::kHistogram);
  if (!existed) {
    f.bounds = fresh->upper_bounds();
  } else if (f.bounds != fresh->upper_bounds()) {
    throw std::invalid_argument("histogram \"" + std::string(name) + "\" is already registered with other buckets");
  }
  auto it = f.series.find(key);
  if (it == f.series.end()) it = f.series.emplace(std::move(key), std::move(fresh)).first;
  return *std::get<std::unique_ptr<Histogram>>(it->second);
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, f] : families_) {
    out += "# HELP " + name + " " + escape_help(f->help) + "\n";
    const char* type = f->type == Type::kCounter ? "counter" : f->type == Type::kGauge ? "gauge" : "histogram";
    out += "# TYPE " + name + " " + type + "\n";
    for (const auto& [labels, series] : f->series) {
      if (const auto* c = std::get_if<std::unique_ptr<Counter>>(&series)) {
        append_sample(out, name, labels, std::to_string((*c)->value()));
      } else if (const auto* g = std::get_if<std::unique_ptr<Gauge>>(&series)) {
        append_sample(out, name, labels, format_metric_value((*g)->value()));
      } else {
        const Histogram& h = *std::get<std::unique_ptr<Histogram>>(series);
        Histogram::Snapshot s = h.snapshot();
        const std::string bucket = name + "_bucket";
        for (size_t i = 0; i < s.cumulative.size(); ++i) {
          std::string le = i < h.upper_bounds().size() ? format_metric_value(h.upper_bounds()[i]) : "+Inf";
          append_sample(out, bucket, join_labels(labels, "le=\"" + le + "\""), std::to_string(s.cumulative[i]));
        }
        append_sample(out, name + "_sum", labels, format_metric_value(s.sum));
        append_sample(out, name + "_count", labels, std::to_string(s.count));
      }
    }
  }
  return out;
}

}  // namespace klay::rpc
