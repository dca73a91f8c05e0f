#include "bench/kv/ratio_reporter.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace klay::kv::bench {
namespace {

double ns_per_unit(benchmark::TimeUnit unit) {
  switch (unit) {
    case benchmark::kNanosecond: return 1;
    case benchmark::kMicrosecond: return 1e3;
    case benchmark::kMillisecond: return 1e6;
    case benchmark::kSecond: return 1e9;
  }
  return 1;
}

double median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

std::string format_ns(double ns) {
  char buf[32];
  if (ns < 0) return "-";
  if (ns >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.3g ms", ns / 1e6);
  } else if (ns >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.4g µs", ns / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g ns", ns);
  }
  return buf;
}

std::string format_ratio(double engine, double raw) {
  if (engine < 0 || raw <= 0) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", engine / raw);
  return buf;
}

}  // namespace

RatioReporter::RatioReporter(std::unique_ptr<benchmark::BenchmarkReporter> display)
    : display_(std::move(display)) {}

bool RatioReporter::ReportContext(const Context& context) { return display_->ReportContext(context); }

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  display_->ReportRuns(runs);
  for (const Run& r : runs) {
    Times& t = times_[r.run_name.function_name];
    if (r.error_occurred) {
      t.error = r.error_message;
      continue;
    }
    if (r.run_name.function_name.ends_with("/paired")) {
      const bool is_median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (r.run_type == Run::RT_Aggregate && !is_median) continue;
      bool& from_median = paired_from_median_[r.run_name.function_name];
      if (from_median && !is_median) continue;
      from_median = from_median || is_median;
      auto& counters = paired_[r.run_name.function_name];
      for (const auto& [name, counter] : r.counters) counters[name] = counter.value;
      continue;
    }
    const double unit = ns_per_unit(r.time_unit);
    if (r.run_type == Run::RT_Aggregate) {
      if (r.aggregate_name == "median") {
        t.median_wall_ns = r.GetAdjustedRealTime() * unit;
        t.median_cpu_ns = r.GetAdjustedCPUTime() * unit;
      }
    } else {
      t.wall_ns.push_back(r.GetAdjustedRealTime() * unit);
      t.cpu_ns.push_back(r.GetAdjustedCPUTime() * unit);
    }
  }
}

std::vector<std::string> RatioReporter::failed() const {
  std::vector<std::string> names;
  for (const auto& [name, t] : times_)
    if (!t.error.empty()) names.push_back(name + ": " + t.error);
  return names;
}

void RatioReporter::print_paired() const {
  if (paired_.empty()) return;
  std::printf(
      "\nEngine / raw API, interleaved (both sides open, alternating chunks; ratio = median over chunk pairs of "
      "engine/raw, with its 25th-75th percentiles; CPU = the benchmark thread's)\n\n");
  std::printf("| backend/case | engine CPU per chunk | raw CPU per chunk | CPU ratio | p25-p75 | wall ratio |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  for (const auto& [name, c] : paired_) {
    const std::string label = name.substr(0, name.size() - std::string_view("/paired").size());
    const auto t = times_.find(name);
    if (t != times_.end() && !t->second.error.empty()) {
      std::printf("| %s | failed: %s |||||\n", label.c_str(), t->second.error.c_str());
      continue;
    }
    auto get = [&](const char* key) {
      const auto it = c.find(key);
      return it == c.end() ? -1.0 : it->second;
    };
    std::printf("| %s | %s | %s | %.3f | %.3f-%.3f | %.3f |\n", label.c_str(), format_ns(get("engine_cpu_ns")).c_str(),
                format_ns(get("raw_cpu_ns")).c_str(), get("cpu_ratio"), get("cpu_ratio_p25"), get("cpu_ratio_p75"),
                get("wall_ratio"));
  }
}

void RatioReporter::Finalize() {
  display_->Finalize();
  print_table();
  print_paired();
  std::fflush(stdout);
}

void RatioReporter::print_table() const {
  std::set<std::string> cases;
  const std::string engine_suffix = "/engine";
  for (const auto& [name, t] : times_) {
    if (name.ends_with(engine_suffix)) cases.insert(name.substr(0, name.size() - engine_suffix.size()));
  }
  if (cases.empty()) return;
  auto pick = [](const Times& t, bool cpu) {
    const double agg = cpu ? t.median_cpu_ns : t.median_wall_ns;
    return agg >= 0 ? agg : median(cpu ? t.cpu_ns : t.wall_ns);
  };
  std::printf("\nEngine / raw API, per operation (medians; CPU = the benchmark thread's)\n\n");
  std::printf("| backend/case | engine wall | raw wall | wall ratio | engine CPU | raw CPU | CPU ratio |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  for (const std::string& c : cases) {
    const auto e = times_.find(c + "/engine");
    const auto r = times_.find(c + "/raw");
    if (r == times_.end()) continue;
    const std::string& error = !e->second.error.empty() ? e->second.error : r->second.error;
    if (!error.empty()) {
      std::printf("| %s | failed: %s |||||\n", c.c_str(), error.c_str());
      continue;
    }
    const double ew = pick(e->second, false), rw = pick(r->second, false);
    const double ec = pick(e->second, true), rc = pick(r->second, true);
    std::printf("| %s | %s | %s | %s | %s | %s | %s |\n", c.c_str(), format_ns(ew).c_str(), format_ns(rw).c_str(),
                format_ratio(ew, rw).c_str(), format_ns(ec).c_str(), format_ns(rc).c_str(),
                format_ratio(ec, rc).c_str());
  }
}

}  // namespace klay::kv::bench
