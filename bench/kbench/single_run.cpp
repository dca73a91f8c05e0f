#include "bench/kbench/single_run.h"

#include <unistd.h>

namespace klay::kbench {

namespace fs = std::filesystem;

namespace {

Result<fs::path> fresh_run_dir(const CliOptions& o) {
  std::error_code ec;
  fs::create_directories(o.path, ec);
  if (ec || !fs::is_directory(o.path)) {
    return Status::invalid_argument("--path " + o.path.string() + " is not a directory that can be created or written");
  }
  const std::string stem = "kbench-" + o.run.workload + "-" + std::string(kv::backend_name(o.run.backend)) + "-" +
                           std::to_string(::getpid()) + "-";
  for (int n = 0; n < 1000; ++n) {
    const fs::path dir = o.path / (stem + std::to_string(n));
    if (fs::create_directory(dir, ec)) return dir;
    if (ec) return Status::io_error("cannot create " + dir.string() + ": " + ec.message());
  }
  return Status::io_error("no free run directory name under " + o.path.string());
}

}  // namespace

Result<Report> run_once(const CliOptions& o) {
  const Workload* w = find_workload(o.run.workload);
  if (w == nullptr) return Status::invalid_argument("unknown workload " + o.run.workload);
  auto dir = fresh_run_dir(o);
  if (!dir) return dir.status();
  Report report;
  report.workload = w->name;
  report.backend = std::string(kv::backend_name(o.run.backend));
  report.size = o.run.size;
  report.threads = o.run.threads;
  report.path = dir->string();
  report.load_1m_start = load_average_1m();
  report.peak_rss_per_phase = reset_peak_rss();
  const Status s = w->run(RunContext{o.run, *dir}, report);
  report.load_1m_end = load_average_1m();
  if (!o.keep) {
    std::error_code ec;
    fs::remove_all(*dir, ec);
  } else {
    report.notes.push_back("data kept in " + dir->string());
  }
  if (!s) return Status(s);
  if (o.run.backend == kv::Backend::kMemory) report.notes.push_back("memory backend: nothing reaches the disk");
  if (!report.peak_rss_per_phase) report.notes.push_back("peak RSS is the process lifetime peak (clear_refs refused)");
  return report;
}

}  // namespace klay::kbench
