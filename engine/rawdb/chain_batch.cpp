#include "engine/rawdb/chain_batch.h"

#include <string>

#include "engine/rawdb/read_util.h"
#include "engine/rawdb/schema.h"

namespace klay::rawdb {

using chaindata::EntryType;

namespace {

kv::Database* open_db(const chaindata::DBManager& dbm, EntryType type) { return dbm.find(type); }

Status not_open(EntryType type) {
  return Status::invalid_argument("the " + std::string(chaindata::entry_type_name(type)) +
                                  " database is not open");
}

Status with_type(const Status& s, EntryType type) {
  return s.is_ok() ? s : with_context(s, chaindata::entry_type_name(type));
}

// Written in this order by commit(); heads follow all of them.
constexpr std::array<EntryType, chaindata::kEntryTypeCount> kCommitOrder = {
    EntryType::kStateTrie, EntryType::kStateTrieMigration, EntryType::kBody,
    EntryType::kReceipts,  EntryType::kTxLookup,           EntryType::kHeader,
    EntryType::kBridgeService, EntryType::kSnapshot,       EntryType::kMisc};

}  // namespace

Status DirectWriter::put(EntryType type, ByteView key, ByteView value) {
  kv::Database* db = open_db(dbm_, type);
  if (!db) return not_open(type);
  return with_type(db->put(key, value), type);
}

Status DirectWriter::del(EntryType type, ByteView key) {
  kv::Database* db = open_db(dbm_, type);
  if (!db) return not_open(type);
  return with_type(db->del(key), type);
}

Status DirectWriter::put_head(ByteView key, ByteView value) { return put(kHeaderDb, key, value); }

ChainBatch::ChainBatch(const chaindata::DBManager& dbm, size_t flush_bytes)
    : dbm_(dbm), flush_bytes_(flush_bytes) {}

ChainBatch::~ChainBatch() = default;

Result<kv::WriteBatch*> ChainBatch::batch_for(EntryType type) {
  auto& slot = batches_[chaindata::index_of(type)];
  if (!slot) {
    kv::Database* db = open_db(dbm_, type);
    if (!db) return not_open(type);
    slot = db->new_batch();
  }
  return slot.get();
}

Status ChainBatch::write_one(EntryType type, kv::WriteBatch& batch) {
  if (batch.count() == 0) return Status::ok();
  kv::Database* db = open_db(dbm_, type);
  if (!db) return not_open(type);
  if (auto s = db->write(batch); !s) return with_type(s, type);
  batch.clear();
  return Status::ok();
}

Status ChainBatch::put(EntryType type, ByteView key, ByteView value) {
  auto b = batch_for(type);
  if (!b) return b.status();
  (*b)->put(key, value);
  if ((*b)->value_bytes() < flush_bytes_) return Status::ok();
  ++early_flushes_;
  return write_one(type, **b);
}

Status ChainBatch::del(EntryType type, ByteView key) {
  auto b = batch_for(type);
  if (!b) return b.status();
  (*b)->del(key);
  if ((*b)->value_bytes() < flush_bytes_) return Status::ok();
  ++early_flushes_;
  return write_one(type, **b);
}

Status ChainBatch::put_head(ByteView key, ByteView value) {
  if (!heads_) {
    kv::Database* db = open_db(dbm_, kHeaderDb);
    if (!db) return not_open(kHeaderDb);
    heads_ = db->new_batch();
  }
  heads_->put(key, value);  // never flushed early: heads wait for commit()
  return Status::ok();
}

Status ChainBatch::commit() {
  for (EntryType type : kCommitOrder) {
    auto& slot = batches_[chaindata::index_of(type)];
    if (slot) {
      if (auto s = write_one(type, *slot); !s) return s;
    }
  }
  if (heads_) return write_one(kHeaderDb, *heads_);
  return Status::ok();
}

size_t ChainBatch::pending_count() const {
  size_t n = heads_ ? heads_->count() : 0;
  for (const auto& b : batches_)
    if (b) n += b->count();
  return n;
}

size_t ChainBatch::pending_bytes() const {
  size_t n = heads_ ? heads_->value_bytes() : 0;
  for (const auto& b : batches_)
    if (b) n += b->value_bytes();
  return n;
}

}  // namespace klay::rawdb
