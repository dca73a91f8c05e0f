#include <lmdb.h>

#include <system_error>

#include "engine/kv/lmdb/dir_lock.h"
#include "engine/kv/lmdb/lmdb_database.h"
#include "engine/kv/lmdb/lmdb_status.h"

namespace klay::kv {

namespace fs = std::filesystem;

Status lmdb_copy_compact(const fs::path& src, const fs::path& dst) {
  std::error_code ec;
  if (!fs::is_regular_file(src / "data.mdb", ec)) {
    return Status::invalid_argument(src.string() + " holds no LMDB database (no data.mdb)");
  }
  auto lock = lmdb_detail::DirLock::acquire(src);
  if (!lock) return lock.status();
  if (fs::exists(dst, ec)) {
    if (!fs::is_directory(dst, ec)) return Status::invalid_argument(dst.string() + " is not a directory");
    if (!fs::is_empty(dst, ec)) {
      return Status::invalid_argument("the compaction target " + dst.string() + " is not empty");
    }
  } else {
    fs::create_directories(dst, ec);
    if (ec) return Status::io_error("cannot create " + dst.string() + ": " + ec.message());
  }

  MDB_env* env = nullptr;
  int rc = mdb_env_create(&env);
  if (rc != 0) return lmdb_detail::lmdb_status(rc, "create an LMDB environment", src);
  rc = mdb_env_open(env, src.c_str(), MDB_RDONLY | MDB_NOTLS, 0644);
  if (rc != 0) {
    mdb_env_close(env);
    return lmdb_detail::lmdb_status(rc, "open the database for copying", src);
  }
  rc = mdb_env_copy2(env, dst.c_str(), MDB_CP_COMPACT);
  mdb_env_close(env);
  if (rc != 0) {
    fs::remove(dst / "data.mdb", ec);
    return lmdb_detail::lmdb_status(rc, "copy the database to " + dst.string(), src);
  }
  return Status::ok();
}

}  // namespace klay::kv
