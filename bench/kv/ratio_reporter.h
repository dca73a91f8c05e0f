// A display reporter for engine_vs_raw_bench: passes every run to Google
// Benchmark's normal console reporter, and at the end prints the engine/raw
// table for each pair of benchmarks named "<backend>/<case>/engine" and
// "<backend>/<case>/raw".
//
// Per benchmark it uses the "median" aggregate when repetitions were run, else
// the median of the individual runs it saw. Wall and CPU (the benchmark
// thread's) time per operation, and their engine/raw ratios, in a markdown table.
// Then a second table for the interleaved "<backend>/<case>/paired" runs, from
// their counters (interleaved.h): the ratios to quote.
// Not thread-safe (Google Benchmark reports from one thread).
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace klay::kv::bench {

class RatioReporter final : public benchmark::BenchmarkReporter {
 public:
  explicit RatioReporter(std::unique_ptr<benchmark::BenchmarkReporter> display);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;
  // Names of the benchmarks that reported an error (SkipWithError), so main
  // can fail: Google Benchmark itself exits 0 after an erroring benchmark.
  std::vector<std::string> failed() const;

 private:
  struct Times {
    std::vector<double> wall_ns, cpu_ns;  // individual runs
    double median_wall_ns = -1, median_cpu_ns = -1;  // the "median" aggregate, if any
    std::string error;
  };

  void print_table() const;
  void print_paired() const;

  std::unique_ptr<benchmark::BenchmarkReporter> display_;
  std::map<std::string, Times> times_;  // by benchmark name
  // "/paired" runs: counter values of the "median" aggregate, or of the last run.
  std::map<std::string, std::map<std::string, double>> paired_;
  std::map<std::string, bool> paired_from_median_;
};

}  // namespace klay::kv::bench
