#include "tools/kchaindata/convert_setup.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "engine/kv/open.h"
#include "engine/rawdb/datadir_settings.h"
#include "tools/kchaindata/convert_checkpoint.h"

namespace klay::kchaindata {

namespace fs = std::filesystem;

namespace {

std::string plan_json(const fs::path& src, const chaindata::Config& c, size_t parts) {
  return nlohmann::json{{"source", fs::weakly_canonical(src).string()},
                        {"backend", std::string(kv::backend_name(c.backend))},
                        {"single_db", c.single_db},
                        {"num_statetrie_shards", c.num_statetrie_shards},
                        {"parts", parts}}
             .dump() + "\n";
}

std::string gib(uint64_t b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f GiB", b / double(1ull << 30));
  return buf;
}

}  // namespace

Result<ConvertTarget> prepare_target(const fs::path& src, const fs::path& dst, const chaindata::Config& dst_config,
                                     size_t parts) {
  std::error_code ec;
  ConvertTarget t;
  t.dst = dst;
  t.work = fs::path(dst.string() + ".converting");
  t.progress = t.work / "convert-progress";
  t.config = dst_config;
  const fs::path parent = fs::absolute(dst).parent_path();
  if (!fs::is_directory(parent, ec)) {
    return Status::invalid_argument("the parent directory of --dst.datadir, " + parent.string() + ", does not exist");
  }
  if (fs::exists(dst, ec)) {
    if (!fs::is_directory(dst, ec)) return Status::invalid_argument("--dst.datadir " + dst.string() + " is a file");
    if (!fs::is_empty(dst, ec)) {
      return Status::invalid_argument("--dst.datadir " + dst.string() +
                                      " already exists and is not empty; convert only writes a new datadir");
    }
  }
  if (fs::weakly_canonical(src) == fs::weakly_canonical(dst)) {
    return Status::invalid_argument("--dst.datadir must differ from --datadir");
  }
  const std::string plan = plan_json(src, dst_config, parts);
  const fs::path plan_file = t.progress / "plan.json";
  if (fs::exists(t.work, ec)) {
    std::ifstream in(plan_file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in || ss.str() != plan) {
      return Status::invalid_argument("an unfinished conversion with other settings (or another source) is in " +
                                      t.work.string() + "; rerun it with the same flags, or remove that directory");
    }
    t.resuming = true;
    return t;
  }
  fs::create_directories(t.progress, ec);
  if (ec) return Status::io_error("cannot create " + t.progress.string() + ": " + ec.message());
  fs::create_directories(t.work / "klay" / "chaindata", ec);
  if (ec) return Status::io_error("cannot create " + (t.work / "klay").string() + ": " + ec.message());
  if (Status s = write_file_durably(plan_file, plan); !s) return s;
  return t;
}

Status check_free_space(const ConvertTarget& t, uint64_t source_disk_bytes, std::optional<uint64_t> free_override,
                        uint64_t* needed_out) {
  // LMDB stores values uncompressed in B+tree pages; the others are about the source's size.
  const double factor = t.config.backend == kv::Backend::kLMDB ? 2.0 : 1.2;
  const auto estimate = static_cast<uint64_t>(static_cast<double>(source_disk_bytes) * factor);
  uint64_t written = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(t.work / "klay" / "chaindata", ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code e2;
    if (it->is_regular_file(e2)) written += it->file_size(e2);
  }
  const uint64_t needed = estimate > written ? estimate - written : 0;
  if (needed_out) *needed_out = needed;
  uint64_t available = 0;
  if (free_override) {
    available = *free_override;
  } else {
    const auto sp = fs::space(t.work, ec);
    if (ec) return Status::io_error("cannot read the free space at " + t.work.string() + ": " + ec.message());
    available = sp.available;
  }
  if (needed > available) {
    return Status::no_space("not enough free space for " + t.dst.string() + ": the conversion needs about " +
                            gib(needed) + " and only " + gib(available) + " are free");
  }
  return Status::ok();
}

Status seed_directory_records(const chaindata::DBManager& src, const ConvertTarget& t) {
  std::vector<std::pair<Bytes, Bytes>> records;
  for (auto type : chaindata::kAllEntryTypes) {
    if (type == chaindata::EntryType::kMisc) continue;
    Bytes value;
    const Bytes key = chaindata::dir_record_key(type);
    Status s = src.misc().get(key, &value);
    if (s.is_not_found()) continue;
    if (!s) return s;
    records.emplace_back(key, std::move(value));
  }
  if (records.empty() || t.config.single_db) return Status::ok();
  const fs::path misc_dir = t.work / "klay" / "chaindata" / std::string(chaindata::default_dir_name(chaindata::EntryType::kMisc));
  std::error_code ec;
  fs::create_directories(misc_dir, ec);
  if (ec) return Status::io_error("cannot create " + misc_dir.string() + ": " + ec.message());
  auto db = kv::open_database(t.config.backend, misc_dir, chaindata::entry_options(t.config, chaindata::EntryType::kMisc));
  if (!db) return db.status();
  for (const auto& [k, v] : records) {
    if (Status s = (*db)->put(k, v); !s) return s;
  }
  return (*db)->close();
}

Status finish_target(const fs::path& src, const ConvertTarget& t) {
  std::error_code ec;
  auto settings = rawdb::load_datadir_settings(src);
  if (!settings) return settings.status();
  rawdb::DatadirSettings s = settings->value_or(rawdb::DatadirSettings{});
  s.backend = t.config.backend;
  s.single_db = t.config.single_db;
  s.num_statetrie_shards = t.config.num_statetrie_shards;
  if (Status st = rawdb::save_datadir_settings(t.work, s); !st) return st;
  const fs::path src_klay = src / "klay";
  for (fs::directory_iterator it(src_klay, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code e2;
    if (!it->is_regular_file(e2) || name == "LOCK" || name == "chaindata-settings.json") continue;
    fs::copy_file(it->path(), t.work / "klay" / name, fs::copy_options::overwrite_existing, e2);
    if (e2) return Status::io_error("cannot copy " + it->path().string() + ": " + e2.message());
  }
  fs::remove_all(t.progress, ec);
  if (ec) return Status::io_error("cannot remove " + t.progress.string() + ": " + ec.message());
  if (fs::exists(t.dst, ec)) fs::remove(t.dst, ec);  // an empty directory (checked before)
  fs::rename(t.work, t.dst, ec);
  if (ec) return Status::io_error("cannot rename " + t.work.string() + " to " + t.dst.string() + ": " + ec.message());
  return Status::ok();
}

}  // namespace klay::kchaindata
