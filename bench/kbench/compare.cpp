#include "bench/kbench/compare.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

#include "bench/kbench/child_process.h"
#include "bench/kbench/plot.h"
#include "bench/kbench/report.h"

namespace klay::kbench {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Stat {
  double median = 0, min = 0, max = 0;
};

Stat stat_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return {n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v.front(), v.back()};
}

std::string num(double v) {
  char b[32];
  const double a = std::abs(v);
  if (a >= 1e6) std::snprintf(b, sizeof b, "%.2fM", v / 1e6);
  else if (a >= 1e4) std::snprintf(b, sizeof b, "%.1fk", v / 1e3);
  else if (a >= 100) std::snprintf(b, sizeof b, "%.0f", v);
  else std::snprintf(b, sizeof b, "%.3g", v);
  return b;
}

const std::vector<std::pair<std::string, std::string>> kRows = {
    {"ops_per_s", "%s/s"},       {"mb_per_s", "MB/s (logical)"}, {"p50_us", "p50 latency (us)"},
    {"p99_us", "p99 latency (us)"}, {"wall_s", "wall (s)"},      {"cpu_s", "CPU (s, all threads)"},
    {"write_amp_disk", "write amp: disk growth / logical"},     {"write_amp_io", "write amp: write_bytes / logical"},
    {"disk_mb", "size on disk (MB)"}, {"io_write_mb", "write_bytes (MB)"}, {"peak_rss_mb", "peak RSS (MB)"}};

std::vector<kv::Backend> backends_for(const CliOptions& o) {
  if (!o.backends.empty()) return o.backends;
  std::vector<kv::Backend> b = {kv::Backend::kLevelDB, kv::Backend::kRocksDB, kv::Backend::kLMDB};
  if (find_workload(o.run.workload)->memory_meaningful) b.push_back(kv::Backend::kMemory);
  return b;
}

std::string shell_line(const std::vector<std::string>& args) {
  std::string s = "kbench";
  for (const auto& a : args) s += " " + a;
  return s;
}

}  // namespace

