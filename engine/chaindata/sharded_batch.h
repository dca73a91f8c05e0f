// ShardedBatch: a write batch of a ShardedDatabase, split per shard as it is filled.
//
// It holds one native batch per shard (created by that shard's database) and
// a log of which shard received each operation (one byte per operation), so
// replay() yields the operations in their original insertion order.
// count() is the number of operations; value_bytes() the sum over shards, so a
// caller flushing at kIdealBatchSize flushes after ~100 KiB in total (the
// reference reports the largest shard's size instead, which lets its batches
// grow up to N times larger before a flush).
//
// Created by ShardedDatabase::new_batch(); owned by the caller; one thread at
// a time. REQUIRES: the database that created it outlives it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/kv/database.h"

namespace klay::chaindata {

class ShardedDatabase;

class ShardedBatch final : public kv::WriteBatch {
 public:
  // REQUIRES: parts.size() is a power of two in 1..256, parts[i] created by shard i of owner.
  ShardedBatch(const ShardedDatabase* owner, std::vector<std::unique_ptr<kv::WriteBatch>> parts);

  void put(ByteView key, ByteView value) override;
  void del(ByteView key) override;
  size_t count() const override { return order_.size(); }
  size_t value_bytes() const override;
  void clear() override;
  void replay(kv::BatchHandler& handler) const override;

  const ShardedDatabase* owner() const { return owner_; }
  uint32_t num_parts() const { return static_cast<uint32_t>(parts_.size()); }
  // The native batch of shard i (what ShardedDatabase::write hands to that shard).
  kv::WriteBatch& part(uint32_t i) { return *parts_[i]; }
  const kv::WriteBatch& part(uint32_t i) const { return *parts_[i]; }

 private:
  const ShardedDatabase* owner_;
  std::vector<std::unique_ptr<kv::WriteBatch>> parts_;
  std::vector<uint8_t> order_;  // shard of each operation, in insertion order
};

}  // namespace klay::chaindata
