// The two sides engine_vs_raw_bench compares: our kv::Database (EngineSide)
// and each backend's own C/C++ API called directly (RawLevelDB, RawRocksDB,
// RawLmdb), opened with the options our engine derives from a default
// kv::Options, so the difference between a pair is our layer only.
//
// Every side offers the same five calls:
//   put(key, value)                 one write, no batch
//   batch_put(key, value); commit() one atomic batch (LMDB: one write txn)
//   get(key) -> kFound/kAbsent/kFailed, the value copied out
//   scan() -> keys visited by a forward scan of everything (~0 on error);
//             every key and value byte is read once (consume()), as a real
//             caller would, on both sides

// and `error` (empty when the last call succeeded or the open worked).
// This header includes backend headers on purpose: it measures the wrapper.
// Not thread-safe; one side per benchmark run.
#pragma once

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>
#include <lmdb.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/kv/lmdb/lmdb_database.h"
#include "engine/kv/open.h"
#include "engine/kv/rocksdb/rocksdb_logger.h"
#include "engine/kv/rocksdb/rocksdb_options.h"

namespace klay::kv::bench {

namespace fs = std::filesystem;

enum class GetResult { kFound, kAbsent, kFailed };

inline const char* as_chars(ByteView b) { return reinterpret_cast<const char*>(b.data()); }

// Reads every byte of an entry a scan visits (a sum of 8-byte words), the
// same way on every side: a scan that never looked at the bytes would
// measure pointer hand-outs, not reading.
inline uint64_t consume(const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint64_t sum = size;
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    sum += w;
  }
  for (; i < size; ++i) sum += p[i];
  return sum;
}

// Creates dir; on failure sets *error and returns false.
inline bool make_dir(const fs::path& dir, std::string* error) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) *error = "cannot create " + dir.string() + ": " + ec.message();
  return !ec;
}

template <Backend B>
struct EngineSide {
  explicit EngineSide(const fs::path& dir) {
    auto opened = open_database(B, dir);
    if (!opened) {
      error = opened.status().to_string();
      return;
    }
    db = std::move(*opened);
    batch = db->new_batch();
  }
  bool put(ByteView k, ByteView v) { return check(db->put(k, v)); }
  void batch_put(ByteView k, ByteView v) { batch->put(k, v); }
  bool commit() {
    const bool ok = check(db->write(*batch));
    batch->clear();
    return ok;
  }
  GetResult get(ByteView k) {
    Status s = db->get(k, &value);
    if (s) return GetResult::kFound;
    if (s.is_not_found()) return GetResult::kAbsent;
    error = s.to_string();
    return GetResult::kFailed;
  }
  uint64_t scan() {
    uint64_t n = 0, bytes = 0;
    auto it = db->new_iterator();
    for (; it->valid(); it->next(), ++n) {
      const ByteView k = it->key(), v = it->value();
      bytes += consume(k.data(), k.size()) + consume(v.data(), v.size());
    }
    if (!check(it->status())) return 0;
    benchmark_sink = bytes;
    return n;
  }
  bool check(const Status& s) {
    if (!s) error = s.to_string();
    return static_cast<bool>(s);
  }

  std::unique_ptr<Database> db;  // destroyed after batch (declared first)
  std::unique_ptr<WriteBatch> batch;
  Bytes value;
  uint64_t benchmark_sink = 0;
  std::string error;
};

