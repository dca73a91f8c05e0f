#include "tools/kchaindata/datadir_dbs.h"

#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <atomic>
#include <mutex>
#include <system_error>

namespace klay::kchaindata {

namespace fs = std::filesystem;

Result<std::vector<PhysicalDb>> physical_dbs(const chaindata::DBManager& dbm) {
  std::vector<PhysicalDb> out;
  if (dbm.is_single()) {
    out.push_back({"single", chaindata::EntryType::kMisc, &dbm.misc(), dbm.chaindata_dir()});
    return out;
  }
  for (auto type : chaindata::kAllEntryTypes) {
    kv::Database* db = dbm.find(type);
    if (db == nullptr) continue;
    auto name = dbm.dir_name(type);
    if (!name) return name.status();
    out.push_back({std::string(chaindata::entry_type_name(type)), type, db, dbm.dir_path(*name)});
  }
  return out;
}

uint64_t dir_size(const fs::path& dir) {
  std::error_code ec;
  uint64_t total = 0;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    if (it->is_regular_file(ec2)) total += it->file_size(ec2);
  }
  return total;
}

Status parallel_scan(kv::Database& db, const ScanFn& fn) {
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first;
  tbb::task_group_context tgc;
  tbb::parallel_for(
      tbb::blocked_range<size_t>(0, kScanParts, 1),
      [&](const tbb::blocked_range<size_t>& r) {
        for (size_t part = r.begin(); part != r.end(); ++part) {
          if (failed.load(std::memory_order_relaxed)) return;
          kv::IteratorOptions opts;
          opts.prefix = Bytes{static_cast<uint8_t>(part)};
          auto it = db.new_iterator(opts);
          Status s;
          for (; it->valid(); it->next()) {
            s = fn(part, it->key(), it->value());
            if (!s) break;
          }
          if (s) s = it->status();
          if (!s) {
            std::lock_guard lk(mu);
            if (!failed.exchange(true)) first = s;
            tgc.cancel_group_execution();
            return;
          }
        }
      },
      tbb::simple_partitioner(), tgc);
  return first;
}

uint64_t estimated_keys(kv::Database& db) {
  auto st = db.stats();
  return st ? st->estimated_keys : 0;
}

}  // namespace klay::kchaindata
