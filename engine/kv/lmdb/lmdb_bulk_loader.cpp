#include "engine/kv/lmdb/lmdb_bulk_loader.h"

#include <string>

namespace klay::kv::lmdb_detail {
namespace {

// Writes the buffered puts through one cursor: appending beyond the stored
// maximum, overwriting below it.
class AppendWriter final : public BatchHandler {
 public:
  AppendWriter(MDB_cursor* cursor, const Bytes* stored_max) : cursor_(cursor), stored_max_(stored_max) {}
  void put(ByteView key, ByteView value) override {
    if (rc != 0) return;
    const bool append = stored_max_ == nullptr || compare(key, *stored_max_) > 0;
    MDB_val k = to_val(key), v = to_val(value);
    rc = mdb_cursor_put(cursor_, &k, &v, append ? MDB_APPEND : 0);
  }
  void del(ByteView) override {}  // the loader buffers puts only
  int rc = 0;

 private:
  MDB_cursor* cursor_;
  const Bytes* stored_max_;
};

}  // namespace

LmdbBulkLoader::LmdbBulkLoader(std::shared_ptr<LmdbEnv> env, size_t flush_bytes)
    : env_(std::move(env)), flush_bytes_(flush_bytes) {}

Status LmdbBulkLoader::add(ByteView key, ByteView value) {
  if (finished_) return Status::invalid_argument("the bulk loader has already finished");
  if (Status s = env_->check_key(key); !s) return s;
  if (count_ > 0 && compare(key, last_key_) <= 0) {
    return Status::invalid_argument("bulk-loaded keys must be strictly increasing; got 0x" + to_hex(key) +
                                    " after 0x" + to_hex(last_key_));
  }
  last_key_.assign(key.begin(), key.end());
  pending_.put(key, value);
  ++count_;
  if (pending_.value_bytes() >= flush_bytes_) return flush();
  return Status::ok();
}

Status LmdbBulkLoader::finish() {
  if (finished_) return Status::invalid_argument("the bulk loader has already finished");
  finished_ = true;
  return flush();
}

Status LmdbBulkLoader::flush() {
  if (pending_.count() == 0) return Status::ok();
  Status s = env_->write(
      [&](MDB_txn* txn) {
        MDB_cursor* cursor = nullptr;
        int rc = mdb_cursor_open(txn, env_->dbi(), &cursor);
        if (rc != 0) return rc;
        MDB_val k{}, v{};
        rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST);
        // Copied: later puts in this transaction may rewrite the page it points into.
        Bytes stored_max;
        if (rc == 0) stored_max = to_bytes(from_val(k));
        if (rc == 0 || rc == MDB_NOTFOUND) {
          AppendWriter writer(cursor, rc == 0 ? &stored_max : nullptr);
          pending_.replay(writer);
          rc = writer.rc;
        }
        mdb_cursor_close(cursor);
        return rc;
      },
      "bulk-load sorted keys");
  if (s) pending_.clear();
  return s;
}

}  // namespace klay::kv::lmdb_detail
