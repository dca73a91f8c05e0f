// The RocksDB backend's Database. Internal to engine/kv/rocksdb: the bulk
// loader needs the native handle; everyone else goes through database.h.
#pragma once

#include <rocksdb/db.h>

#include <filesystem>
#include <memory>

#include "engine/kv/database.h"
#include "engine/kv/options.h"

namespace klay::kv {

class RocksDatabase final : public Database {
 public:
  // Takes ownership of `db`.
  RocksDatabase(std::filesystem::path dir, rocksdb::DB* db, const Options& options);
  ~RocksDatabase() override;

  Status get(ByteView key, Bytes* value) override;
  Status get_view(ByteView key, const std::function<void(ByteView)>& fn) override;
  Result<bool> has(ByteView key) override;
  Status put(ByteView key, ByteView value) override;
  Status del(ByteView key) override;
  std::unique_ptr<WriteBatch> new_batch() override;
  Status write(WriteBatch& batch) override;
  std::unique_ptr<Iterator> new_iterator(const IteratorOptions& options) override;
  // An SST-ingestion loader (rocksdb_bulk_loader.cpp).
  Result<std::unique_ptr<BulkLoader>> new_bulk_loader() override;
  Status compact(std::optional<ByteView> begin, std::optional<ByteView> end) override;
  Result<DbStats> stats() override;
  Status close() override;
  std::string_view backend_name() const override { return "rocksdb"; }

  // Null once closed.
  rocksdb::DB* native() const { return db_.get(); }
  const std::filesystem::path& dir() const { return dir_; }
  // Non-ok when closed or read-only.
  Status check_writable() const;

 private:
  std::filesystem::path dir_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions write_options_;
  bool read_only_;
};

}  // namespace klay::kv
