// LmdbBatch: the WriteBatch of the LMDB backend, an in-memory ordered log of
// puts and deletes kept in one byte arena. Nothing touches the database until
// LmdbDatabase::write applies the log in one transaction.
// Internal to engine/kv/lmdb. Not thread-safe (one thread at a time).
#pragma once

#include <cstddef>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/kv/database.h"

namespace klay::kv::lmdb_detail {

class LmdbBatch final : public WriteBatch {
 public:
  void put(ByteView key, ByteView value) override;
  void del(ByteView key) override;
  size_t count() const override { return ops_.size(); }
  size_t value_bytes() const override { return payload_bytes_; }
  void clear() override;
  void replay(BatchHandler& handler) const override;

 private:
  struct Op {
    bool is_put;
    size_t offset;  // key bytes start here in arena_, value bytes follow
    size_t key_size;
    size_t value_size;
  };
  std::vector<Op> ops_;
  Bytes arena_;
  size_t payload_bytes_ = 0;
};

}  // namespace klay::kv::lmdb_detail
