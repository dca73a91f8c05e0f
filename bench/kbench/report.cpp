#include "bench/kbench/report.h"

#include <algorithm>
#include <cstdio>

namespace klay::kbench {

using nlohmann::json;

Latency latency_of(std::vector<uint32_t>& ns) {
  auto at = [&](double q) {
    const size_t i = std::min(ns.size() - 1, static_cast<size_t>(q * static_cast<double>(ns.size())));
    std::nth_element(ns.begin(), ns.begin() + static_cast<std::ptrdiff_t>(i), ns.end());
    return static_cast<double>(ns[i]) / 1000.0;
  };
  Latency l;
  l.p50_us = at(0.50);
  l.p99_us = at(0.99);
  l.max_us = static_cast<double>(*std::max_element(ns.begin(), ns.end())) / 1000.0;
  return l;
}

std::optional<double> Phase::write_amp_disk() const {
  if (logical_bytes == 0 || !writes) return std::nullopt;
  const double growth = disk_after > disk_before ? static_cast<double>(disk_after - disk_before) : 0.0;
  return growth / static_cast<double>(logical_bytes);
}

std::optional<double> Phase::write_amp_io() const {
  if (logical_bytes == 0 || !writes) return std::nullopt;
  return static_cast<double>(io_write_bytes) / static_cast<double>(logical_bytes);
}

PhaseTimer::PhaseTimer(Phase& phase, std::filesystem::path dir) : phase_(phase), dir_(std::move(dir)) {
  phase_.disk_before = disk_usage(dir_);
  reset_peak_rss();
  start_ = ProcessSample::now();
}

void PhaseTimer::finish() {
  const ProcessSample end = ProcessSample::now();
  phase_.wall_s = std::chrono::duration<double>(end.wall - start_.wall).count();
  phase_.cpu_s = end.cpu_seconds - start_.cpu_seconds;
  phase_.io_write_bytes = end.write_bytes - start_.write_bytes;
  phase_.io_wchar = end.wchar - start_.wchar;
  phase_.peak_rss = peak_rss_bytes();
  phase_.disk_after = disk_usage(dir_);
}

json to_json(const Report& r) {
  json phases = json::array();
  for (const Phase& p : r.phases) {
    json j = {{"name", p.name},
              {"unit", p.unit},
              {"ops", p.ops},
              {"logical_bytes", p.logical_bytes},
              {"wall_s", p.wall_s},
              {"cpu_s", p.cpu_s},
              {"io_write_bytes", p.io_write_bytes},
              {"io_wchar", p.io_wchar},
              {"disk_before", p.disk_before},
              {"disk_after", p.disk_after},
              {"peak_rss", p.peak_rss},
              {"writes", p.writes},
              {"ops_per_s", p.ops_per_s()},
              {"mb_per_s", p.mb_per_s()},
              {"extra", p.extra}};
    if (auto w = p.write_amp_disk()) j["write_amp_disk"] = *w;
    if (auto w = p.write_amp_io()) j["write_amp_io"] = *w;
    if (p.latency) j["latency_us"] = {{"p50", p.latency->p50_us}, {"p99", p.latency->p99_us}, {"max", p.latency->max_us}};
    phases.push_back(std::move(j));
  }
  return {{"workload", r.workload}, {"backend", r.backend},   {"size", r.size},
          {"threads", r.threads},   {"path", r.path},         {"load_1m_start", r.load_1m_start},
          {"load_1m_end", r.load_1m_end}, {"peak_rss_per_phase", r.peak_rss_per_phase},
          {"phases", phases},       {"notes", r.notes}};
}

Report report_from_json(const json& j) {
  Report r;
  r.workload = j.at("workload");
  r.backend = j.at("backend");
  r.size = j.at("size");
  r.threads = j.at("threads");
  r.path = j.value("path", "");
  r.load_1m_start = j.value("load_1m_start", -1.0);
  r.load_1m_end = j.value("load_1m_end", -1.0);
  r.peak_rss_per_phase = j.value("peak_rss_per_phase", true);
  for (const json& pj : j.at("phases")) {
    Phase p;
    p.name = pj.at("name");
    p.unit = pj.value("unit", "ops");
    p.ops = pj.at("ops");
    p.logical_bytes = pj.at("logical_bytes");
    p.wall_s = pj.at("wall_s");
    p.cpu_s = pj.at("cpu_s");
    p.io_write_bytes = pj.at("io_write_bytes");
    p.io_wchar = pj.at("io_wchar");
    p.disk_before = pj.at("disk_before");
    p.disk_after = pj.at("disk_after");
    p.peak_rss = pj.at("peak_rss");
    p.writes = pj.value("writes", true);
    if (pj.contains("latency_us")) {
      const json& l = pj.at("latency_us");
      p.latency = Latency{l.at("p50"), l.at("p99"), l.at("max")};
    }
    p.extra = pj.value("extra", std::map<std::string, double>{});
    r.phases.push_back(std::move(p));
  }
  r.notes = j.value("notes", std::vector<std::string>{});
  return r;
}

std::map<std::string, double> flatten(const Report& r) {
  std::map<std::string, double> m;
  for (const Phase& p : r.phases) {
    const std::string k = p.name + ".";
    m[k + "ops_per_s"] = p.ops_per_s();
    if (p.logical_bytes > 0) m[k + "mb_per_s"] = p.mb_per_s();
    m[k + "wall_s"] = p.wall_s;
    m[k + "cpu_s"] = p.cpu_s;
    m[k + "disk_mb"] = static_cast<double>(p.disk_after) / 1e6;
    m[k + "io_write_mb"] = static_cast<double>(p.io_write_bytes) / 1e6;
    if (p.peak_rss > 0) m[k + "peak_rss_mb"] = static_cast<double>(p.peak_rss) / 1e6;
    if (r.backend != "memory") {  // nothing reaches the disk: no write amplification
      if (auto w = p.write_amp_disk()) m[k + "write_amp_disk"] = *w;
      if (auto w = p.write_amp_io()) m[k + "write_amp_io"] = *w;
    }
    if (p.latency) {
      m[k + "p50_us"] = p.latency->p50_us;
      m[k + "p99_us"] = p.latency->p99_us;
    }
    for (const auto& [name, v] : p.extra) m[k + name] = v;
  }
  return m;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000 && u < 4) {
    bytes /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

std::string format_table(const Report& r) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "kbench %s on %s, size %llu, threads %s (load %.2f -> %.2f)\n", r.workload.c_str(),
                r.backend.c_str(), static_cast<unsigned long long>(r.size),
                r.threads ? std::to_string(r.threads).c_str() : "default", r.load_1m_start, r.load_1m_end);
  out += line;
  std::snprintf(line, sizeof line, "%-10s %12s %10s %9s %9s %9s %8s %8s %10s %10s %9s %9s\n", "phase", "ops/s", "MB/s",
                "p50 us", "p99 us", "wall s", "cpu s", "WA disk", "WA io", "disk", "peak RSS", "ops");
  out += line;
  for (const Phase& p : r.phases) {
    auto opt = [](std::optional<double> v, const char* fmt) {
      char b[32];
      if (!v) return std::string("-");
      std::snprintf(b, sizeof b, fmt, *v);
      return std::string(b);
    };
    std::optional<double> p50, p99;
    if (p.latency) {
      p50 = p.latency->p50_us;
      p99 = p.latency->p99_us;
    }
    std::snprintf(line, sizeof line, "%-10s %12.0f %10s %9s %9s %9.2f %8.2f %8s %10s %10s %9s %9llu %s\n",
                  p.name.c_str(), p.ops_per_s(),
                  opt(p.logical_bytes ? std::optional<double>(p.mb_per_s()) : std::nullopt, "%.1f").c_str(),
                  opt(p50, "%.1f").c_str(), opt(p99, "%.1f").c_str(), p.wall_s, p.cpu_s,
                  opt(p.write_amp_disk(), "%.2f").c_str(), opt(p.write_amp_io(), "%.2f").c_str(),
                  format_bytes(static_cast<double>(p.disk_after)).c_str(),
                  format_bytes(static_cast<double>(p.peak_rss)).c_str(), static_cast<unsigned long long>(p.ops),
                  p.unit.c_str());
    out += line;
    for (const auto& [name, v] : p.extra) {
      std::snprintf(line, sizeof line, "    %s.%s = %.6g\n", p.name.c_str(), name.c_str(), v);
      out += line;
    }
  }
  for (const std::string& n : r.notes) out += "note: " + n + "\n";
  return out;
}

}  // namespace klay::kbench