// The options open_leveldb() derives from a default kv::Options
// (engine/kv/leveldb/leveldb_database.cpp).
struct RawLevelDB {
  explicit RawLevelDB(const fs::path& dir) {
    const Options defaults;
    const uint64_t half = std::max<uint64_t>(defaults.cache_bytes / 2, 16ull << 20);
    cache.reset(leveldb::NewLRUCache(half));
    filter.reset(leveldb::NewBloomFilterPolicy(defaults.bloom_bits_per_key));
    leveldb::Options o;
    o.create_if_missing = true;
    o.block_cache = cache.get();
    o.write_buffer_size = half;
    o.filter_policy = filter.get();
    o.max_file_size = defaults.table_size_bytes;
    o.max_open_files = defaults.max_open_files;
    o.compression = leveldb::kSnappyCompression;
    if (!make_dir(dir, &error)) return;
    leveldb::DB* raw = nullptr;
    if (!check(leveldb::DB::Open(o, dir.string(), &raw))) return;
    db.reset(raw);
  }
  bool put(ByteView k, ByteView v) {
    return check(db->Put(leveldb::WriteOptions(), {as_chars(k), k.size()}, {as_chars(v), v.size()}));
  }
  void batch_put(ByteView k, ByteView v) { batch.Put({as_chars(k), k.size()}, {as_chars(v), v.size()}); }
  bool commit() {
    const bool ok = check(db->Write(leveldb::WriteOptions(), &batch));
    batch.Clear();
    return ok;
  }
  GetResult get(ByteView k) {
    leveldb::Status s = db->Get(leveldb::ReadOptions(), {as_chars(k), k.size()}, &value);
    if (s.ok()) return GetResult::kFound;
    if (s.IsNotFound()) return GetResult::kAbsent;
    error = s.ToString();
    return GetResult::kFailed;
  }
  uint64_t scan() {
    uint64_t n = 0, bytes = 0;
    std::unique_ptr<leveldb::Iterator> it(db->NewIterator(leveldb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++n) {
      const auto k = it->key(), v = it->value();
      bytes += consume(k.data(), k.size()) + consume(v.data(), v.size());
    }
    if (!check(it->status())) return 0;
    benchmark_sink = bytes;
    return n;
  }
  bool check(const leveldb::Status& s) {
    if (!s.ok()) error = s.ToString();
    return s.ok();
  }

  std::unique_ptr<leveldb::Cache> cache;
  std::unique_ptr<const leveldb::FilterPolicy> filter;
  std::unique_ptr<leveldb::DB> db;  // destroyed before the cache and filter
  leveldb::WriteBatch batch;
  std::string value;
  uint64_t benchmark_sink = 0;
  std::string error;
};

// The options open_rocksdb() uses (make_rocksdb_options + our info logger).
struct RawRocksDB {
  explicit RawRocksDB(const fs::path& dir) {
    auto o = make_rocksdb_options(Options{});
    if (!o) {
      error = o.status().to_string();
      return;
    }
    if (!make_dir(dir, &error)) return;
    o->info_log = new_rocksdb_logger(dir);
    rocksdb::DB* raw = nullptr;
    if (!check(rocksdb::DB::Open(*o, dir.string(), &raw))) return;
    db.reset(raw);
  }
  bool put(ByteView k, ByteView v) {
    return check(db->Put(rocksdb::WriteOptions(), {as_chars(k), k.size()}, {as_chars(v), v.size()}));
  }
  void batch_put(ByteView k, ByteView v) {
    (void)batch.Put({as_chars(k), k.size()}, {as_chars(v), v.size()});
  }
  bool commit() {
    const bool ok = check(db->Write(rocksdb::WriteOptions(), &batch));
    batch.Clear();
    return ok;
  }
  GetResult get(ByteView k) {
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), {as_chars(k), k.size()}, &value);
    if (s.ok()) return GetResult::kFound;
    if (s.IsNotFound()) return GetResult::kAbsent;
    error = s.ToString();
    return GetResult::kFailed;
  }
  uint64_t scan() {
    uint64_t n = 0, bytes = 0;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++n) {
      const auto k = it->key(), v = it->value();
      bytes += consume(k.data(), k.size()) + consume(v.data(), v.size());
    }
    if (!check(it->status())) return 0;
    benchmark_sink = bytes;
    return n;
  }
  bool check(const rocksdb::Status& s) {
    if (!s.ok()) error = s.ToString();
    return s.ok();
  }

  std::unique_ptr<rocksdb::DB> db;
  rocksdb::WriteBatch batch;
  std::string value;
  uint64_t benchmark_sink = 0;
  std::string error;
};

// liblmdb with the environment settings of engine/kv/lmdb/lmdb_env.cpp
// (MDB_NOTLS | MDB_NORDAHEAD | MDB_NOSYNC, a map of the engine's default
// reservation, 1 TiB, 1024 readers). Reads reuse one read transaction
// (mdb_txn_renew / mdb_txn_reset), the usual fast path and what the engine's
// seats do; the scan is one cursor, like the engine's iterator.
struct RawLmdb {
  explicit RawLmdb(const fs::path& dir) {
    if (!make_dir(dir, &error)) return;
    int rc = mdb_env_create(&env);
    if (rc != 0) {
      env = nullptr;
      fail(rc);
      return;
    }
    const Options defaults;
    rc = mdb_env_set_maxreaders(env, 1024);
    if (rc == 0) rc = mdb_env_set_mapsize(env, std::max(defaults.lmdb_initial_map_bytes, LmdbTuning{}.map_reserve_bytes));
    if (rc == 0) rc = mdb_env_open(env, dir.c_str(), MDB_NOTLS | MDB_NORDAHEAD | MDB_NOSYNC, 0644);
    if (rc == ENOMEM || rc == EINVAL) {  // no room for the reservation (valgrind): what the engine does
      mdb_env_close(env);
      rc = mdb_env_create(&env);
      if (rc == 0) rc = mdb_env_set_maxreaders(env, 1024);
      if (rc == 0) rc = mdb_env_set_mapsize(env, defaults.lmdb_initial_map_bytes);
      if (rc == 0) rc = mdb_env_open(env, dir.c_str(), MDB_NOTLS | MDB_NORDAHEAD | MDB_NOSYNC, 0644);
    }
    MDB_txn* txn = nullptr;
    if (rc == 0) rc = mdb_txn_begin(env, nullptr, 0, &txn);
    if (rc == 0) {
      rc = mdb_dbi_open(txn, nullptr, 0, &dbi);
      rc = rc == 0 ? mdb_txn_commit(txn) : (mdb_txn_abort(txn), rc);
    }
    if (rc == 0) rc = mdb_txn_begin(env, nullptr, MDB_RDONLY, &read_txn);
    if (rc == 0) mdb_txn_reset(read_txn);
    if (rc != 0) fail(rc);
  }
  ~RawLmdb() {
    if (read_txn != nullptr) mdb_txn_abort(read_txn);
    if (env != nullptr) mdb_env_close(env);
  }
  RawLmdb(const RawLmdb&) = delete;
  RawLmdb& operator=(const RawLmdb&) = delete;

