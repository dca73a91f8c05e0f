// LmdbBulkLoader: the LMDB BulkLoader (bulk_loader.h). Keys are buffered and
// written in large transactions through one cursor; every key greater than
// the last key already stored goes in with MDB_APPEND, which only compares
// against the last key instead of searching the tree and splits full pages at
// the end, so loading into an empty database (convert, migration) is faster
// and gives a slightly denser file than ordinary batches. Keys at or below the stored maximum are
// written as ordinary puts (they overwrite), so the general contract holds.
// Not atomic: each flush commits on its own.
// Internal to engine/kv/lmdb; one thread at a time.
#pragma once

#include <memory>

#include "engine/kv/bulk_loader.h"
#include "engine/kv/lmdb/lmdb_batch.h"
#include "engine/kv/lmdb/lmdb_env.h"

namespace klay::kv::lmdb_detail {

class LmdbBulkLoader final : public BulkLoader {
 public:
  // Flushes whenever `flush_bytes` of keys and values are buffered.
  LmdbBulkLoader(std::shared_ptr<LmdbEnv> env, size_t flush_bytes);

  Status add(ByteView key, ByteView value) override;
  Status finish() override;
  uint64_t count() const override { return count_; }
  bool atomic() const override { return false; }

 private:
  Status flush();

  std::shared_ptr<LmdbEnv> env_;
  size_t flush_bytes_;
  LmdbBatch pending_;
  Bytes last_key_;
  uint64_t count_ = 0;
  bool finished_ = false;
};

}  // namespace klay::kv::lmdb_detail
