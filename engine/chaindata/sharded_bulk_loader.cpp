#include "engine/chaindata/sharded_bulk_loader.h"

#include <tbb/parallel_for.h>

#include <string>

#include "engine/chaindata/shard_layout.h"

namespace klay::chaindata {

ShardedBulkLoader::ShardedBulkLoader(std::vector<kv::Database*> shards)
    : shards_(std::move(shards)), loaders_(shards_.size()) {}

Status ShardedBulkLoader::add(ByteView key, ByteView value) {
  if (finished_) return Status::invalid_argument("the bulk loader is already finished");
  if (key.empty()) return Status::invalid_argument("a bulk-loaded key must not be empty");
  if (count_ > 0 && compare(key, last_key_) <= 0) {
    return Status::invalid_argument("bulk-loaded keys must arrive in strictly increasing order");
  }
  const uint32_t i = shard_index(key, static_cast<uint32_t>(shards_.size()));
  if (!loaders_[i]) {
    auto loader = kv::new_bulk_loader(*shards_[i]);
    if (!loader) return with_context(loader.status(), "shard " + std::to_string(i));
    loaders_[i] = std::move(loader.value());
  }
  if (Status s = loaders_[i]->add(key, value); !s) return with_context(s, "shard " + std::to_string(i));
  last_key_.assign(key.begin(), key.end());
  ++count_;
  return Status::ok();
}

Status ShardedBulkLoader::finish() {
  if (finished_) return Status::invalid_argument("the bulk loader is already finished");
  finished_ = true;
  std::vector<Status> statuses(loaders_.size());
  tbb::parallel_for(size_t{0}, loaders_.size(), [&](size_t i) {
    if (loaders_[i]) statuses[i] = loaders_[i]->finish();
  });
  for (size_t i = 0; i < statuses.size(); ++i) {
    if (!statuses[i]) return with_context(statuses[i], "shard " + std::to_string(i));
  }
  return Status::ok();
}

}  // namespace klay::chaindata
