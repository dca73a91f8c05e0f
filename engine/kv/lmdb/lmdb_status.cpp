#include "engine/kv/lmdb/lmdb_status.h"

#include <lmdb.h>

#include <cerrno>
#include <string>

namespace klay::kv::lmdb_detail {

Status lmdb_status(int rc, std::string_view action, const std::filesystem::path& dir) {
  // A missed read is the common case: answer it before building any message.
  if (rc == MDB_NOTFOUND) return Status::not_found();
  const std::string where = dir.string();
  const std::string act(action);
  switch (rc) {
    case MDB_NOTFOUND:
      return Status::not_found();
    case MDB_INVALID:
      return Status::corruption((dir / "data.mdb").string() +
                                " is not a valid LMDB data file (bad header or magic)");
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
      return Status::corruption("the LMDB database in " + where + " is corrupted (" +
                                mdb_strerror(rc) + ")");
    case MDB_VERSION_MISMATCH:
      return Status::not_supported((dir / "data.mdb").string() +
                                   " was written by an incompatible LMDB version");
    case MDB_READERS_FULL:
      return Status::busy("all LMDB reader slots of " + where +
                          " are in use; close some iterators and retry");
    case MDB_TXN_FULL:
      return Status::invalid_argument("could not " + act + " in " + where +
                                      ": too many changes for one LMDB transaction; split the batch");
    case MDB_BAD_VALSIZE:
      return Status::invalid_argument("could not " + act + " in " + where +
                                      ": LMDB rejected the size of a key or value");
    case MDB_KEYEXIST:
      return Status::invalid_argument("could not " + act + " in " + where +
                                      ": a key is not greater than the last key already stored");
    case MDB_MAP_FULL:
      return Status::no_space("could not " + act + " in " + where + ": the LMDB map is full");
    case ENOSPC:
      return Status::no_space("could not " + act + " in " + where + ": the disk is full");
    case ENOMEM:
      return Status::no_space("could not " + act + " in " + where +
                              ": out of memory or address space for the LMDB map");
    case EAGAIN:
    case EBUSY:
      return Status::busy("could not " + act + " in " + where +
                          ": the LMDB environment is locked by another process");
    case EACCES:
    case EPERM:
    case EROFS:
      return Status::io_error("could not " + act + " in " + where + ": permission denied");
    default:
      return Status::io_error("could not " + act + " in " + where + ": " + mdb_strerror(rc));
  }
}

}  // namespace klay::kv::lmdb_detail
