#include "engine/kv/lmdb/lmdb_iterator.h"

#include <algorithm>
#include <cstring>

namespace klay::kv::lmdb_detail {

LmdbIterator::LmdbIterator(std::shared_ptr<LmdbEnv> env, const IteratorOptions& options)
    : env_(std::move(env)), gate_(&env_->gate()), prefix_(options.prefix) {
  if (!env_->try_add_user()) {
    status_ = env_->closed_status();
    return;
  }
  registered_ = true;
  Bytes seek_key = options.prefix;
  append(seek_key, options.start);
  for (;;) {
    pin_owner_ = gate_->pin();
    pinned_ = true;
    if (env_->closed()) {
      status_ = env_->closed_status();
      finish();
      registered_ = false;
      env_->release_user();  // may close the environment now
      return;
    }
    int rc = env_->take_read_txn(&txn_);
    if (rc == MDB_MAP_RESIZED) {
      txn_ = nullptr;
      finish();
      if (Status s = env_->adopt_map_size(); !s) {
        status_ = s;
        return;
      }
      continue;
    }
    if (rc != 0) {
      txn_ = nullptr;
      status_ = lmdb_status(rc, "begin an iterator", env_->dir());
      finish();
      return;
    }
    MDB_val k{}, v{};
    rc = mdb_cursor_open(txn_, env_->dbi(), &cursor_);
    if (rc != 0) {
      cursor_ = nullptr;
      end(rc);
      return;
    }
    rc = seek(seek_key, &k, &v);
    fill(rc, k, v);
    return;
  }
}

LmdbIterator::~LmdbIterator() {
  finish();
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
  const size_t limit = limit_;
  const bool check_prefix = !prefix_.empty();
  size_t n = 0;
  for (;;) {
    if (rc != 0) {
      end_rc_ = rc;
      break;
    }
    const ByteView key = from_val(k);
    if (check_prefix && !starts_with(key, prefix_)) {
      end_rc_ = MDB_NOTFOUND;
      break;
    }
    ahead_[n] = Entry{key, from_val(v)};
    if (++n == limit) break;
    rc = mdb_cursor_get(cursor_, &k, &v, MDB_NEXT);
  }
  limit_ = std::min(limit * 4, kMaxAhead);
  if (n > 0) [[likely]] return set_ahead(n);
  end(end_rc_);
}

void LmdbIterator::end(int rc) {
  if (rc != 0 && rc != MDB_NOTFOUND) status_ = lmdb_status(rc, "iterate", env_->dir());
  set_end();
  finish();  // ends the snapshot early so LMDB can reuse the pages it pinned
}

void LmdbIterator::advance() {
  if (cursor_ == nullptr) [[unlikely]] {  // next() past the end
    set_end();
    return;
  }
  if (end_rc_ != 0) return end(end_rc_);  // the last read-ahead already met the end
  MDB_val k, v;
  const int rc = gate_->pins_wanted() ? step_after_resize(&k, &v) : mdb_cursor_get(cursor_, &k, &v, MDB_NEXT);
  fill(rc, k, v);
}

int LmdbIterator::step_after_resize(MDB_val* k, MDB_val* v) {
  const ByteView current = key();
  resume_key_.assign(current.begin(), current.end());  // the view dies with the old map
  set_end();
  gate_->unpin(pin_owner_);
  pin_owner_ = gate_->pin();  // returns once the resize is done
  // The map may have moved: the cursor's page pointers are stale, the snapshot is not.
  int rc = mdb_cursor_renew(txn_, cursor_);
  if (rc == 0) {
    rc = seek(resume_key_, k, v);
    if (rc == 0 && equal(from_val(*k), resume_key_)) rc = mdb_cursor_get(cursor_, k, v, MDB_NEXT);
  }
  return rc;
}

void LmdbIterator::finish() {
  if (cursor_ != nullptr) mdb_cursor_close(cursor_);
  cursor_ = nullptr;
  if (txn_ != nullptr) env_->give_back_read_txn(txn_);
  txn_ = nullptr;
  if (pinned_) gate_->unpin(pin_owner_);
  pinned_ = false;
}

}  // namespace klay::kv::lmdb_detail
