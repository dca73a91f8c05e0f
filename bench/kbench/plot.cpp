#include "bench/kbench/plot.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "bench/kbench/child_process.h"

namespace klay::kbench {

namespace fs = std::filesystem;

std::string find_gnuplot() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / "gnuplot";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Status plot_bars(const fs::path& png, const std::string& title, const std::string& ylabel,
                 const std::vector<Bar>& bars) {
  const std::string gnuplot = find_gnuplot();
  if (gnuplot.empty()) return Status::not_found("gnuplot is not installed (apt-get install -y gnuplot-nox)");
  fs::path script = png;
  script.replace_extension(".gp");
  {
    std::ofstream gp(script);
    gp << "set terminal pngcairo size 640,360 font \",10\"\n"
       << "set output " << quoted(png.string()) << "\n"
       << "set title " << quoted(title) << "\n"
       << "set ylabel " << quoted(ylabel) << "\n"
       << "set yrange [0:*]\nset offsets 0,0,graph 0.12,0\nset xrange [-0.6:" << bars.size() << "-0.4]\n"
       << "set boxwidth 0.6\nset style fill solid 0.5 border -1\nset grid ytics\nset xtics nomirror\n"
       << "set format y \"%.1s%c\"\n"
       << "$data << EOD\n";
    for (const Bar& b : bars) gp << quoted(b.label) << " " << b.median << " " << b.min << " " << b.max << "\n";
    gp << "EOD\n"
       << "plot $data using 0:2:xtic(1) with boxes lc rgb \"#4477aa\" notitle, \\\n"
       << "     $data using 0:2:3:4 with yerrorbars lc rgb \"black\" pt 0 notitle, \\\n"
       << "     $data using 0:4:(gprintf(\"%.1s%c\", $2)) with labels offset 0,0.8 notitle\n";
    if (!gp) return Status::io_error("cannot write " + script.string());
  }
  fs::path log = png;
  log.replace_extension(".gnuplot.log");
  auto child = run_child({gnuplot, script.string()}, log);
  if (!child) return child.status();
  if (child->exit_code != 0) return Status::io_error("gnuplot failed on " + script.string() + " (see " + log.string() + ")");
  std::error_code ec;
  if (fs::file_size(log, ec) == 0) fs::remove(log, ec);
  return Status::ok();
}

}  // namespace klay::kbench
