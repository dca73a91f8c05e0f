#include "engine/kv/lmdb/lmdb_env.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace klay::kv::lmdb_detail {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMinGrowthStep = 1ull << 20;
// Growth is refused when less than this much (or less than one growth step,
// if smaller) is free: the next commits would fail with ENOSPC anyway.
constexpr uint64_t kMinFreeDiskBytes = 16ull << 20;
// Slots a read looks at (from its thread's own one) to find or park an idle
// transaction before it begins or aborts one instead.
constexpr size_t kIdleTxnProbe = 4;

uint64_t page_size() {
  const long p = sysconf(_SC_PAGESIZE);
  return p > 0 ? static_cast<uint64_t>(p) : 4096;
}

uint64_t round_up(uint64_t v, uint64_t unit) { return (v + unit - 1) / unit * unit; }

// Checks that `dir` is (or may become) an LMDB environment directory.
Status prepare_dir(const fs::path& dir, const Options& options) {
  std::error_code ec;
  const auto st = fs::status(dir, ec);
  if (!fs::exists(st)) {
    if (!options.create_if_missing || options.read_only) {
      return Status::invalid_argument("LMDB directory " + dir.string() +
                                      " does not exist and may not be created");
    }
    fs::create_directories(dir, ec);
    if (ec) return Status::io_error("cannot create LMDB directory " + dir.string() + ": " + ec.message());
    return Status::ok();
  }
  if (!fs::is_directory(st)) return Status::invalid_argument(dir.string() + " is not a directory");
  const fs::path data = dir / "data.mdb";
  const bool has_data = fs::exists(data, ec) && fs::file_size(data, ec) > 0 && !ec;
  if (!has_data && (!options.create_if_missing || options.read_only)) {
    return Status::invalid_argument(dir.string() + " holds no LMDB database (no data.mdb) and " +
                                    (options.read_only ? "it is opened read-only"
                                                       : "create_if_missing is off"));
  }
  return Status::ok();
}

}  // namespace

Result<std::shared_ptr<LmdbEnv>> LmdbEnv::open(const fs::path& dir, const Options& options,
                                               const LmdbTuning& tuning) {
  if (Status s = prepare_dir(dir, options); !s) return s;

  auto lock = DirLock::acquire(dir);
  if (!lock) return lock.status();
  std::shared_ptr<LmdbEnv> self(new LmdbEnv());
  self->dir_ = dir;
  self->dir_lock_ = std::move(*lock);
  self->read_only_ = options.read_only;
  self->resize_wait_ = tuning.resize_wait;

  // The map starts at the initial size or the reservation, whichever is
  // larger. Should mmap refuse the reservation (ENOMEM; EINVAL under
  // valgrind), the environment is opened again without it.
  const uint64_t initial = round_up(std::max<uint64_t>(options.lmdb_initial_map_bytes, 1), page_size());
  self->reservation_ = MapReservation::take(tuning.map_reserve_bytes);
  unsigned flags = MDB_NOTLS | MDB_NORDAHEAD;
  if (options.read_only) flags |= MDB_RDONLY;
  if (!options.sync_writes) flags |= MDB_NOSYNC;
  int rc = 0;
  for (;;) {
    rc = mdb_env_create(&self->env_);
    if (rc != 0) {
      self->env_ = nullptr;
      return lmdb_status(rc, "create an LMDB environment", dir);
    }
    const uint64_t map_bytes = std::max(initial, round_up(self->reservation_.bytes(), page_size()));
    rc = mdb_env_set_maxreaders(self->env_, std::max(tuning.max_readers, 1u));
    if (rc == 0) rc = mdb_env_set_mapsize(self->env_, map_bytes);
    if (rc == 0) rc = mdb_env_open(self->env_, dir.c_str(), flags, 0644);
    if ((rc == ENOMEM || rc == EINVAL) && self->reservation_.bytes() != 0 &&
        self->reservation_.bytes() > initial) {
      mdb_env_close(self->env_);
      self->env_ = nullptr;
      self->reservation_.release();
      continue;
    }
    if (rc != 0) return lmdb_status(rc, "open the database", dir);  // ~LmdbEnv closes env_
    break;
  }

  self->max_key_size_ = static_cast<size_t>(mdb_env_get_maxkeysize(self->env_));
  for (int attempt = 0;; ++attempt) {
    MDB_txn* txn = nullptr;
    rc = mdb_txn_begin(self->env_, nullptr, options.read_only ? MDB_RDONLY : 0, &txn);
    if (rc == MDB_MAP_RESIZED && attempt == 0) {
      rc = mdb_env_set_mapsize(self->env_, 0);
      if (rc == 0) continue;
    }
    if (rc != 0) return lmdb_status(rc, "open the database", dir);
    rc = mdb_dbi_open(txn, nullptr, 0, &self->dbi_);
    if (rc != 0) {
      mdb_txn_abort(txn);
      return lmdb_status(rc, "open the main table", dir);
    }
    rc = mdb_txn_commit(txn);
    if (rc != 0) return lmdb_status(rc, "open the main table", dir);
    break;
  }
  return self;
}

