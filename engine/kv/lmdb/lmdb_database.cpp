#include "engine/kv/lmdb/lmdb_database.h"

#include <string>
#include <system_error>

#include "engine/kv/backends.h"
#include "engine/kv/lmdb/lmdb_batch.h"
#include "engine/kv/lmdb/lmdb_bulk_loader.h"
#include "engine/kv/lmdb/lmdb_env.h"
#include "engine/kv/lmdb/lmdb_iterator.h"

namespace klay::kv {

using lmdb_detail::from_val;
using lmdb_detail::LmdbEnv;
using lmdb_detail::to_val;

namespace {

// Checks every key of a batch before a transaction starts, so an invalid batch
// writes nothing.
class KeyChecker final : public BatchHandler {
 public:
  explicit KeyChecker(const LmdbEnv& env) : env_(env) {}
  void put(ByteView key, ByteView) override { check(key); }
  void del(ByteView key) override { check(key); }
  Status status;

 private:
  void check(ByteView key) {
    if (status) status = env_.check_key(key);
  }
  const LmdbEnv& env_;
};

// Applies a batch inside a write transaction; stops at the first LMDB error.
class TxnApplier final : public BatchHandler {
 public:
  TxnApplier(MDB_txn* txn, MDB_dbi dbi) : txn_(txn), dbi_(dbi) {}
  void put(ByteView key, ByteView value) override {
    if (rc != 0) return;
    MDB_val k = to_val(key), v = to_val(value);
    rc = mdb_put(txn_, dbi_, &k, &v, 0);
  }
  void del(ByteView key) override {
    if (rc != 0) return;
    MDB_val k = to_val(key);
    rc = mdb_del(txn_, dbi_, &k, nullptr);
    if (rc == MDB_NOTFOUND) rc = 0;
  }
  int rc = 0;

