// Metrics registry and its text exposition output, parsed back line by line.
#include "node/rpc/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace klay::rpc {
namespace {

// One parsed sample line: name{labels} value.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string value;
};

// A strict parser for what render() emits. Fails the test on any line that
// is not a HELP/TYPE comment or a well-formed sample, and checks that every
// sample belongs to the family announced by the last TYPE line.
std::vector<Sample> parse_exposition(const std::string& text, std::map<std::string, std::string>* types) {
  std::vector<Sample> out;
  std::istringstream in(text);
  std::string line;
  std::string family;
  std::string family_type;
  EXPECT_TRUE(text.empty() || text.back() == '\n');
  while (std::getline(in, line)) {
    if (line.starts_with("# HELP ")) {
      family = line.substr(7, line.find(' ', 7) - 7);
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      std::istringstream words(line.substr(7));
      std::string name;
      words >> name >> family_type;
      EXPECT_EQ(name, family) << "TYPE must follow its HELP: " << line;
      (*types)[name] = family_type;
      continue;
    }
    Sample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') s.name += line[i++];
    EXPECT_TRUE(is_valid_metric_name(s.name)) << line;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        std::string key;
        while (i < line.size() && line[i] != '=') key += line[i++];
        EXPECT_TRUE(is_valid_label_name(key)) << line;
        EXPECT_EQ(line.substr(i, 2), "=\"") << line;
        i += 2;
        std::string value;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) {
            char e = line[++i];
            value += e == 'n' ? '\n' : e;
          } else {
            value += line[i];
          }
          ++i;
        }
        ++i;  // closing quote
        s.labels[key] = value;
        if (i < line.size() && line[i] == ',') ++i;
      }
      ++i;  // closing brace
    }
    EXPECT_EQ(line.substr(i, 1), " ") << line;
    s.value = line.substr(i + 1);
    EXPECT_FALSE(s.value.empty()) << line;
    bool same_family = s.name == family;
    if (family_type == "histogram") {
      same_family = s.name == family + "_bucket" || s.name == family + "_sum" || s.name == family + "_count";
    }
    EXPECT_TRUE(same_family) << "sample " << s.name << " outside family " << family;
    out.push_back(std::move(s));
  }
  return out;
}

const Sample* find(const std::vector<Sample>& samples, const std::string& name,
                   const std::map<std::string, std::string>& labels = {}) {
  for (const auto& s : samples) {
    if (s.name == name && s.labels == labels) return &s;
  }
  return nullptr;
}

TEST(Metrics, RenderCountersGaugesHistograms) {
  MetricsRegistry reg;
  reg.counter("rpc_requests_total", "Calls served", {{"method", "eth_chainId"}}).inc(3);
  reg.counter("rpc_requests_total", "ignored", {{"method", "eth_call"}}).inc();
  reg.gauge("chain_head_block", "Head block number\nof the chain").set(1234);
  reg.gauge("temperature", "A negative value").set(-1.5);
  reg.counter("weird_labels_total", "Escapes", {{"b", "x\"y"}, {"a", "back\\slash\nnl"}}).inc();
  Histogram& h = reg.histogram("latency_seconds", "Latency", {0.1, 1}, {{"kind", "x"}});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);

  const std::string text = reg.render();
  std::map<std::string, std::string> types;
  auto samples = parse_exposition(text, &types);

  EXPECT_EQ(types["rpc_requests_total"], "counter");
  EXPECT_EQ(types["chain_head_block"], "gauge");
  EXPECT_EQ(types["latency_seconds"], "histogram");
  EXPECT_NE(text.find("# HELP rpc_requests_total Calls served\n"), std::string::npos);
  EXPECT_NE(text.find("# HELP chain_head_block Head block number\\nof the chain\n"), std::string::npos);

  ASSERT_NE(find(samples, "rpc_requests_total", {{"method", "eth_chainId"}}), nullptr);
  EXPECT_EQ(find(samples, "rpc_requests_total", {{"method", "eth_chainId"}})->value, "3");
  EXPECT_EQ(find(samples, "rpc_requests_total", {{"method", "eth_call"}})->value, "1");
  EXPECT_EQ(find(samples, "chain_head_block")->value, "1234");
  EXPECT_EQ(find(samples, "temperature")->value, "-1.5");
  ASSERT_NE(find(samples, "weird_labels_total", {{"a", "back\\slash\nnl"}, {"b", "x\"y"}}), nullptr);

  const std::map<std::string, std::string> kind{{"kind", "x"}};
  auto bucket = [&](const std::string& le) {
    auto labels = kind;
    labels["le"] = le;
    const Sample* s = find(samples, "latency_seconds_bucket", labels);
    return s ? s->value : std::string("<missing>");
  };
  EXPECT_EQ(bucket("0.1"), "1");
  EXPECT_EQ(bucket("1"), "2");
  EXPECT_EQ(bucket("+Inf"), "3");
  EXPECT_EQ(find(samples, "latency_seconds_count", kind)->value, "3");
  EXPECT_DOUBLE_EQ(std::stod(find(samples, "latency_seconds_sum", kind)->value), 5.55);
}