int run_compare(const CliOptions& o, const std::vector<std::string>& args) {
  const std::vector<kv::Backend> backends = backends_for(o);
  const std::string stem = o.run.workload + "-" + std::to_string(o.run.size);
  const fs::path runs_dir = o.out / "runs" / stem;
  std::error_code ec;
  fs::create_directories(runs_dir, ec);
  if (ec) {
    std::fprintf(stderr, "kbench: cannot create %s: %s\n", runs_dir.c_str(), ec.message().c_str());
    return 3;
  }
  const std::string self = fs::read_symlink("/proc/self/exe", ec).string();

  std::map<std::string, std::vector<Report>> reports;  // backend -> runs
  std::vector<std::string> order, failures;
  json runs = json::array();
  for (size_t rep = 0; rep < o.reps; ++rep) {
    for (kv::Backend b : backends) {
      const std::string name(kv::backend_name(b));
      const fs::path base = runs_dir / ("rep" + std::to_string(rep + 1) + "-" + name);
      std::vector<std::string> argv = {self};
      for (auto& f : run_flags(o, b)) argv.push_back(f);
      argv.insert(argv.end(), {"--json", base.string() + ".json"});
      fs::remove(base.string() + ".log", ec);
      order.push_back(name);
      std::fprintf(stderr, "[rep %zu/%zu] %-8s ", rep + 1, o.reps, name.c_str());
      std::fflush(stderr);
      auto child = run_child(argv, base.string() + ".log");
      if (!child || child->exit_code != 0) {
        failures.push_back(name + " rep " + std::to_string(rep + 1) + " (see " + base.string() + ".log)");
        std::fprintf(stderr, "FAILED (see %s.log)\n", base.c_str());
        continue;
      }
      std::ifstream in(base.string() + ".json");
      Report r = report_from_json(json::parse(in));
      for (const Phase& p : r.phases) std::fprintf(stderr, " %s %s %s/s", p.name.c_str(), num(p.ops_per_s()).c_str(), p.unit.c_str());
      std::fprintf(stderr, " (load %.1f)\n", r.load_1m_start);
      runs.push_back(to_json(r));
      reports[name].push_back(std::move(r));
    }
  }

  // Medians per backend and metric.
  std::vector<std::string> names;
  for (kv::Backend b : backends) {
    if (reports.count(std::string(kv::backend_name(b)))) names.emplace_back(kv::backend_name(b));
  }
  std::map<std::string, std::map<std::string, Stat>> med;  // backend -> metric -> stat
  json medians = json::object();
  double load_min = 1e9, load_max = -1;
  for (const auto& name : names) {
    std::map<std::string, std::vector<double>> values;
    for (const Report& r : reports[name]) {
      for (const auto& [k, v] : flatten(r)) values[k].push_back(v);
      load_min = std::min({load_min, r.load_1m_start, r.load_1m_end});
      load_max = std::max({load_max, r.load_1m_start, r.load_1m_end});
    }
    for (auto& [k, v] : values) {
      med[name][k] = stat_of(v);
      medians[name][k] = {{"median", med[name][k].median}, {"min", med[name][k].min}, {"max", med[name][k].max}};
    }
  }

  std::string md = "# kbench compare: " + o.run.workload + ", size " + std::to_string(o.run.size) + " " +
                   find_workload(o.run.workload)->size_unit + "\n\n";
  md += "- command: `" + shell_line(args) + "`\n";
  md += "- machine: " + std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) + " cores; 1-minute load average during the runs " +
        num(load_min) + " to " + num(load_max) + "\n";
  md += "- " + std::to_string(o.reps) + " repetitions per backend, each a separate process, in this order: ";
  for (const auto& n : order) md += n + " ";
  md += "\n- each cell: median over the repetitions; throughput also [min to max]\n";
  for (const auto& f : failures) md += "- FAILED: " + f + "\n";

  std::vector<std::string> pngs;
  if (!names.empty()) {
    const Report& first = reports[names.front()].front();
    for (const Phase& p : first.phases) {
      md += "\n## " + p.name + " (" + std::to_string(p.ops) + " " + p.unit + ")\n\n| metric |";
      for (const auto& n : names) md += " " + n + " |";
      md += "\n|---|";
      for (size_t i = 0; i < names.size(); ++i) md += "---:|";
      md += "\n";
      auto row = [&](const std::string& key, const std::string& label, bool range) {
        const std::string k = p.name + "." + key;
        if (!med[names.front()].count(k)) return;
        md += "| " + label + " |";
        for (const auto& n : names) {
          if (!med[n].count(k)) {
            md += " - |";
            continue;
          }
          const Stat& s = med[n][k];
          md += " " + num(s.median) + (range ? " [" + num(s.min) + " to " + num(s.max) + "]" : "") + " |";
        }
        md += "\n";
        if (key == "ops_per_s" && med[names.front()][k].median > 0) {
          md += "| ratio to " + names.front() + " |";
          for (const auto& n : names) md += " " + num(med[n][k].median / med[names.front()][k].median) + " |";
          md += "\n";
        }
      };
      for (const auto& [key, label] : kRows) {
        char l[96];
        std::snprintf(l, sizeof l, label.c_str(), p.unit.c_str());
        row(key, l, key == "ops_per_s");
      }
      for (const auto& [extra, v] : p.extra) {
        (void)v;
        row(extra, extra, false);
      }
      std::vector<Bar> bars;
      for (const auto& n : names) {
        const Stat& s = med[n][p.name + ".ops_per_s"];
        bars.push_back({n, s.median, s.min, s.max});
      }
      std::string phase_file = p.name;
      std::replace_if(phase_file.begin(), phase_file.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '-'; }, '_');
      const fs::path png = o.out / (stem + "-" + phase_file + ".png");
      Status s = plot_bars(png, o.run.workload + " " + p.name + ": " + p.unit + "/s (median of " +
                                    std::to_string(o.reps) + ", whiskers min-max)",
                           p.unit + "/s", bars);
      if (s) {
        md += "\n![" + p.name + "](" + png.filename().string() + ")\n";
        pngs.push_back(png.string());
      } else {
        md += "\n(no plot: " + s.message() + ")\n";
      }
    }
    for (const auto& n : first.notes) md += "\nnote (" + names.front() + "): " + n + "\n";
  }

  const fs::path md_path = o.out / (stem + ".md"), json_path = o.out / (stem + ".json");
  std::ofstream(md_path) << md;
  const json all = {{"workload", o.run.workload}, {"size", o.run.size}, {"reps", o.reps},
                    {"order", order},             {"runs", runs},        {"medians", medians},
                    {"failures", failures}};
  std::ofstream(json_path) << all.dump(2) << "\n";
  if (!o.json.empty()) std::ofstream(o.json) << all.dump(2) << "\n";
  std::fputs(md.c_str(), stdout);
  std::fprintf(stderr, "wrote %s, %s and %zu plot(s)\n", md_path.c_str(), json_path.c_str(), pngs.size());
  return failures.empty() ? 0 : 3;
}

}  // namespace klay::kbench
