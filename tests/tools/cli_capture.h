// Runs a CLI in-process or as a real child process and captures its output.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "tools/common/command.h"

namespace klay::testing {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string read_all(FILE* f) {
  std::string s;
  std::rewind(f);
  std::array<char, 4096> buf;
  for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), f)) > 0;) s.append(buf.data(), n);
  return s;
}

// In-process: `run` is e.g. klay::kchaindata::run.
template <typename Run>
CliResult run_in_process(Run run, const std::vector<std::string>& argv) {
  FILE* out = std::tmpfile();
  FILE* err = std::tmpfile();
  cli::Context ctx{out, err};
  CliResult r;
  r.code = run(argv, ctx);
  std::fflush(out);
  std::fflush(err);
  r.out = read_all(out);
  r.err = read_all(err);
  std::fclose(out);
  std::fclose(err);
  return r;
}

// A real process through the shell; stderr is folded into `out`.
inline CliResult run_binary(const std::string& command_line) {
  CliResult r;
  FILE* p = popen((command_line + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace klay::testing
