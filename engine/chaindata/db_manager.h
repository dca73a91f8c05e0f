// DBManager: Klaytn's chaindata layout over engine/kv.
//
// Layout under a data directory (as the reference node writes it):
//   <datadir>/klay/LOCK                 DatadirLock, held for the manager's lifetime
//   <datadir>/klay/chaindata/misc       misc, opened first
//   <datadir>/klay/chaindata/<dir>      every other entry type, where <dir> is the
//                                       name misc records under
//                                       "databaseDirectory" + BE64(type), or the
//                                       default name (entry_type.h) when absent
//   .../statetrie/0 .. N-1              state-trie shards when N > 1 (shard_layout.h)
//   <datadir>/klay/chaindata            the one database of single-DB mode
// The migration target (kStateTrieMigration) is opened only while misc
// records a directory for it (statetrie_migrated_<block_num>).
// For the memory backend no database directory is created: the same paths
// name in-process memory stores (the datadir and its lock file are still real).
//
// Threading: db()/find()/is_open() and the record getters may be called from
// any thread at any time. open_entry/close_entry/promote_migration_target/
// remove_dir are serialised internally; they replace a database while others
// may hold a reference to it. A replaced database is closed but the object
// stays alive until close(), so a stale reference fails
// cleanly (closed-database error) instead of crashing; callers that must
// never see that (state-trie readers during a migration switch) coordinate
// with their own lock, as the reference node does.
// Ownership: the manager owns every database it opened; references returned
// by db() are valid until close() (or destruction).
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/chaindata/config.h"
#include "engine/chaindata/datadir_lock.h"
#include "engine/chaindata/entry_type.h"
#include "engine/kv/database.h"

namespace klay::chaindata {

class DBManager {
 public:
  // Locks the datadir and opens every entry type's database (creating what is
  // missing unless config.read_only). One clear sentence on failure, for:
  //  - an invalid config (InvalidArgument naming the flag);
  //  - a datadir that is a file, or missing in read-only mode (InvalidArgument);
  //  - a datadir that cannot be created or written (IOError);
  //  - a datadir locked by another process or manager (Busy, with the holder's pid);
  //  - a database of another backend, or chaindata created in the other
  //    single/multi mode, or a state trie with another shard count
  //    (InvalidArgument, prefixed with the entry type);
  //  - a corrupt directory record in misc (Corruption).
  // Nothing stays open or locked on failure.
  static Result<std::unique_ptr<DBManager>> open(const std::filesystem::path& datadir, const Config& config);

  // Closes everything (see close()).
  ~DBManager();
  DBManager(const DBManager&) = delete;
  DBManager& operator=(const DBManager&) = delete;

  // Closes every database (misc last), then releases the datadir lock.
  // Returns the first error; idempotent. REQUIRES: no batch or iterator of
  // the databases is alive, and no other call runs concurrently.
  Status close();

  const Config& config() const { return config_; }
  const std::filesystem::path& datadir() const { return datadir_; }
  // <datadir>/klay/chaindata.
  const std::filesystem::path& chaindata_dir() const { return chaindata_dir_; }
  bool is_single() const { return config_.single_db; }

  // The database of `type` (in single-DB mode the shared one, for every type).
  // REQUIRES: is_open(type); otherwise throws std::logic_error (a programming error).
  kv::Database& db(EntryType type) const;
  // nullptr when `type` has no open database (the migration target when idle).
  kv::Database* find(EntryType type) const;
  bool is_open(EntryType type) const { return find(type) != nullptr; }

  kv::Database& misc() const { return db(EntryType::kMisc); }
  kv::Database& state_trie() const { return db(EntryType::kStateTrie); }

  // The directory name recorded in misc for `type`, or its default name.
  // Corruption when the record is not a plain directory name.
  Result<std::string> dir_name(EntryType type) const;
  // Records `name` (a plain directory name inside chaindata) for `type`
  // without opening anything; takes effect at the next open. InvalidArgument
  // for misc (its place is fixed) or a name with '/', ".", "..", or empty.
  Status set_dir_name(EntryType type, std::string_view name);
  // Removes the record, so `type` falls back to its default directory.
  Status clear_dir_name(EntryType type);
  // <chaindata>/<name>.
  std::filesystem::path dir_path(std::string_view name) const { return chaindata_dir_ / std::string(name); }

  // Opens (creating) the database in <chaindata>/<name> as `type`'s database
  // (sharded like the state trie for sharded types), records `name` for
  // `type` in misc, and installs it; the database `type` had before is closed.
  // Used by migration: open_entry(kStateTrieMigration, migration_dir_name(n)).
  // NotSupported in single-DB or read-only mode; InvalidArgument for misc or
  // a name another open entry type uses.
  Status open_entry(EntryType type, std::string_view name);
  // Closes `type`'s database and leaves it unopened; with clear_record the
  // directory record is removed too (the files stay: see remove_dir).
  // NotSupported in single-DB mode; InvalidArgument for misc or a type not open.
  Status close_entry(EntryType type, bool clear_record);
  // Makes the open migration target the state trie: records its directory
  // for kStateTrie and removes the migration record in one atomic misc batch,
  // swaps the databases and closes the old state trie. Returns the old state
  // trie's directory name, for the caller to remove_dir() once it is safe.
  // InvalidArgument when no migration target is open.
  Result<std::string> promote_migration_target();
  // Deletes <chaindata>/<name> and everything in it (for the memory backend:
  // empties the stores of that name). InvalidArgument when an open entry
  // type uses it or it is not a plain directory name.
  Status remove_dir(std::string_view name);

  // Opens <chaindata>/<name> laid out as `type` without installing or
  // recording it; the caller owns the result (offline tools, verification).
  Result<std::unique_ptr<kv::Database>> open_standalone(EntryType type, std::string_view name) const;

  // Compacts every open database fully, one after another (shards in parallel).
  Status compact_all();
  // One line per open database: "[statetrie:leveldb] 123 bytes, ~45 keys".
  Result<std::string> stats_report();

 private:
  DBManager(std::filesystem::path datadir, const Config& config);
  Status open_all(std::unique_ptr<DatadirLock> lock);
  Result<std::unique_ptr<kv::Database>> open_one(EntryType type, std::string_view name) const;
  Status check_mode_on_disk() const;
  std::shared_ptr<kv::Database> slot(EntryType type) const;
  // Entry type whose open database lives in `name`, if any. REQUIRES: slots_mu_ held.
  std::optional<EntryType> user_of(std::string_view name) const;
  void retire(std::shared_ptr<kv::Database> db);

  Config config_;
  std::filesystem::path datadir_;
  std::filesystem::path chaindata_dir_;
  std::unique_ptr<DatadirLock> lock_;

  mutable std::shared_mutex slots_mu_;
  std::array<std::shared_ptr<kv::Database>, kEntryTypeCount> slots_;
  std::array<std::string, kEntryTypeCount> slot_dirs_;  // directory of each open slot
  std::vector<std::shared_ptr<kv::Database>> retired_;  // closed, kept alive for stale references
  std::mutex admin_mu_;                                 // serialises open_entry & co.
  bool closed_ = false;
};

}  // namespace klay::chaindata
