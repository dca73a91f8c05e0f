#include "engine/chaindata/db_manager.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "engine/chaindata/shard_layout.h"
#include "engine/chaindata/sharded_database.h"
#include "engine/kv/open.h"

namespace klay::chaindata {

namespace fs = std::filesystem;

namespace {

Status prepare_datadir(const fs::path& datadir, const fs::path& instance_dir, bool read_only) {
  std::error_code ec;
  const auto st = fs::status(datadir, ec);
  if (fs::exists(st) && !fs::is_directory(st)) {
    return Status::invalid_argument("datadir " + datadir.string() + " is a file, not a directory");
  }
  if (read_only) {
    if (!fs::is_directory(instance_dir, ec)) {
      return Status::invalid_argument("datadir " + datadir.string() + " holds no chaindata (" +
                                      instance_dir.string() + " is missing)");
    }
    return Status::ok();
  }
  fs::create_directories(instance_dir, ec);
  if (ec) return Status::io_error("cannot create " + instance_dir.string() + ": " + ec.message());
  if (::access(instance_dir.c_str(), W_OK) != 0) {
    return Status::io_error("datadir " + datadir.string() + " is not writable: " + std::strerror(errno));
  }
  return Status::ok();
}

}  // namespace

DBManager::DBManager(fs::path datadir, const Config& config)
    : config_(config), datadir_(std::move(datadir)), chaindata_dir_(datadir_ / "klay" / "chaindata") {}

DBManager::~DBManager() { (void)close(); }

Result<std::unique_ptr<DBManager>> DBManager::open(const fs::path& datadir, const Config& config) {
  if (Status s = validate(config); !s) return s;
  if (datadir.empty()) return Status::invalid_argument("the datadir path is empty");
  std::unique_ptr<DBManager> m(new DBManager(datadir, config));
  const fs::path instance_dir = datadir / "klay";
  if (Status s = prepare_datadir(datadir, instance_dir, config.read_only); !s) return s;
  auto lock = DatadirLock::acquire(instance_dir / "LOCK", datadir);
  if (!lock) return lock.status();
  if (Status s = m->open_all(std::move(lock.value())); !s) {
    (void)m->close();
    return s;
  }
  return m;
}

Status DBManager::check_mode_on_disk() const {
  if (config_.backend == kv::Backend::kMemory) return Status::ok();
  std::error_code ec;
  if (config_.single_db) {
    if (fs::exists(chaindata_dir_ / "misc", ec)) {
      return Status::invalid_argument("chaindata at " + chaindata_dir_.string() +
                                      " holds one database per entry type, but --db.single is set");
    }
  } else if (kv::detect_backend(chaindata_dir_).has_value()) {
    return Status::invalid_argument("chaindata at " + chaindata_dir_.string() +
                                    " holds a single database (--db.single), but --db.single is not set");
  }
  return Status::ok();
}

Result<std::unique_ptr<kv::Database>> DBManager::open_one(EntryType type, std::string_view name) const {
  const fs::path path = dir_path(name);
  const bool on_disk = config_.backend != kv::Backend::kMemory;
  const kv::Options whole = entry_options(config_, type);
  if (is_sharded_type(type) && config_.num_statetrie_shards > 1) {
    auto db = ShardedDatabase::open(config_.backend, path, config_.num_statetrie_shards,
                                    shard_options(whole, config_.num_statetrie_shards));
    if (!db) return db.status();
    return std::unique_ptr<kv::Database>(std::move(db.value()));
  }
  if (on_disk && is_sharded_type(type)) {
    if (Status s = check_shard_layout(path, 1, name); !s) return s;
  }
  if (on_disk && !config_.read_only) {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec) return Status::io_error("cannot create " + path.string() + ": " + ec.message());
  }
  return kv::open_database(config_.backend, path, whole);
}

