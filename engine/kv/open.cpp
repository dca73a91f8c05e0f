#include "engine/kv/open.h"

#include <system_error>

#include "engine/kv/backends.h"

namespace klay::kv {

std::optional<Backend> detect_backend(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  bool lmdb = false, rocksdb = false, leveldb = false;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == "data.mdb" || name == "lock.mdb") lmdb = true;
    // OPTIONS-* and IDENTITY are RocksDB's own; LevelDB never writes them.
    if (name.starts_with("OPTIONS-") || name == "IDENTITY") rocksdb = true;
    // Both write CURRENT, MANIFEST-* and *.log, but only LevelDB names tables *.ldb.
    if (name == "CURRENT" || name.starts_with("MANIFEST-") || name.ends_with(".ldb")) leveldb = true;
  }
  if (lmdb) return Backend::kLMDB;
  if (rocksdb) return Backend::kRocksDB;
  if (leveldb) return Backend::kLevelDB;
  return std::nullopt;
}

Result<std::unique_ptr<Database>> open_database(Backend backend, const std::filesystem::path& dir,
                                                const Options& options) {
  if (backend == Backend::kMemory) return open_memory(dir, options);
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
    return Status::invalid_argument(dir.string() + " is a file, not a database directory");
  }
  if (auto found = detect_backend(dir); found && *found != backend) {
    return Status::invalid_argument("directory " + dir.string() + " holds a " +
                                    std::string(backend_display_name(*found)) + " database, not " +
                                    std::string(backend_display_name(backend)) + " (use --db.type " +
                                    std::string(backend_name(*found)) + ")");
  }
  switch (backend) {
    case Backend::kLevelDB: return open_leveldb(dir, options);
    case Backend::kRocksDB: return open_rocksdb(dir, options);
    case Backend::kLMDB: return open_lmdb(dir, options);
    case Backend::kMemory: break;
  }
  return Status::invalid_argument("unknown backend");
}

}  // namespace klay::kv
