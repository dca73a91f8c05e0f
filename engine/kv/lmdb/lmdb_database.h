// The LMDB backend: kv::Database over one LMDB environment, plus the
// LMDB-only compacting copy the offline tools need. The fast sorted loader is
// new_bulk_loader() (MDB_APPEND). Only code inside engine/kv/ (and the
// backend's own tests) includes this header; everything else goes through
// kv::open_database.
//
// Layout: `dir` holds LMDB's standard data.mdb and lock.mdb, nothing else.
// While open, the directory itself is flock()ed: a second open (in this or
// another process) fails with Busy, as database.h requires; LMDB's own
// multi-process sharing is not used.
//
// Keys: 1 to 511 bytes (LMDB's compiled-in limit, mdb_env_get_maxkeysize()).
// Every call given an empty or longer key - get, get_view, has, put, del and
// batch writes - returns InvalidArgument; a batch holding such a key writes
// nothing. Iterator prefixes and start keys may be of any length.
// Values may be up to 4 GiB - 1 bytes.
//
// Options honoured:
//   lmdb_initial_map_bytes  the map size at open when it is larger than the
//                           address space reserved (LmdbTuning::
//                           map_reserve_bytes, 1 TiB); the map grows by
//                           itself beyond either (below).
//   read_only               MDB_RDONLY; writes return NotSupported.
//   create_if_missing       creates `dir` and an empty database; when off, a
//                           missing dir or data.mdb is InvalidArgument.
//   sync_writes             true: every commit is fsync'ed (full durability).
//                           false (default): MDB_NOSYNC. A commit still write()s
//                           its pages into the file before returning (lmdb.h,
//                           mdb_env_sync: "Data is always written to disk when
//                           mdb_txn_commit() is called, but the operating system
//                           may keep it buffered"); they live in the kernel page
//                           cache, so killing the process (even kill -9) loses
//                           no committed write (tested). An OS crash
//                           or power loss can lose the most recent commits, and on
//                           a filesystem that reorders writes it can leave
//                           data.mdb inconsistent (LMDB's own documentation of
//                           MDB_NOSYNC). close() always fsyncs.
//   cache_bytes, bloom_bits_per_key, compression, table_size_bytes,
//   max_open_files          ignored (the OS page cache serves reads).
// Always set: MDB_NOTLS (read transactions belong to objects, not threads, so
// iterators may move between threads and one thread may hold many) and
// MDB_NORDAHEAD (no kernel readahead: chaindata reads are random, and
// readahead on a database larger than RAM evicts useful pages; long sequential
// scans are somewhat slower for it).
//
// Map size: LMDB can only write inside a fixed-size memory map, and moving
// that map (to grow it) requires that nothing points into it. So the map
// reserves 1 TiB of address space up front (LmdbTuning::map_reserve_bytes,
// from a process budget of half the address space; map_reservation.h).
// Without MDB_WRITEMAP that costs no disk (data.mdb grows with the data, not
// with the map; checked with ls -ls and st_blocks) and no memory, and growth
// becomes exceptional. When a write transaction still finds the map full, it
// is aborted, the map grows by 50 % (at least 1 MiB) and the whole
// transaction is retried, so MDB_MAP_FULL never reaches the caller.
// Holding the map still: point reads (get, get_view, has, stats) take one of
// the gate's seats for their own duration, together with a parked read
// transaction (one compare-and-swap); writers hold the gate shared; an
// iterator pins the map from creation until it is exhausted or destroyed,
// and its views point straight into the map. A resize holds the gate
// exclusively: it blocks new reads (so readers cannot starve it) and waits
// for in-flight calls and for open iterators, each of which lets go at its
// next step and re-seeks inside its unchanged snapshot afterwards. Hence:
//   - growth waits for iterators open on other threads until they step or
//     go, at most LmdbTuning::resize_wait, then fails with Busy;
//   - a write that needs the map to grow, made by a thread that itself holds
//     an open (not exhausted) iterator over this database, fails at once with
//     Busy naming the iterator (waiting would be waiting for itself); nothing
//     of it is written. An iterator moved to another thread counts for the
//     thread that created it; from the new thread the write waits out
//     resize_wait instead. With the 1 TiB reservation this concerns databases
//     that outgrow 1 TiB, or processes whose budget ran out;
//   - a thread holding an iterator is never blocked by a waiting resize, so
//     "iterate and read on the side" cannot deadlock.
// (LMDB documents mdb_env_set_mapsize as needing no live transaction at all.
// An iterator's read transaction survives the move because, in LMDB 0.9's
// source, a read transaction copies the tree roots out of the meta page and
// every page lookup starts again from the current map address; only cursors
// cache page pointers, and the iterator renews its cursor first.) Before
// growing, the free disk space is checked. Errors: NoSpace when less than
// 16 MiB is free on the disk (checked before growing and when a commit fails
// with ENOSPC or a short write), or the address space is exhausted; Busy as
// above, or when a get_view callback does not return.
//
// Threading: all Database methods are safe to call from many threads at once.
// LMDB admits one write transaction at a time; writers (put, del, write,
// bulk loaders) are serialised by an internal mutex. Reads never wait for
// writers, only (briefly) for a map resize. Batches and iterators follow
// database.h: one thread at a time per object.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "engine/kv/bulk_loader.h"
#include "engine/kv/database.h"
#include "engine/kv/options.h"