Status DBManager::open_all(std::unique_ptr<DatadirLock> lock) {
  lock_ = std::move(lock);
  if (Status s = check_mode_on_disk(); !s) return s;
  if (!config_.read_only && config_.backend != kv::Backend::kMemory) {
    std::error_code ec;
    fs::create_directories(chaindata_dir_, ec);
    if (ec) return Status::io_error("cannot create " + chaindata_dir_.string() + ": " + ec.message());
  }
  if (config_.single_db) {
    auto db = kv::open_database(config_.backend, chaindata_dir_, single_db_options(config_));
    if (!db) return with_context(db.status(), "single chaindata database");
    std::shared_ptr<kv::Database> shared(std::move(db.value()));
    for (EntryType t : kAllEntryTypes) {
      slots_[index_of(t)] = shared;
      slot_dirs_[index_of(t)] = ".";
    }
    return Status::ok();
  }
  // misc first: it records where every other entry type lives.
  auto misc = open_one(EntryType::kMisc, default_dir_name(EntryType::kMisc));
  if (!misc) return with_context(misc.status(), "misc database");
  slots_[0] = std::move(misc.value());
  slot_dirs_[0] = default_dir_name(EntryType::kMisc);

  for (EntryType t : kAllEntryTypes) {
    if (t == EntryType::kMisc) continue;
    auto name = dir_name(t);
    if (!name) return name.status();
    if (t == EntryType::kStateTrieMigration &&
        (*name == default_dir_name(t) || *name == slot_dirs_[index_of(EntryType::kStateTrie)])) {
      continue;  // no migration running
    }
    auto db = open_one(t, *name);
    if (!db) return with_context(db.status(), std::string(entry_type_name(t)) + " database");
    slots_[index_of(t)] = std::move(db.value());
    slot_dirs_[index_of(t)] = *name;
  }
  return Status::ok();
}

Status DBManager::close() {
  if (closed_) return Status::ok();
  closed_ = true;
  Status first;
  std::unique_lock lk(slots_mu_);
  if (config_.single_db) {
    if (slots_[0]) first = slots_[0]->close();
  } else {
    for (size_t i = kEntryTypeCount; i-- > 0;) {
      if (!slots_[i]) continue;
      Status s = slots_[i]->close();
      if (!s && first.is_ok()) first = with_context(s, entry_type_name(static_cast<EntryType>(i)));
    }
  }
  slots_ = {};
  retired_.clear();
  lock_.reset();
  return first;
}

std::shared_ptr<kv::Database> DBManager::slot(EntryType type) const {
  std::shared_lock lk(slots_mu_);
  return slots_.at(index_of(type));
}

kv::Database* DBManager::find(EntryType type) const { return slot(type).get(); }

kv::Database& DBManager::db(EntryType type) const {
  kv::Database* db = find(type);
  if (db == nullptr) {
    throw std::logic_error("the " + std::string(entry_type_name(type)) + " database is not open");
  }
  return *db;
}

void DBManager::retire(std::shared_ptr<kv::Database> db) {
  if (!db) return;
  (void)db->close();
  std::unique_lock lk(slots_mu_);
  retired_.push_back(std::move(db));
}

Status DBManager::compact_all() {
  for (size_t i = 0; i < kEntryTypeCount; ++i) {
    if (config_.single_db && i > 0) break;
    auto db = slot(static_cast<EntryType>(i));
    if (!db) continue;
    if (Status s = db->compact(); !s) return with_context(s, entry_type_name(static_cast<EntryType>(i)));
  }
  return Status::ok();
}

Result<std::string> DBManager::stats_report() {
  std::string out;
  for (size_t i = 0; i < kEntryTypeCount; ++i) {
    if (config_.single_db && i > 0) break;
    const auto type = static_cast<EntryType>(i);
    auto db = slot(type);
    if (!db) continue;
    auto st = db->stats();
    if (!st) return with_context(st.status(), entry_type_name(type));
    out += "[" + std::string(config_.single_db ? "single" : entry_type_name(type)) + ":" + st->backend + "] " +
           std::to_string(st->disk_bytes) + " bytes, ~" + std::to_string(st->estimated_keys) + " keys\n";
  }
  return out;
}

}  // namespace klay::chaindata
