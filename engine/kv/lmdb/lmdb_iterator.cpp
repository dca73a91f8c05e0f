#include "engine/kv/lmdb/lmdb_iterator.h"

#include <algorithm>
#include <cstring>

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
      fill(rc, MDB_val{}, MDB_val{});
      return;
    }
    epoch_ = env_->map_epoch();
    MDB_val k{}, v{};
    rc = seek(seek_key, &k, &v);
    fill(rc, k, v);
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

int LmdbIterator::seek(ByteView seek_key, MDB_val* k, MDB_val* v) {
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

void LmdbIterator::fill(int rc, MDB_val k, MDB_val v) {
  buffer_size_ = 0;
  entries_.clear();
  pos_ = 0;
  for (;;) {
    if (rc != 0 || !starts_with(from_val(k), prefix_)) {
      if (rc != 0 && rc != MDB_NOTFOUND) status_ = lmdb_status(rc, "iterate", env_->dir());
      at_end_ = true;
      finish();  // ends the snapshot early so LMDB can reuse the pages it pinned
      break;
    }
    const size_t at = buffer_size_;
    if (buffer_capacity_ - at < k.mv_size + v.mv_size) buffer_grow(k.mv_size + v.mv_size);
    if (k.mv_size != 0) std::memcpy(buffer_.get() + at, k.mv_data, k.mv_size);
    if (v.mv_size != 0) std::memcpy(buffer_.get() + at + k.mv_size, v.mv_data, v.mv_size);
    buffer_size_ = at + k.mv_size + v.mv_size;
    entries_.push_back(Entry{at, k.mv_size, at + k.mv_size, v.mv_size});
    if (entries_.size() >= batch_limit_ || buffer_size_ >= kMaxBatchBytes) break;
    rc = mdb_cursor_get(cursor_, &k, &v, MDB_NEXT);
  }
  batch_limit_ = std::min(batch_limit_ * 4, kMaxBatchEntries);
  show();
}

void LmdbIterator::buffer_grow(size_t more) {
  const size_t capacity = std::max({buffer_capacity_ * 2, buffer_size_ + more, size_t{4096}});
  auto grown = std::make_unique_for_overwrite<uint8_t[]>(capacity);
  if (buffer_size_ != 0) std::memcpy(grown.get(), buffer_.get(), buffer_size_);
  buffer_ = std::move(grown);
  buffer_capacity_ = capacity;
}

void LmdbIterator::show() {
  if (pos_ < entries_.size()) {
    const Entry& e = entries_[pos_];
    key_ = ByteView(buffer_.get() + e.key_at, e.key_size);
    value_ = ByteView(buffer_.get() + e.value_at, e.value_size);
  } else {
    key_ = {};
    value_ = {};
  }
}

void LmdbIterator::next() {
  if (!valid()) return;
  if (++pos_ < entries_.size()) {
    show();
    return;
  }
  if (at_end_) {
    buffer_size_ = 0;
    entries_.clear();
    pos_ = 0;
    show();
    return;
  }
  SharedGate guard(env_->gate());
  MDB_val k{}, v{};
  int rc = 0;
  const uint64_t epoch = env_->map_epoch();
  if (epoch != epoch_) {
    // The map moved: the cursor's page pointers are stale, the snapshot is not.
    const Entry& last = entries_.back();
    resume_key_.assign(buffer_.get() + last.key_at, buffer_.get() + last.key_at + last.key_size);
    rc = mdb_cursor_renew(txn_, cursor_);
    if (rc == 0) {
      epoch_ = epoch;
      rc = seek(resume_key_, &k, &v);
      if (rc == 0 && equal(from_val(k), resume_key_)) rc = mdb_cursor_get(cursor_, &k, &v, MDB_NEXT);
    }
  } else {
    rc = mdb_cursor_get(cursor_, &k, &v, MDB_NEXT);
  }
  fill(rc, k, v);
}

void LmdbIterator::finish() {
  if (cursor_ != nullptr) mdb_cursor_close(cursor_);
  cursor_ = nullptr;
  if (txn_ != nullptr) env_->release_read_txn(txn_);
  txn_ = nullptr;
}

}  // namespace klay::kv::lmdb_detail