namespace klay::kv {

namespace lmdb_detail {
class LmdbEnv;
}

// Knobs that only the LMDB backend has. Every field is `name = default;`.
struct LmdbTuning {
  // How long a growing writer waits for in-flight reads to finish before it
  // gives up with Busy.
  std::chrono::milliseconds resize_wait = std::chrono::seconds(30);
  // Reader slots in lock.mdb: one per open iterator plus a few per reading
  // thread. Fixed by the first process to open the environment.
  unsigned max_readers = 1024;
  // Address space the map reserves at open (when larger than
  // Options::lmdb_initial_map_bytes), so that the map rarely has to grow:
  // growing moves the map and waits for every open iterator. Costs no disk
  // and no memory (the file grows with the data, not with the map). Drawn
  // from a process-wide budget of half the address space (see
  // map_reservation.h); 0 turns the reservation off (tests of growth).
  uint64_t map_reserve_bytes = 1ull << 40;
};

// open_lmdb (backends.h) with LMDB-specific tuning.
Result<std::unique_ptr<Database>> open_lmdb_tuned(const std::filesystem::path& dir,
                                                  const Options& options, const LmdbTuning& tuning);

class LmdbDatabase final : public Database {
 public:
  // Created by open_lmdb / open_lmdb_tuned.
  explicit LmdbDatabase(std::shared_ptr<lmdb_detail::LmdbEnv> env);
  // Closes the database (see close()).
  ~LmdbDatabase() override;

  Status get(ByteView key, Bytes* value) override;
  // The view points into the memory map and is valid only during fn. fn runs
  // inside a read transaction holding the map still: it must not write to
  // this database or wait for another thread that does (a writer that needs
  // to grow the map would wait for fn and fail with Busy after resize_wait).
  Status get_view(ByteView key, const std::function<void(ByteView)>& fn) override;
  Result<bool> has(ByteView key) override;
  Status put(ByteView key, ByteView value) override;
  Status del(ByteView key) override;

  // An in-memory ordered log of puts and deletes; any WriteBatch is accepted
  // by write(), it is read through replay().
  std::unique_ptr<WriteBatch> new_batch() override;
  // One write transaction; all or nothing.
  Status write(WriteBatch& batch) override;

  // The iterator owns a read-only transaction (its snapshot) and pins the
  // map until it is exhausted or destroyed; key() and value() point into the
  // map (no copy) and stay valid until the next step. Keep iterators
  // short-lived where possible: LMDB cannot reuse pages freed after an open
  // snapshot, so the file grows while one is open, and an open iterator holds
  // up map growth (see "Map size" above; same-thread writes that need growth
  // fail with Busy). database.h requires iterators to go before close();
  // LMDB is more lenient: an iterator stays usable after close(), and the
  // environment and directory lock are released when the last one is destroyed.
  std::unique_ptr<Iterator> new_iterator(const IteratorOptions& options = {}) override;

  // The fast path for sorted imports (convert, migration): buffers 32 MiB at a
  // time and writes through one cursor, every key beyond the largest stored
  // key with MDB_APPEND; smaller keys are ordinary overwriting puts. Measured
  // on 1M 32-byte keys into an empty database: ~1.6x faster than 32 MiB
  // batches and a ~4 % smaller file. Not atomic: each chunk commits on its own.
  Result<std::unique_ptr<BulkLoader>> new_bulk_loader() override;

  // LMDB has no in-place compaction (freed pages are reused by later writes
  // but the file never shrinks): this returns OK without doing anything.
  // Use lmdb_copy_compact() offline to produce a compacted copy.
  Status compact(std::optional<ByteView> begin = std::nullopt,
                 std::optional<ByteView> end = std::nullopt) override;
  // estimated_keys is exact (mdb_stat); disk_bytes is the size of data.mdb;
  // details gives map size, used pages, page size, tree depth and readers.
  Result<DbStats> stats() override;
  // Waits for in-flight calls, fsyncs, and closes the environment (at once,
  // or when the last iterator goes). Idempotent. Later calls fail with IOError.
  // REQUIRES: not called from inside a get_view callback.
  Status close() override;
  std::string_view backend_name() const override { return "lmdb"; }

  // The current size of the memory map in bytes.
  Result<uint64_t> map_size();

 private:
  std::shared_ptr<lmdb_detail::LmdbEnv> env_;
};

// Writes a compacted copy of the environment in `src` to `dst`/data.mdb
// (mdb_env_copy2 with MDB_CP_COMPACT: free pages dropped, pages renumbered).
// The copy holds the same entries in a file no larger than the source.
// `dst` is created if missing and must otherwise be an empty directory.
// `src` is locked like an open database for the duration: Busy if it is open
// (LMDB forbids opening one environment twice in a process).
// On failure the partial data.mdb in `dst` is removed.
Status lmdb_copy_compact(const std::filesystem::path& src, const std::filesystem::path& dst);

}  // namespace klay::kv
