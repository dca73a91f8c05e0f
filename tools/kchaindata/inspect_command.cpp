// kchaindata inspect --datadir D [--json]
//
// Scans every database (256 first-byte ranges in parallel) and reports, per
// database and key category, the item count and key + value bytes, beside the
// database's size on disk. Logical bytes (key + value) and disk bytes are
// reported separately: disk bytes include block compression (RocksDB lz4,
// LevelDB snappy per --db.leveldb.compression), indexes, bloom filters and
// write-ahead logs, so their ratio says how much of the disk is data.
#include <array>
#include <cxxopts.hpp>
#include <nlohmann/json.hpp>

#include "tools/common/progress.h"
#include "tools/kchaindata/commands.h"
#include "tools/kchaindata/datadir_dbs.h"
#include "tools/kchaindata/datadir_flags.h"
#include "tools/kchaindata/key_category.h"

namespace klay::kchaindata {

namespace {

constexpr size_t kMaxExamples = 5;

struct CategoryStats {
  uint64_t count = 0;
  uint64_t key_bytes = 0;
  uint64_t value_bytes = 0;
  void add(const CategoryStats& o) {
    count += o.count;
    key_bytes += o.key_bytes;
    value_bytes += o.value_bytes;
  }
  uint64_t bytes() const { return key_bytes + value_bytes; }
};

struct DbReport {
  std::string label;
  std::string path;
  uint64_t disk_bytes = 0;
  std::array<CategoryStats, kKeyCategoryCount> categories{};
  std::vector<Bytes> unknown_examples;
  CategoryStats total() const {
    CategoryStats t;
    for (const auto& c : categories) t.add(c);
    return t;
  }
};

struct PartState {
  std::array<CategoryStats, kKeyCategoryCount> categories{};
  std::vector<Bytes> unknown_examples;
  uint64_t pending_progress = 0;
};

Result<DbReport> scan_db(const PhysicalDb& pdb, cli::Progress& progress) {
  DbReport r;
  r.label = pdb.label;
  r.path = pdb.path.string();
  r.disk_bytes = dir_size(pdb.path);
  std::vector<PartState> parts(kScanParts);
  Status s = parallel_scan(*pdb.db, [&](size_t part, ByteView key, ByteView value) {
    PartState& p = parts[part];
    const KeyCategory c = classify_key(key);
    CategoryStats& cs = p.categories[static_cast<size_t>(c)];
    ++cs.count;
    cs.key_bytes += key.size();
    cs.value_bytes += value.size();
    if (c == KeyCategory::kUnknown && p.unknown_examples.size() < kMaxExamples) {
      p.unknown_examples.push_back(to_bytes(key));
    }
    if (++p.pending_progress == 4096) {
      progress.add(p.pending_progress);
      p.pending_progress = 0;
    }
    return Status::ok();
  });
  if (!s) return s;
  for (auto& p : parts) {  // parts are in key order, so the examples are too
    progress.add(p.pending_progress);
    for (size_t i = 0; i < kKeyCategoryCount; ++i) r.categories[i].add(p.categories[i]);
    for (auto& k : p.unknown_examples) {
      if (r.unknown_examples.size() < kMaxExamples) r.unknown_examples.push_back(std::move(k));
    }
  }
  return r;
}

nlohmann::json to_json(const std::vector<DbReport>& dbs) {
  nlohmann::json j;
  nlohmann::json jdbs = nlohmann::json::array();
  std::array<CategoryStats, kKeyCategoryCount> all{};
  uint64_t disk = 0;
  uint64_t unknown = 0;
  nlohmann::json examples = nlohmann::json::array();
  for (const auto& d : dbs) {
    nlohmann::json cats = nlohmann::json::object();
    for (size_t i = 0; i < kKeyCategoryCount; ++i) {
      const auto& c = d.categories[i];
      all[i].add(c);
      if (c.count == 0) continue;
      cats[std::string(category_name(static_cast<KeyCategory>(i)))] = {
          {"count", c.count}, {"key_bytes", c.key_bytes}, {"value_bytes", c.value_bytes}, {"bytes", c.bytes()}};
    }
    const auto t = d.total();
    disk += d.disk_bytes;
    unknown += d.categories[static_cast<size_t>(KeyCategory::kUnknown)].count;
    for (const auto& k : d.unknown_examples) {
      if (examples.size() < kMaxExamples) examples.push_back({{"db", d.label}, {"key", "0x" + to_hex(k)}});
    }
    jdbs.push_back({{"db", d.label}, {"path", d.path}, {"disk_bytes", d.disk_bytes}, {"count", t.count},
                    {"logical_bytes", t.bytes()}, {"categories", cats}});
  }
  nlohmann::json cats = nlohmann::json::object();
  CategoryStats total;
  for (size_t i = 0; i < kKeyCategoryCount; ++i) {
    total.add(all[i]);
    cats[std::string(category_name(static_cast<KeyCategory>(i)))] = {
        {"count", all[i].count}, {"key_bytes", all[i].key_bytes}, {"value_bytes", all[i].value_bytes},
        {"bytes", all[i].bytes()}};
  }
  j["databases"] = jdbs;
  j["categories"] = cats;
  j["total"] = {{"count", total.count}, {"logical_bytes", total.bytes()}, {"disk_bytes", disk}};
  j["unknown"] = {{"count", unknown}, {"examples", examples}};
  return j;
}

std::string human(uint64_t b) {
  char buf[32];
  if (b >= (1ull << 30)) std::snprintf(buf, sizeof buf, "%.2f GiB", b / double(1ull << 30));
  else if (b >= (1ull << 20)) std::snprintf(buf, sizeof buf, "%.2f MiB", b / double(1ull << 20));
  else if (b >= 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024.0);
  else std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  return buf;
}

void print_text(const nlohmann::json& j, FILE* out) {
  std::fprintf(out, "%-16s %-18s %12s %14s %14s\n", "database", "category", "items", "key+value", "disk");
  for (const auto& d : j["databases"]) {
    bool first = true;
    for (const auto& [name, c] : d["categories"].items()) {
      std::fprintf(out, "%-16s %-18s %12llu %14s %14s\n", first ? d["db"].get<std::string>().c_str() : "",
                   name.c_str(), c["count"].get<unsigned long long>(), human(c["bytes"].get<uint64_t>()).c_str(),
                   "");
      first = false;
    }
    std::fprintf(out, "%-16s %-18s %12llu %14s %14s\n", first ? d["db"].get<std::string>().c_str() : "",
                 "(database total)", d["count"].get<unsigned long long>(),
                 human(d["logical_bytes"].get<uint64_t>()).c_str(), human(d["disk_bytes"].get<uint64_t>()).c_str());
  }
  const auto& t = j["total"];
  const double logical = t["logical_bytes"].get<double>();
  const double disk = t["disk_bytes"].get<double>();
  std::fprintf(out, "\ntotal: %llu items, %s of keys and values, %s on disk (logical/disk = %.1f %%)\n",
               t["count"].get<unsigned long long>(), human(t["logical_bytes"].get<uint64_t>()).c_str(),
               human(t["disk_bytes"].get<uint64_t>()).c_str(), disk > 0 ? 100.0 * logical / disk : 0.0);
  std::fprintf(out, "disk bytes include compression, indexes, filters and logs; key+value bytes do not.\n");
  const auto& u = j["unknown"];
  std::fprintf(out, "keys matching no category: %llu\n", u["count"].get<unsigned long long>());
  for (const auto& e : u["examples"]) {
    std::fprintf(out, "  %s %s\n", e["db"].get<std::string>().c_str(), e["key"].get<std::string>().c_str());
  }
}

int run_inspect(const std::vector<std::string>& args, cli::Context& ctx) {
  cxxopts::Options parser("kchaindata inspect",
                          "Counts the items and key+value bytes of every key category in every database of a "
                          "stopped node's chaindata, next to each database's size on disk. Read-only.");
  DatadirFlags flags;
  bool json = false;
  add_datadir_options(parser, flags);
  parser.add_options()("json", "print one JSON object", cxxopts::value(json))("h,help", "show this help");
  std::vector<std::string> storage;
  auto argv = cli::make_argv("kchaindata inspect", args, storage);
  const auto parsed = parser.parse(static_cast<int>(argv.size() - 1), argv.data());
  if (handle_help(parser, parsed, ctx)) return cli::kExitOk;
  finish_datadir_flags(parsed, flags);

  auto dbm = open_datadir(flags, false);
  if (!dbm) return report_failure(ctx, "inspect", dbm.status());
  auto dbs = physical_dbs(**dbm);
  if (!dbs) return report_failure(ctx, "inspect", dbs.status());
  uint64_t estimate = 0;
  for (const auto& d : *dbs) estimate += estimated_keys(*d.db);
  cli::Progress progress("inspect", estimate, "keys", ctx.err);
  if (json) progress.silence();
  std::vector<DbReport> reports;
  for (const auto& d : *dbs) {
    auto r = scan_db(d, progress);
    if (!r) return report_failure(ctx, "inspect", r.status());
    reports.push_back(std::move(*r));
  }
  progress.finish();
  const auto j = to_json(reports);
  if (json) std::fprintf(ctx.out, "%s\n", j.dump().c_str());
  else print_text(j, ctx.out);
  return cli::kExitOk;
}

}  // namespace

cli::Command inspect_command() {
  return {"inspect", "count items and bytes per key category and database (--datadir D [--json])", run_inspect};
}

}  // namespace klay::kchaindata