TEST(Metrics, SameNameAndLabelsIsSameObject) {
  MetricsRegistry reg;
  Counter& a = reg.counter("x_total", "x", {{"a", "1"}, {"b", "2"}});
  Counter& b = reg.counter("x_total", "x", {{"b", "2"}, {"a", "1"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &reg.counter("x_total", "x", {{"a", "2"}, {"b", "2"}}));
}

TEST(Metrics, ProgrammingErrorsThrow) {
  MetricsRegistry reg;
  reg.counter("dup", "d");
  EXPECT_THROW(reg.gauge("dup", "d"), std::invalid_argument);
  EXPECT_THROW(reg.counter("bad-name", "d"), std::invalid_argument);
  EXPECT_THROW(reg.counter("9lives", "d"), std::invalid_argument);
  EXPECT_THROW(reg.counter("ok", "d", {{"__reserved", "v"}}), std::invalid_argument);
  EXPECT_THROW(reg.counter("ok", "d", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
  EXPECT_THROW(reg.histogram("h", "d", {1, 1}), std::invalid_argument);
  EXPECT_THROW(reg.histogram("h", "d", {1, 2}, {{"le", "x"}}), std::invalid_argument);
  reg.histogram("h2", "d", {1, 2});
  EXPECT_THROW(reg.histogram("h2", "d", {1, 3}), std::invalid_argument);
  EXPECT_TRUE(is_valid_metric_name("klaytn:rpc_calls"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
}

TEST(Metrics, ValueFormatting) {
  EXPECT_EQ(format_metric_value(0), "0");
  EXPECT_EQ(format_metric_value(0.25), "0.25");
  EXPECT_EQ(format_metric_value(1e21), "1e+21");
  EXPECT_EQ(format_metric_value(INFINITY), "+Inf");
  EXPECT_EQ(format_metric_value(-INFINITY), "-Inf");
  EXPECT_EQ(format_metric_value(NAN), "NaN");
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry reg;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&reg, t] {
      Counter& c = reg.counter("hits_total", "h");
      Gauge& g = reg.gauge("level", "l");
      Counter& mine = reg.counter("per_thread_total", "p", {{"t", std::to_string(t)}});
      Histogram& h = reg.histogram("obs", "o", {0.5});
      for (int i = 0; i < kPerThread; ++i) {
        c.inc();
        g.add(1.0);
        mine.inc();
        h.observe(i % 2 ? 1.0 : 0.0);
        if (i % 1000 == 0) (void)reg.render();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(reg.counter("hits_total", "h").value(), uint64_t{kThreads} * kPerThread);
  EXPECT_DOUBLE_EQ(reg.gauge("level", "l").value(), double{kThreads} * kPerThread);
  auto snap = reg.histogram("obs", "o", {0.5}).snapshot();
  EXPECT_EQ(snap.count, uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(snap.cumulative[0], uint64_t{kThreads} * kPerThread / 2);
  std::map<std::string, std::string> types;
  auto samples = parse_exposition(reg.render(), &types);
  EXPECT_EQ(find(samples, "per_thread_total", {{"t", "3"}})->value, std::to_string(kPerThread));
}

}  // namespace
}  // namespace klay::rpc
