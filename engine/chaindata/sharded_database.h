// ShardedDatabase: the state trie split over N databases of one backend.
//
// Key routing: a key lands in shard key[0] & (N-1) (shard_layout.h); N is a
// power of two in 1..256. Shard i lives in `<dir>/i` (for the memory backend
// the store named `<dir>/i`).
//
// Semantics that differ from a single database — upper layers must assume them:
//  - write(batch) splits nothing itself: a ShardedBatch is already split per
//    shard and each non-empty part is written to its shard in parallel (TBB).
//    Each part is atomic in its shard, the whole is NOT: when write() fails,
//    or the process dies during it, some shards may hold their part and
//    others not. The batch is left unchanged on failure, so the caller may
//    simply write it again (puts and deletes are idempotent). Anything that
//    declares the batch committed (a head pointer, a migration checkpoint)
//    must be written elsewhere only after write() returned ok.
//  - Iteration merges the shards in key order. With a non-empty prefix only
//    the prefix's own shard is read (every matching key starts with the
//    prefix's first byte). Without a prefix the shards' snapshots are taken
//    one after another, not atomically (merged_iterator.h).
//  - compact() runs on all shards in parallel; stats() sums them and lists
//    each shard in `details`; close() closes every shard.
//  - backend_name() is the shards' backend ("leveldb", ...).
//
// Threading: as kv::Database: many readers and one writer at a time (each
// shard then sees one writer, from the TBB worker writing its part).
// Ownership: owns its shards; REQUIRES every batch and iterator it created to
// be destroyed before it is closed or destroyed.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <vector>

#include "engine/kv/database.h"
#include "engine/kv/options.h"

namespace klay::chaindata {

class ShardedDatabase final : public kv::Database {
 public:
  // Opens (creating unless options.read_only) `num_shards` shards in
  // `dir/0..num_shards-1`, opening them in parallel. `shard_options` apply to
  // each shard as given (see chaindata::shard_options for splitting a budget).
  // Fails with InvalidArgument when num_shards is not a power of two in
  // 1..256 or when `dir` already holds another shard count (on-disk backends;
  // a memory store leaves no evidence to check), and with the failing shard's
  // own error, prefixed by its path, when a shard cannot be opened. Nothing
  // stays open on failure.
  static Result<std::unique_ptr<ShardedDatabase>> open(kv::Backend backend, const std::filesystem::path& dir,
                                                       uint32_t num_shards, const kv::Options& shard_options);

  // Wraps already-open databases as shards 0..N-1 (tests, tools).
  // REQUIRES: none is null. InvalidArgument unless N is a power of two in 1..256.
  static Result<std::unique_ptr<ShardedDatabase>> from_shards(std::vector<std::unique_ptr<kv::Database>> shards);

  ~ShardedDatabase() override;

  uint32_t num_shards() const { return static_cast<uint32_t>(shards_.size()); }
  // REQUIRES: i < num_shards().
  kv::Database& shard(uint32_t i) { return *shards_[i]; }

  Status get(ByteView key, Bytes* value) override;
  Status get_view(ByteView key, const std::function<void(ByteView)>& fn) override;
  Result<bool> has(ByteView key) override;
  Status put(ByteView key, ByteView value) override;
  Status del(ByteView key) override;

  // Returns a ShardedBatch.
  std::unique_ptr<kv::WriteBatch> new_batch() override;
  // REQUIRES: batch came from this database's new_batch() (else InvalidArgument).
  Status write(kv::WriteBatch& batch) override;

  std::unique_ptr<kv::Iterator> new_iterator(const kv::IteratorOptions& options = {}) override;
  // One loader per shard, created on first use; keys must still arrive in
  // strictly increasing order overall. Not atomic across shards.
  Result<std::unique_ptr<kv::BulkLoader>> new_bulk_loader() override;

  Status compact(std::optional<ByteView> begin = std::nullopt,
                 std::optional<ByteView> end = std::nullopt) override;
  Result<kv::DbStats> stats() override;
  Status close() override;
  std::string_view backend_name() const override { return shards_.front()->backend_name(); }

 private:
  explicit ShardedDatabase(std::vector<std::unique_ptr<kv::Database>> shards) : shards_(std::move(shards)) {}
  kv::Database& route(ByteView key) { return *shards_[shard_of(key)]; }
  uint32_t shard_of(ByteView key) const;

  std::vector<std::unique_ptr<kv::Database>> shards_;
  std::atomic<bool> closed_{false};
};

}  // namespace klay::chaindata
