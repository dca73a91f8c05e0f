#include "engine/chaindata/sharded_database.h"

#include <tbb/parallel_for.h>

#include <string>
#include <system_error>

#include "engine/chaindata/config.h"
#include "engine/chaindata/merged_iterator.h"
#include "engine/chaindata/shard_layout.h"
#include "engine/chaindata/sharded_batch.h"
#include "engine/chaindata/sharded_bulk_loader.h"
#include "engine/kv/bulk_loader.h"
#include "engine/kv/open.h"

namespace klay::chaindata {

namespace fs = std::filesystem;

namespace {

// The first non-ok status in shard order, prefixed with its shard, or ok.
Status first_error(const std::vector<Status>& statuses) {
  for (size_t i = 0; i < statuses.size(); ++i) {
    if (!statuses[i]) return with_context(statuses[i], "shard " + std::to_string(i));
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<ShardedDatabase>> ShardedDatabase::open(kv::Backend backend, const fs::path& dir,
                                                               uint32_t num_shards,
                                                               const kv::Options& shard_options) {
  if (Status s = validate_num_statetrie_shards(num_shards); !s) return s;
  if (backend != kv::Backend::kMemory) {
    if (Status s = check_shard_layout(dir, num_shards, dir.filename().string()); !s) return s;
    if (!shard_options.read_only) {
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec) return Status::io_error("cannot create " + dir.string() + ": " + ec.message());
    }
  }
  std::vector<std::unique_ptr<kv::Database>> shards(num_shards);
  std::vector<Status> statuses(num_shards);
  tbb::parallel_for(uint32_t{0}, num_shards, [&](uint32_t i) {
    auto db = kv::open_database(backend, dir / shard_dir_name(i), shard_options);
    if (db) {
      shards[i] = std::move(db.value());
    } else {
      statuses[i] = db.status();
    }
  });
  for (uint32_t i = 0; i < num_shards; ++i) {
    if (statuses[i]) continue;
    for (auto& s : shards) {
      if (s) (void)s->close();
    }
    return statuses[i];  // already names the shard's directory
  }
  return std::unique_ptr<ShardedDatabase>(new ShardedDatabase(std::move(shards)));
}

Result<std::unique_ptr<ShardedDatabase>> ShardedDatabase::from_shards(
    std::vector<std::unique_ptr<kv::Database>> shards) {
  if (Status s = validate_num_statetrie_shards(shards.size()); !s) return s;
  return std::unique_ptr<ShardedDatabase>(new ShardedDatabase(std::move(shards)));
}

ShardedDatabase::~ShardedDatabase() { (void)close(); }

uint32_t ShardedDatabase::shard_of(ByteView key) const { return shard_index(key, num_shards()); }

Status ShardedDatabase::get(ByteView key, Bytes* value) { return route(key).get(key, value); }

Status ShardedDatabase::get_view(ByteView key, const std::function<void(ByteView)>& fn) {
  return route(key).get_view(key, fn);
}

Result<bool> ShardedDatabase::has(ByteView key) { return route(key).has(key); }

Status ShardedDatabase::put(ByteView key, ByteView value) { return route(key).put(key, value); }

Status ShardedDatabase::del(ByteView key) { return route(key).del(key); }

std::unique_ptr<kv::WriteBatch> ShardedDatabase::new_batch() {
  std::vector<std::unique_ptr<kv::WriteBatch>> parts;
  parts.reserve(shards_.size());
  for (auto& s : shards_) parts.push_back(s->new_batch());
  return std::make_unique<ShardedBatch>(this, std::move(parts));
}

Status ShardedDatabase::write(kv::WriteBatch& batch) {
  auto* sharded = dynamic_cast<ShardedBatch*>(&batch);
  if (sharded == nullptr || sharded->owner() != this) {
    return Status::invalid_argument("the batch was not created by this sharded database");
  }
  std::vector<uint32_t> busy;
  for (uint32_t i = 0; i < num_shards(); ++i) {
    if (sharded->part(i).count() > 0) busy.push_back(i);
  }
  if (busy.empty()) return Status::ok();
  if (busy.size() == 1) {
    const uint32_t i = busy.front();
    Status s = shards_[i]->write(sharded->part(i));
    return s ? s : with_context(s, "shard " + std::to_string(i));
  }
  std::vector<Status> statuses(num_shards());
  tbb::parallel_for(size_t{0}, busy.size(), [&](size_t k) {
    const uint32_t i = busy[k];
    statuses[i] = shards_[i]->write(sharded->part(i));
  });
  return first_error(statuses);
}

std::unique_ptr<kv::Iterator> ShardedDatabase::new_iterator(const kv::IteratorOptions& options) {
  if (!options.prefix.empty()) return route(options.prefix).new_iterator(options);
  std::vector<std::unique_ptr<kv::Iterator>> inputs;
  inputs.reserve(shards_.size());
  for (auto& s : shards_) inputs.push_back(s->new_iterator(options));
  return std::make_unique<MergedIterator>(std::move(inputs));
}

Result<std::unique_ptr<kv::BulkLoader>> ShardedDatabase::new_bulk_loader() {
  std::vector<kv::Database*> shards;
  for (auto& s : shards_) shards.push_back(s.get());
  return std::unique_ptr<kv::BulkLoader>(std::make_unique<ShardedBulkLoader>(std::move(shards)));
}

Status ShardedDatabase::compact(std::optional<ByteView> begin, std::optional<ByteView> end) {
  std::vector<Status> statuses(num_shards());
  tbb::parallel_for(uint32_t{0}, num_shards(), [&](uint32_t i) { statuses[i] = shards_[i]->compact(begin, end); });
  return first_error(statuses);
}

Result<kv::DbStats> ShardedDatabase::stats() {
  kv::DbStats total;
  total.backend = std::string(backend_name());
  total.details = std::to_string(num_shards()) + " shards";
  for (uint32_t i = 0; i < num_shards(); ++i) {
    auto st = shards_[i]->stats();
    if (!st) return with_context(st.status(), "shard " + std::to_string(i));
    total.disk_bytes += st->disk_bytes;
    total.estimated_keys += st->estimated_keys;
    total.details += "\nshard " + std::to_string(i) + ": " + std::to_string(st->disk_bytes) + " bytes, ~" +
                     std::to_string(st->estimated_keys) + " keys";
    if (!st->details.empty()) total.details += "; " + st->details;
  }
  return total;
}

Status ShardedDatabase::close() {
  if (closed_.exchange(true)) return Status::ok();
  std::vector<Status> statuses(num_shards());
  for (uint32_t i = 0; i < num_shards(); ++i) statuses[i] = shards_[i]->close();
  return first_error(statuses);
}

}  // namespace klay::chaindata