LmdbEnv::~LmdbEnv() { close_env_now(); }

Status LmdbEnv::key_error(ByteView key) const {
  if (key.empty()) return empty_key_error();
  if (key.size() > max_key_size_) {
    return Status::invalid_argument("key of " + std::to_string(key.size()) +
                                    " bytes exceeds LMDB's maximum key size of " +
                                    std::to_string(max_key_size_) + " bytes");
  }
  return Status::ok();
}

Status LmdbEnv::write_error(int rc, std::string_view action) const {
  if (rc == EIO || rc == ENOSPC) {
    struct statvfs vfs {};
    if (statvfs(dir_.c_str(), &vfs) == 0) {
      const uint64_t free_bytes = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
      if (free_bytes < kMinFreeDiskBytes) {
        return Status::no_space("could not " + std::string(action) + " in " + dir_.string() +
                                ": the disk is full (" + std::to_string(free_bytes) + " bytes free)");
      }
    }
  }
  return lmdb_status(rc, action, dir_);
}

Status LmdbEnv::closed_status() const { return closed_error("LMDB", dir_); }

size_t LmdbEnv::next_thread_seat() {
  static std::atomic<size_t> next{0};
  return next.fetch_add(1, std::memory_order_relaxed) % MapGate::kSeats;
}

int LmdbEnv::begin_read(MDB_txn** txn, size_t* seat) {
  const size_t first = thread_seat();
  for (size_t i = 0; i < kIdleTxnProbe; ++i) {
    const size_t at = (first + i) % MapGate::kSeats;
    void* parked = nullptr;
    if (!gate_.try_enter_seat(at, &parked)) continue;
    if (closed()) {
      gate_.leave_seat(at, parked);
      return kClosedRc;
    }
    MDB_txn* idle = static_cast<MDB_txn*>(parked);
    int rc = 0;
    if (idle != nullptr) {
      rc = mdb_txn_renew(idle);
      if (rc != 0) mdb_txn_abort(idle);
    } else {
      rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &idle);
    }
    if (rc != 0) {
      gate_.leave_seat(at, nullptr);
      return rc;
    }
    *txn = idle;
    *seat = at;
    return 0;
  }
  // Every seat tried is taken, or the map is about to move.
  gate_.lock_shared();
  if (closed()) {
    gate_.unlock_shared();
    return kClosedRc;
  }
  const int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, txn);
  if (rc != 0) {
    gate_.unlock_shared();
    return rc;
  }
  *seat = MapGate::kSeats;
  return 0;
}

void LmdbEnv::end_read(MDB_txn* txn, size_t seat) {
  if (seat < MapGate::kSeats) {
    mdb_txn_reset(txn);
    gate_.leave_seat(seat, txn);
  } else {
    mdb_txn_abort(txn);
    gate_.unlock_shared();
  }
}

int LmdbEnv::take_read_txn(MDB_txn** txn) {
  const size_t first = thread_seat();
  for (size_t i = 0; i < kIdleTxnProbe; ++i) {
    const size_t at = (first + i) % MapGate::kSeats;
    void* parked = nullptr;
    if (!gate_.try_enter_seat(at, &parked)) continue;
    gate_.leave_seat(at, nullptr);
    if (parked == nullptr) continue;
    MDB_txn* idle = static_cast<MDB_txn*>(parked);
    const int rc = mdb_txn_renew(idle);
    if (rc != 0) {
      mdb_txn_abort(idle);
      return rc;
    }
    *txn = idle;
    return 0;
  }
  return mdb_txn_begin(env_, nullptr, MDB_RDONLY, txn);
}

