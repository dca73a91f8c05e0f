// PNG bar charts through gnuplot (Debian: gnuplot-nox), run as a subprocess
// on a generated script. Nothing is linked against gnuplot.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace klay::kbench {

struct Bar {
  std::string label;  // backend
  double median = 0;
  double min = 0;
  double max = 0;
};

// Path of gnuplot in PATH, or empty when it is not installed.
std::string find_gnuplot();

// Writes `png` (640x360): one bar per entry at its median with min-max
// whiskers, titled `title`, y axis `ylabel`. The script is kept beside the
// PNG (same name, .gp). NotFound when gnuplot is missing; IOError when it fails.
Status plot_bars(const std::filesystem::path& png, const std::string& title, const std::string& ylabel,
                 const std::vector<Bar>& bars);

}  // namespace klay::kbench