  bool put(ByteView k, ByteView v) {
    MDB_txn* txn = nullptr;
    int rc = mdb_txn_begin(env, nullptr, 0, &txn);
    if (rc != 0) return fail(rc);
    MDB_val key = val(k), value = val(v);
    rc = mdb_put(txn, dbi, &key, &value, 0);
    if (rc != 0) {
      mdb_txn_abort(txn);
      return fail(rc);
    }
    rc = mdb_txn_commit(txn);
    return rc == 0 || fail(rc);
  }
  // A batch is what an application would keep: the pairs, packed in one buffer.
  void batch_put(ByteView k, ByteView v) {
    batch_sizes.push_back({k.size(), v.size()});
    batch_bytes.insert(batch_bytes.end(), k.begin(), k.end());
    batch_bytes.insert(batch_bytes.end(), v.begin(), v.end());
  }
  bool commit() {
    MDB_txn* txn = nullptr;
    int rc = mdb_txn_begin(env, nullptr, 0, &txn);
    size_t at = 0;
    for (size_t i = 0; rc == 0 && i < batch_sizes.size(); ++i) {
      MDB_val key{batch_sizes[i].first, batch_bytes.data() + at};
      at += batch_sizes[i].first;
      MDB_val value{batch_sizes[i].second, batch_bytes.data() + at};
      at += batch_sizes[i].second;
      rc = mdb_put(txn, dbi, &key, &value, 0);
    }
    if (rc == 0) {
      rc = mdb_txn_commit(txn);
    } else if (txn != nullptr) {
      mdb_txn_abort(txn);
    }
    batch_sizes.clear();
    batch_bytes.clear();
    return rc == 0 || fail(rc);
  }
  GetResult get(ByteView k) {
    if (int rc = mdb_txn_renew(read_txn); rc != 0) return fail(rc), GetResult::kFailed;
    MDB_val key = val(k), v{};
    const int rc = mdb_get(read_txn, dbi, &key, &v);
    if (rc == 0) value.assign(static_cast<const char*>(v.mv_data), v.mv_size);
    mdb_txn_reset(read_txn);
    if (rc == 0) return GetResult::kFound;
    if (rc == MDB_NOTFOUND) return GetResult::kAbsent;
    fail(rc);
    return GetResult::kFailed;
  }
  uint64_t scan() {
    if (int rc = mdb_txn_renew(read_txn); rc != 0) return fail(rc), 0;
    MDB_cursor* cursor = nullptr;
    int rc = mdb_cursor_open(read_txn, dbi, &cursor);
    uint64_t n = 0, bytes = 0;
    MDB_val k{}, v{};
    for (rc = rc == 0 ? mdb_cursor_get(cursor, &k, &v, MDB_FIRST) : rc; rc == 0;
         rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT), ++n) {
      bytes += consume(k.mv_data, k.mv_size) + consume(v.mv_data, v.mv_size);
    }
    if (cursor != nullptr) mdb_cursor_close(cursor);
    mdb_txn_reset(read_txn);
    if (rc != MDB_NOTFOUND) return fail(rc), 0;
    benchmark_sink = bytes;
    return n;
  }

  static MDB_val val(ByteView b) { return MDB_val{b.size(), const_cast<uint8_t*>(b.data())}; }
  bool fail(int rc) {
    error = std::string("LMDB: ") + mdb_strerror(rc);
    return false;
  }

  MDB_env* env = nullptr;
  MDB_dbi dbi = 0;
  MDB_txn* read_txn = nullptr;
  std::vector<std::pair<size_t, size_t>> batch_sizes;
  Bytes batch_bytes;
  std::string value;
  uint64_t benchmark_sink = 0;
  std::string error;
};

}  // namespace klay::kv::bench
