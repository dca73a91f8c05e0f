// MergedIterator: one ordered cursor over several iterators whose key sets
// are disjoint (the shards of a ShardedDatabase), by a k-way merge on a heap.
//
// Each input is a snapshot of its own shard taken when it was created; the
// shards' snapshots are not taken atomically together, so a write racing the
// creation may be visible in one shard and not in another.
// An error in any input stops the merge: valid() turns false and status()
// reports that input's error (prefixed with its index). One thread at a time.
#pragma once

#include <memory>
#include <vector>

#include "engine/kv/database.h"

namespace klay::chaindata {

class MergedIterator final : public kv::Iterator {
 public:
  // Takes ownership of the inputs, each positioned on its first matching key.
  explicit MergedIterator(std::vector<std::unique_ptr<kv::Iterator>> inputs);

  void advance() override;
  Status status() const override { return status_; }

 private:
  // Records the heap's front as the current entry, or the end (heap empty or
  // an input failed).
  void settle();
  // Adds input i to the heap if it has a key; records its error otherwise.
  void admit(size_t i);
  bool greater(size_t a, size_t b) const;

  std::vector<std::unique_ptr<kv::Iterator>> inputs_;
  std::vector<size_t> heap_;  // min-heap of input indices by current key
  Status status_;
};

}  // namespace klay::chaindata