 private:
  MDB_txn* txn_;
  MDB_dbi dbi_;
};

}  // namespace

LmdbDatabase::LmdbDatabase(std::shared_ptr<LmdbEnv> env) : env_(std::move(env)) {}

LmdbDatabase::~LmdbDatabase() { static_cast<void>(close()); }

Status LmdbDatabase::get(ByteView key, Bytes* value) {
  if (!env_->key_ok(key)) [[unlikely]] return env_->check_key(key);
  const int rc = env_->read_rc([&](MDB_txn* txn) {
    MDB_val k = to_val(key), v{};
    const int found = mdb_get(txn, env_->dbi(), &k, &v);
    if (found == 0) {
      const ByteView view = from_val(v);
      value->assign(view.begin(), view.end());
    }
    return found;
  });
  if (rc == 0) [[likely]] return Status::ok();
  return env_->read_status(rc, "get a key");
}

Status LmdbDatabase::get_view(ByteView key, const std::function<void(ByteView)>& fn) {
  if (!env_->key_ok(key)) [[unlikely]] return env_->check_key(key);
  const int rc = env_->read_rc([&](MDB_txn* txn) {
    MDB_val k = to_val(key), v{};
    const int found = mdb_get(txn, env_->dbi(), &k, &v);
    if (found == 0) fn(from_val(v));
    return found;
  });
  if (rc == 0) [[likely]] return Status::ok();
  return env_->read_status(rc, "get a key");
}

Result<bool> LmdbDatabase::has(ByteView key) {
  if (!env_->key_ok(key)) [[unlikely]] return env_->check_key(key);
  const int rc = env_->read_rc([&](MDB_txn* txn) {
    MDB_val k = to_val(key), v{};
    return mdb_get(txn, env_->dbi(), &k, &v);
  });
  if (rc == 0) return true;
  if (rc == MDB_NOTFOUND) return false;
  return env_->read_status(rc, "look up a key");
}

Status LmdbDatabase::put(ByteView key, ByteView value) {
  if (Status s = env_->check_key(key); !s) return s;
  return env_->write(
      [&](MDB_txn* txn) {
        MDB_val k = to_val(key), v = to_val(value);
        return mdb_put(txn, env_->dbi(), &k, &v, 0);
      },
      "put a key");
}

Status LmdbDatabase::del(ByteView key) {
  if (Status s = env_->check_key(key); !s) return s;
  return env_->write(
      [&](MDB_txn* txn) {
        MDB_val k = to_val(key);
        const int rc = mdb_del(txn, env_->dbi(), &k, nullptr);
        return rc == MDB_NOTFOUND ? 0 : rc;
      },
      "delete a key");
}

std::unique_ptr<WriteBatch> LmdbDatabase::new_batch() {
  return std::make_unique<lmdb_detail::LmdbBatch>();
}

Status LmdbDatabase::write(WriteBatch& batch) {
  KeyChecker checker(*env_);
  batch.replay(checker);
  if (!checker.status) return checker.status;
  if (batch.count() == 0) return Status::ok();
  return env_->write(
      [&](MDB_txn* txn) {
        TxnApplier applier(txn, env_->dbi());
        batch.replay(applier);
        return applier.rc;
      },
      "write a batch");
}

std::unique_ptr<Iterator> LmdbDatabase::new_iterator(const IteratorOptions& options) {
  return std::make_unique<lmdb_detail::LmdbIterator>(env_, options);
}

Result<std::unique_ptr<BulkLoader>> LmdbDatabase::new_bulk_loader() {
  constexpr size_t kFlushBytes = 32u << 20;
  Status s = env_->read([](MDB_txn*) { return Status::ok(); });  // fails once closed
  if (!s) return s;
  if (env_->read_only()) return read_only_error("LMDB", env_->dir());
  return std::unique_ptr<BulkLoader>(std::make_unique<lmdb_detail::LmdbBulkLoader>(env_, kFlushBytes));
}

Status LmdbDatabase::compact(std::optional<ByteView>, std::optional<ByteView>) {
  return env_->read([](MDB_txn*) { return Status::ok(); });
}

Result<DbStats> LmdbDatabase::stats() {
  DbStats out;
  out.backend = "lmdb";
  Status s = env_->read([&](MDB_txn* txn) -> Status {
    MDB_stat st{};
    if (const int rc = mdb_stat(txn, env_->dbi(), &st); rc != 0) {
      return lmdb_detail::lmdb_status(rc, "read statistics", env_->dir());
    }
    MDB_envinfo info{};
    mdb_env_info(env_->env(), &info);
    out.estimated_keys = st.ms_entries;
    const uint64_t used_pages = static_cast<uint64_t>(info.me_last_pgno) + 1;
    out.details = "map_size=" + std::to_string(info.me_mapsize) +
                  " used_pages=" + std::to_string(used_pages) +
                  " page_size=" + std::to_string(st.ms_psize) +
                  " used_bytes=" + std::to_string(used_pages * st.ms_psize) +
                  " depth=" + std::to_string(st.ms_depth) +
                  " branch_pages=" + std::to_string(st.ms_branch_pages) +
                  " leaf_pages=" + std::to_string(st.ms_leaf_pages) +
                  " overflow_pages=" + std::to_string(st.ms_overflow_pages) +
                  " readers=" + std::to_string(info.me_numreaders) + "/" +
                  std::to_string(info.me_maxreaders);
    return Status::ok();
  });
  if (!s) return s;
  std::error_code ec;
  const auto size = std::filesystem::file_size(env_->dir() / "data.mdb", ec);
  if (ec) {
    return Status::io_error("cannot read the size of " + (env_->dir() / "data.mdb").string() +
                            ": " + ec.message());
  }
  out.disk_bytes = size;
  return out;
}

Result<uint64_t> LmdbDatabase::map_size() {
  uint64_t size = 0;
  Status s = env_->read([&](MDB_txn*) {
    MDB_envinfo info{};
    mdb_env_info(env_->env(), &info);
    size = info.me_mapsize;
    return Status::ok();
  });
  if (!s) return s;
  return size;
}

Status LmdbDatabase::close() { return env_->close(); }

Result<std::unique_ptr<Database>> open_lmdb_tuned(const std::filesystem::path& dir,
                                                  const Options& options, const LmdbTuning& tuning) {
  auto env = LmdbEnv::open(dir, options, tuning);
  if (!env) return env.status();
  return std::unique_ptr<Database>(std::make_unique<LmdbDatabase>(std::move(*env)));
}

Result<std::unique_ptr<Database>> open_lmdb(const std::filesystem::path& dir, const Options& options) {
  return open_lmdb_tuned(dir, options, LmdbTuning{});
}

}  // namespace klay::kv
