// ShardedBulkLoader: a kv::BulkLoader over the shards of a ShardedDatabase.
//
// Globally increasing keys are increasing within each shard too, so each key
// goes to its shard's own loader (created on the shard's first key). finish()
// finishes the shard loaders in parallel. Never atomic: after a failed
// finish() some shards may hold their part; rerunning the load is safe.
// One thread at a time; REQUIRES the shards to outlive the loader.
#pragma once

#include <memory>
#include <vector>

#include "engine/kv/bulk_loader.h"

namespace klay::chaindata {

class ShardedBulkLoader final : public kv::BulkLoader {
 public:
  // REQUIRES: shards.size() is a power of two in 1..256; none is null.
  explicit ShardedBulkLoader(std::vector<kv::Database*> shards);

  Status add(ByteView key, ByteView value) override;
  Status finish() override;
  uint64_t count() const override { return count_; }
  bool atomic() const override { return false; }

 private:
  std::vector<kv::Database*> shards_;
  std::vector<std::unique_ptr<kv::BulkLoader>> loaders_;
  Bytes last_key_;
  uint64_t count_ = 0;
  bool finished_ = false;
};

}  // namespace klay::chaindata
