// DBManager: directory records and the entry-type switches migration uses.
#include <system_error>

#include "engine/chaindata/db_manager.h"
#include "engine/chaindata/shard_layout.h"
#include "engine/kv/open.h"

namespace klay::chaindata {

namespace fs = std::filesystem;

namespace {

bool is_plain_dir_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

Status check_name(std::string_view name) {
  if (is_plain_dir_name(name)) return Status::ok();
  return Status::invalid_argument("\"" + std::string(name) +
                                  "\" is not a plain directory name inside chaindata");
}

// Deletes every key of the memory store `name` (a memory store cannot be dropped, only emptied).
Status empty_memory_store(const fs::path& name) {
  auto db = kv::open_database(kv::Backend::kMemory, name, {});
  if (!db) return db.status();
  auto batch = (*db)->new_batch();
  {
    auto it = (*db)->new_iterator();
    for (; it->valid(); it->next()) batch->del(it->key());
    if (Status s = it->status(); !s) return s;
  }
  if (Status s = (*db)->write(*batch); !s) return s;
  return (*db)->close();
}

}  // namespace

Result<std::string> DBManager::dir_name(EntryType type) const {
  if (type == EntryType::kMisc) return std::string(default_dir_name(type));
  Bytes value;
  Status s = misc().get(dir_record_key(type), &value);
  if (s.is_not_found() || (s && value.empty())) return std::string(default_dir_name(type));
  if (!s) return with_context(s, "reading the directory record of " + std::string(entry_type_name(type)));
  std::string name(as_string_view(value));
  if (!is_plain_dir_name(name)) {
    return Status::corruption("misc records directory \"" + name + "\" for " + std::string(entry_type_name(type)) +
                              ", which is not a plain directory name inside chaindata");
  }
  return name;
}

Status DBManager::set_dir_name(EntryType type, std::string_view name) {
  if (type == EntryType::kMisc) {
    return Status::invalid_argument("the misc database cannot be moved; it records where the others live");
  }
  if (Status s = check_name(name); !s) return s;
  return misc().put(dir_record_key(type), as_view(name));
}

Status DBManager::clear_dir_name(EntryType type) {
  if (type == EntryType::kMisc) return Status::ok();
  return misc().del(dir_record_key(type));
}

std::optional<EntryType> DBManager::user_of(std::string_view name) const {
  for (EntryType t : kAllEntryTypes) {
    if (slots_[index_of(t)] && slot_dirs_[index_of(t)] == name) return t;
  }
  return std::nullopt;
}

Result<std::unique_ptr<kv::Database>> DBManager::open_standalone(EntryType type, std::string_view name) const {
  if (Status s = check_name(name); !s) return s;
  {
    std::shared_lock lk(slots_mu_);
    if (auto user = user_of(name)) {
      return Status::invalid_argument("directory " + std::string(name) + " is already open as the " +
                                      std::string(entry_type_name(*user)) + " database");
    }
  }
  return open_one(type, name);
}

Status DBManager::open_entry(EntryType type, std::string_view name) {
  if (config_.single_db) {
    return Status::not_supported("single-DB mode keeps every entry type in one database; a separate " +
                                 std::string(entry_type_name(type)) + " database is not supported");
  }
  if (config_.read_only) return Status::not_supported("the chaindata is open read-only");
  if (type == EntryType::kMisc) {
    return Status::invalid_argument("the misc database cannot be moved; it records where the others live");
  }
  if (Status s = check_name(name); !s) return s;
  std::lock_guard admin(admin_mu_);
  {
    std::shared_lock lk(slots_mu_);
    if (auto user = user_of(name); user && *user != type) {
      return Status::invalid_argument("directory " + std::string(name) + " is already used by the " +
                                      std::string(entry_type_name(*user)) + " database");
    }
    if (slots_[index_of(type)] && slot_dirs_[index_of(type)] == name) return Status::ok();
  }
  auto opened = open_one(type, name);
  if (!opened) return with_context(opened.status(), std::string(entry_type_name(type)) + " database");
  std::shared_ptr<kv::Database> fresh(std::move(opened.value()));
  if (Status s = set_dir_name(type, name); !s) {
    (void)fresh->close();
    return s;
  }
  std::shared_ptr<kv::Database> old;
  {
    std::unique_lock lk(slots_mu_);
    old = std::exchange(slots_[index_of(type)], fresh);
    slot_dirs_[index_of(type)] = name;
  }
  retire(std::move(old));
  return Status::ok();
}

Status DBManager::close_entry(EntryType type, bool clear_record) {
  if (config_.single_db) {
    return Status::not_supported("single-DB mode keeps every entry type in one database; it cannot be closed alone");
  }
  if (type == EntryType::kMisc) {
    return Status::invalid_argument("the misc database stays open for the manager's lifetime");
  }
  std::lock_guard admin(admin_mu_);
  std::shared_ptr<kv::Database> old;
  {
    std::unique_lock lk(slots_mu_);
    if (!slots_[index_of(type)]) {
      return Status::invalid_argument("the " + std::string(entry_type_name(type)) + " database is not open");
    }
    old = std::exchange(slots_[index_of(type)], nullptr);
    slot_dirs_[index_of(type)].clear();
  }
  Status closed = old->close();
  retire(std::move(old));
  if (clear_record && !config_.read_only) {
    if (Status s = clear_dir_name(type); !s) return s;
  }
  return closed;
}

Result<std::string> DBManager::promote_migration_target() {
  if (config_.single_db || config_.read_only) {
    return Status::not_supported("no migration target can be open in single-DB or read-only mode");
  }
  std::lock_guard admin(admin_mu_);
  const size_t st = index_of(EntryType::kStateTrie);
  const size_t mig = index_of(EntryType::kStateTrieMigration);
  std::string old_dir, new_dir;
  {
    std::shared_lock lk(slots_mu_);
    if (!slots_[mig]) return Status::invalid_argument("no state migration target is open");
    old_dir = slot_dirs_[st];
    new_dir = slot_dirs_[mig];
  }
  // One misc batch, so a crash leaves either the old or the new layout.
  auto batch = misc().new_batch();
  batch->put(dir_record_key(EntryType::kStateTrie), as_view(new_dir));
  batch->del(dir_record_key(EntryType::kStateTrieMigration));
  if (Status s = misc().write(*batch); !s) return s;
  std::shared_ptr<kv::Database> old;
  {
    std::unique_lock lk(slots_mu_);
    old = std::exchange(slots_[st], std::exchange(slots_[mig], nullptr));
    slot_dirs_[st] = new_dir;
    slot_dirs_[mig].clear();
  }
  retire(std::move(old));
  return old_dir;
}

Status DBManager::remove_dir(std::string_view name) {
  if (Status s = check_name(name); !s) return s;
  if (config_.read_only) return Status::not_supported("the chaindata is open read-only");
  if (name == default_dir_name(EntryType::kMisc)) {
    return Status::invalid_argument("the misc directory cannot be removed");
  }
  std::lock_guard admin(admin_mu_);
  {
    std::shared_lock lk(slots_mu_);
    if (auto user = user_of(name)) {
      return Status::invalid_argument("directory " + std::string(name) + " is in use by the open " +
                                      std::string(entry_type_name(*user)) + " database");
    }
  }
  const fs::path path = dir_path(name);
  if (config_.backend == kv::Backend::kMemory) {
    if (Status s = empty_memory_store(path); !s) return s;
    for (uint32_t i = 0; i < config_.num_statetrie_shards && config_.num_statetrie_shards > 1; ++i) {
      if (Status s = empty_memory_store(path / shard_dir_name(i)); !s) return s;
    }
    return Status::ok();
  }
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return Status::io_error("cannot remove " + path.string() + ": " + ec.message());
  return Status::ok();
}

}  // namespace klay::chaindata