void LmdbEnv::give_back_read_txn(MDB_txn* txn) {
  mdb_txn_reset(txn);
  const size_t first = thread_seat();
  for (size_t i = 0; i < kIdleTxnProbe; ++i) {
    const size_t at = (first + i) % MapGate::kSeats;
    void* parked = nullptr;
    if (!gate_.try_enter_seat(at, &parked)) continue;
    if (parked == nullptr) {
      gate_.leave_seat(at, txn);
      return;
    }
    gate_.leave_seat(at, parked);
  }
  mdb_txn_abort(txn);
}

Status LmdbEnv::lock_exclusive(std::string_view why) {
  // Waiting would be waiting for ourselves: the map cannot move while an
  // iterator of this thread points into it.
  if (gate_.pinned_by_this_thread()) {
    return Status::busy("could not " + std::string(why) + " of " + dir_.string() +
                        ": this thread holds an open iterator over the database; "
                        "finish or destroy it before writing (nothing was written)");
  }
  if (gate_.try_lock_for(resize_wait_)) return Status::ok();
  return Status::busy("could not " + std::string(why) + " of " + dir_.string() +
                      ": open iterators or reads kept the map busy for " + std::to_string(resize_wait_.count()) +
                      " ms (nothing was written)");
}

Status LmdbEnv::grow_map() {
  const uint64_t page = page_size();
  {
    // A cheap look at the disk before asking for more map.
    struct statvfs vfs {};
    if (statvfs(dir_.c_str(), &vfs) == 0) {
      const uint64_t free_bytes = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
      if (free_bytes < kMinFreeDiskBytes) {
        return Status::no_space("cannot grow the LMDB database in " + dir_.string() + ": only " +
                                std::to_string(free_bytes) + " bytes are free on its disk");
      }
    }
  }
  if (Status s = lock_exclusive("grow the LMDB map"); !s) return s;
  Status result;
  if (closed()) {
    result = closed_status();
  } else {
    MDB_envinfo info{};
    mdb_env_info(env_, &info);
    const uint64_t current = info.me_mapsize;
    const uint64_t next = round_up(current + std::max(current / 2, kMinGrowthStep), page);
    const int rc = mdb_env_set_mapsize(env_, static_cast<size_t>(next));
    if (rc != 0) {
      result = lmdb_status(rc, "grow the LMDB map to " + std::to_string(next) + " bytes", dir_);
      // A failed remap leaves LMDB without a map; without the old one back the
      // environment cannot be used safely any more.
      if (mdb_env_set_mapsize(env_, static_cast<size_t>(current)) != 0) closed_.store(true);
    }
  }
  gate_.unlock();
  return result;
}

Status LmdbEnv::adopt_map_size() {
  if (Status s = lock_exclusive("adopt the LMDB map size set by another process"); !s) return s;
  Status result;
  if (closed()) {
    result = closed_status();
  } else {
    const int rc = mdb_env_set_mapsize(env_, 0);
    if (rc != 0) result = lmdb_status(rc, "adopt the LMDB map size set by another process", dir_);
  }
  gate_.unlock();
  return result;
}

bool LmdbEnv::try_add_user() {
  std::lock_guard lock(users_mu_);
  if (users_ == 0) return false;
  ++users_;
  return true;
}

// The last user can close without the gate: the database is closed (no call
// gets past the closed_ check) and no iterator is left.
void LmdbEnv::release_user() {
  bool last = false;
  {
    std::lock_guard lock(users_mu_);
    last = --users_ == 0;
  }
  if (last) close_env_now();
}

Status LmdbEnv::close() {
  // In-flight calls are short unless a get_view callback blocks, so wait for
  // them without a deadline. Iterators keep their pins: they are users, and
  // the environment stays open until the last of them goes.
  while (!gate_.try_lock_for(std::chrono::seconds(1), MapGate::Wait::kCallsOnly)) {
  }
  if (closed()) {
    gate_.unlock();
    return Status::ok();
  }
  closed_.store(true, std::memory_order_release);
  Status result;
  if (!read_only_) {
    const int rc = mdb_env_sync(env_, 1);
    if (rc != 0) result = lmdb_status(rc, "flush to disk on close", dir_);
  }
  gate_.unlock();
  release_user();
  return result;
}

void LmdbEnv::close_env_now() {
  if (env_ != nullptr) {
    for (size_t seat = 0; seat < MapGate::kSeats; ++seat) {
      if (void* txn = gate_.take_parked(seat)) mdb_txn_abort(static_cast<MDB_txn*>(txn));
    }
    mdb_env_close(env_);
    env_ = nullptr;
  }
  reservation_.release();
  dir_lock_.release();
}

}  // namespace klay::kv::lmdb_detail
