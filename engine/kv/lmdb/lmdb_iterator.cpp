#include "engine/kv/lmdb/lmdb_iterator.h"

namespace klay::kv::lmdb_detail {

LmdbIterator::LmdbIterator(std::shared_ptr<LmdbEnv> env, const IteratorOptions& options)
    : env_(std::move(env)), prefix_(options.prefix) {
  Bytes seek_key = options.prefix;
  append(seek_key, options.start);
  for (;;) {
    SharedGate guard(env_->gate());
    if (env_->closed()) {
      status_ = env_->closed_status();
      return;
    }
    int rc = env_->acquire_read_txn(&txn_);
    if (rc == MDB_MAP_RESIZED) {
      txn_ = nullptr;
      guard.release();
      if (Status s = env_->adopt_map_size(); !s) {
        status_ = s;
        return;
      }
      continue;
    }
    if (rc != 0) {
      txn_ = nullptr;
      status_ = lmdb_status(rc, "begin an iterator", env_->dir());
      return;
    }
    env_->add_user();
    registered_ = true;
    rc = mdb_cursor_open(txn_, env_->dbi(), &cursor_);
    if (rc != 0) {
      cursor_ = nullptr;
      take(rc, MDB_val{}, MDB_val{});
      return;
    }
    epoch_ = env_->map_epoch();
    MDB_val k{}, v{};
    rc = seek(seek_key, &k, &v);
    take(rc, k, v);
    return;
  }
}

LmdbIterator::~LmdbIterator() {
  {
    SharedGate guard(env_->gate());
    finish();
  }
  if (registered_) env_->release_user();
}

int LmdbIterator::seek(const Bytes& seek_key, MDB_val* k, MDB_val* v) {
  if (seek_key.empty()) return mdb_cursor_get(cursor_, k, v, MDB_FIRST);
  // No stored key is longer than the maximum, so seeking to the truncated key
  // and skipping what sorts before the full one finds the same entry.
  const size_t n = std::min(seek_key.size(), env_->max_key_size());
  MDB_val target{n, const_cast<uint8_t*>(seek_key.data())};
  *k = target;
  int rc = mdb_cursor_get(cursor_, k, v, MDB_SET_RANGE);
  while (rc == 0 && n < seek_key.size() && compare(from_val(*k), seek_key) < 0) {
    rc = mdb_cursor_get(cursor_, k, v, MDB_NEXT);
  }
  return rc;
}

void LmdbIterator::take(int rc, const MDB_val& k, const MDB_val& v) {
  if (rc == 0 && starts_with(from_val(k), prefix_)) {
    const ByteView kv = from_val(k), vv = from_val(v);
    key_.assign(kv.begin(), kv.end());
    value_.assign(vv.begin(), vv.end());
    valid_ = true;
    return;
  }
  if (rc != 0 && rc != MDB_NOTFOUND) status_ = lmdb_status(rc, "iterate", env_->dir());
  valid_ = false;
  key_.clear();
  value_.clear();
  finish();  // ends the snapshot early so LMDB can reuse the pages it pinned
}

void LmdbIterator::next() {
  if (!valid_) return;
  SharedGate guard(env_->gate());
  MDB_val k{}, v{};
  int rc = 0;
  const uint64_t epoch = env_->map_epoch();
  if (epoch != epoch_) {
    // The map moved: the cursor's page pointers are stale, the snapshot is not.
    rc = mdb_cursor_renew(txn_, cursor_);
    if (rc == 0) {
      epoch_ = epoch;
      rc = seek(key_, &k, &v);
      if (rc == 0 && equal(from_val(k), key_)) rc = mdb_cursor_get(cursor_, &k, &v, MDB_NEXT);
    }
  } else {
    rc = mdb_cursor_get(cursor_, &k, &v, MDB_NEXT);
  }
  take(rc, k, v);
}

void LmdbIterator::finish() {
  if (cursor_ != nullptr) mdb_cursor_close(cursor_);
  cursor_ = nullptr;
  if (txn_ != nullptr) env_->release_read_txn(txn_);
  txn_ = nullptr;
}

}  // namespace klay::kv::lmdb_detail
