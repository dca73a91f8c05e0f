// Opening a database by backend name, and recognising what a directory holds.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "engine/kv/database.h"
#include "engine/kv/options.h"

namespace klay::kv {

// Looks at the files in `dir` and names the backend that wrote them, if any:
// LMDB by data.mdb/lock.mdb, RocksDB by OPTIONS-*/IDENTITY, LevelDB by
// CURRENT/MANIFEST-*/*.ldb without RocksDB's files. Returns nullopt for a
// missing or empty directory, or one holding none of these.
std::optional<Backend> detect_backend(const std::filesystem::path& dir);

// Opens (or creates, if options.create_if_missing) a database of `backend` in `dir`.
// Fails with one clear sentence, creating nothing, when `dir` holds another
// backend's files (InvalidArgument, naming the --db.type to use) or a corrupt
// database (Corruption). Other failures: NotFound when there is no database and
// create_if_missing is off or read_only is set; Busy when the directory is open
// already (in this or another process); InvalidArgument for options the backend
// cannot honour (e.g. zstd for LevelDB). For kMemory `dir` only names the store
// within this process (reopening the same name in the same process sees the data;
// an empty name gives a private store).
// Thread-safe.
Result<std::unique_ptr<Database>> open_database(Backend backend, const std::filesystem::path& dir,
                                                const Options& options = {});

}  // namespace klay::kv
