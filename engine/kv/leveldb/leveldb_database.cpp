// The LevelDB backend. Batches are native leveldb::WriteBatch objects and
// iterators native iterators over LevelDB's implicit snapshot.
#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>

#include <algorithm>

#include "engine/kv/backend_support.h"
#include "engine/kv/backends.h"
#include "engine/kv/leveldb/leveldb_status.h"

namespace klay::kv {

namespace {

constexpr std::string_view kBackend = "LevelDB";
constexpr uint64_t kMinHalfBudget = 16ull << 20;
// Below this many keys stats() counts exactly; above it extrapolates.
constexpr uint64_t kKeySampleSize = 4096;
// LevelDB sizes its table cache from max_open_files (minus 10). In 1.23 on
// 64-bit, table files are memory-mapped (up to 1000 per process) and a mapped
// table holds no file descriptor; past that limit LevelDB reads with pread and
// caps its own descriptors at a fifth of RLIMIT_NOFILE. A small per-database
// budget therefore saves no descriptors but makes the cache thrash once a
// database outgrows it (a 4-shard state trie gets ~100 per shard, ~200 MB):
// every miss reopens, maps and faults in a table and unmaps another. Measured
// on a migration of an 11.8 M-node state (migration_bench): 36 % of its CPU
// in the kernel, mostly page faults and munmap, before; 9 %, mostly file
// writes, with this floor. An open table costs a few hundred bytes of heap
// when mapped, its index and filter blocks (~2 % of the table) when not.
constexpr int kMinTableCacheFiles = 500;

leveldb::Slice to_slice(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
ByteView to_view(const leveldb::Slice& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

class LevelBatch final : public WriteBatch {
 public:
  void put(ByteView key, ByteView value) override {
    has_empty_key_ |= key.empty();
    ++count_;
    bytes_ += key.size() + value.size();
    native_.Put(to_slice(key), to_slice(value));
  }
  void del(ByteView key) override {
    has_empty_key_ |= key.empty();
    ++count_;
    bytes_ += key.size();
    native_.Delete(to_slice(key));
  }
  size_t count() const override { return count_; }
  size_t value_bytes() const override { return bytes_; }
  void clear() override {
    native_.Clear();
    count_ = 0;
    bytes_ = 0;
    has_empty_key_ = false;
  }
  void replay(BatchHandler& handler) const override {
    struct Adapter final : leveldb::WriteBatch::Handler {
      explicit Adapter(BatchHandler& h) : h(h) {}
      void Put(const leveldb::Slice& k, const leveldb::Slice& v) override { h.put(to_view(k), to_view(v)); }
      void Delete(const leveldb::Slice& k) override { h.del(to_view(k)); }
      BatchHandler& h;
    } adapter(handler);
    // Our own encoding cannot be malformed, so Iterate cannot fail here.
    (void)native_.Iterate(&adapter);
  }

  leveldb::WriteBatch* native() { return &native_; }
  bool has_empty_key() const { return has_empty_key_; }

 private:
  leveldb::WriteBatch native_;
  size_t count_ = 0;
  size_t bytes_ = 0;
  bool has_empty_key_ = false;
};

class LevelIterator final : public Iterator {
 public:
  LevelIterator(leveldb::Iterator* it, const IteratorOptions& options, std::filesystem::path dir)
      : it_(it), prefix_(options.prefix), dir_(std::move(dir)) {
    Bytes target = options.prefix;
    append(target, options.start);
    it_->Seek(to_slice(target));
    update();
  }
  explicit LevelIterator(Status error) : status_(std::move(error)) {}

  void advance() override {
    it_->Next();
    update();
  }
  Status status() const override { return status_; }

 private:
  void update() {
    if (it_->Valid()) {
      const ByteView key = to_view(it_->key());
      if (prefix_.empty() || starts_with(key, prefix_)) [[likely]] return set_entry(key, to_view(it_->value()));
    }
    set_end();
    status_ = from_leveldb(it_->status(), dir_);
  }

  std::unique_ptr<leveldb::Iterator> it_;
  Bytes prefix_;
  std::filesystem::path dir_;
  Status status_;
};

class LevelDatabase final : public Database {
 public:
  LevelDatabase(std::filesystem::path dir, std::unique_ptr<leveldb::Cache> cache,
                std::unique_ptr<const leveldb::FilterPolicy> filter, leveldb::DB* db, const Options& options)
      : dir_(std::move(dir)), cache_(std::move(cache)), filter_(std::move(filter)), db_(db),
        read_only_(options.read_only) {
    write_options_.sync = options.sync_writes;
  }
  ~LevelDatabase() override { (void)close(); }

  Status get(ByteView key, Bytes* value) override {
    // LevelDB only copies into a std::string; reusing one per thread spares an
    // allocation per read and leaves a single extra memcpy into `value`.
    thread_local std::string buffer;
    if (Status s = lookup(key, &buffer); !s) return s;
    // Same element type on both sides, so this is one memmove (char -> uint8_t
    // iterators would copy byte by byte).
    const auto* data = reinterpret_cast<const uint8_t*>(buffer.data());
    value->assign(data, data + buffer.size());
    return Status::ok();
  }

  Status get_view(ByteView key, const std::function<void(ByteView)>& fn) override {
    std::string buffer;  // not thread_local: fn may read this database again
    if (Status s = lookup(key, &buffer); !s) return s;
    fn(as_view(buffer));
    return Status::ok();
  }

  Result<bool> has(ByteView key) override {
    thread_local std::string buffer;
    Status s = lookup(key, &buffer);
    if (s) return true;
    if (s.is_not_found()) return false;
    return s;
  }

  Status put(ByteView key, ByteView value) override {
    if (Status s = check_writable(key); !s) return s;
    return from_leveldb(db_->Put(write_options_, to_slice(key), to_slice(value)), dir_);
  }

  Status del(ByteView key) override {
    if (Status s = check_writable(key); !s) return s;
    return from_leveldb(db_->Delete(write_options_, to_slice(key)), dir_);
  }

  std::unique_ptr<WriteBatch> new_batch() override { return std::make_unique<LevelBatch>(); }

  Status write(WriteBatch& batch) override {
    auto* b = dynamic_cast<LevelBatch*>(&batch);
    if (!b) return Status::invalid_argument("the batch was not created by a LevelDB database");
    if (b->has_empty_key()) return empty_key_error();
    if (Status s = check_writable({}, /*key_required=*/false); !s) return s;
    return from_leveldb(db_->Write(write_options_, b->native()), dir_);
  }

  std::unique_ptr<Iterator> new_iterator(const IteratorOptions& options) override {
    if (!db_) return std::make_unique<LevelIterator>(closed_error(kBackend, dir_));
    return std::make_unique<LevelIterator>(db_->NewIterator(leveldb::ReadOptions()), options, dir_);
  }

  Status compact(std::optional<ByteView> begin, std::optional<ByteView> end) override {
    if (!db_) return closed_error(kBackend, dir_);
    // LevelDB's range end is inclusive; compacting one key more is harmless.
    leveldb::Slice b = begin ? to_slice(*begin) : leveldb::Slice();
    leveldb::Slice e = end ? to_slice(*end) : leveldb::Slice();
    db_->CompactRange(begin ? &b : nullptr, end ? &e : nullptr);
    return Status::ok();
  }

  Result<DbStats> stats() override {
    if (!db_) return closed_error(kBackend, dir_);
    DbStats s;
    s.backend = "leveldb";
    s.disk_bytes = directory_bytes(dir_);
    s.estimated_keys = estimate_keys();
    std::string text;
    if (db_->GetProperty("leveldb.stats", &text)) s.details = text;
    return s;
  }

  Status close() override {
    db_.reset();  // before the cache and filter it uses
    return Status::ok();
  }

  std::string_view backend_name() const override { return "leveldb"; }

 private:
  Status lookup(ByteView key, std::string* out) {
    if (!db_) return closed_error(kBackend, dir_);
    if (key.empty()) return empty_key_error();
    return from_leveldb(db_->Get(leveldb::ReadOptions(), to_slice(key), out), dir_);
  }

  Status check_writable(ByteView key, bool key_required = true) const {
    if (!db_) return closed_error(kBackend, dir_);
    if (read_only_) return read_only_error(kBackend, dir_);
    if (key_required && key.empty()) return empty_key_error();
    return Status::ok();
  }

  // LevelDB keeps no key count. Counting is exact up to kKeySampleSize keys;
  // beyond that the sample's share of the on-disk size scales it up.
  uint64_t estimate_keys() {
    leveldb::ReadOptions ro;
    ro.fill_cache = false;
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(ro));
    it->SeekToFirst();
    if (!it->Valid()) return 0;
    const std::string first = it->key().ToString();
    uint64_t n = 0;
    std::string sample_end;
    for (; it->Valid() && n < kKeySampleSize; it->Next(), ++n) sample_end = it->key().ToString();
    if (!it->Valid()) return n;
    it->SeekToLast();
    const std::string last = it->key().ToString();
    leveldb::Range ranges[2] = {leveldb::Range(first, sample_end), leveldb::Range(first, last)};
    uint64_t sizes[2] = {0, 0};
    db_->GetApproximateSizes(ranges, 2, sizes);
    if (sizes[0] == 0 || sizes[1] <= sizes[0]) return n;  // data still in the memtable
    return static_cast<uint64_t>(static_cast<double>(n) * static_cast<double>(sizes[1]) /
                                 static_cast<double>(sizes[0]));
  }

  std::filesystem::path dir_;
  // Declared before db_ so they are destroyed after it.
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<const leveldb::FilterPolicy> filter_;
  std::unique_ptr<leveldb::DB> db_;  // null once closed
  leveldb::WriteOptions write_options_;
  bool read_only_;
};

bool has_file_starting_with(const std::filesystem::path& dir, std::string_view prefix) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().filename().string().starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<Database>> open_leveldb(const std::filesystem::path& dir, const Options& options) {
  leveldb::Options lo;
  switch (options.compression) {
    case Compression::kNone: lo.compression = leveldb::kNoCompression; break;
    case Compression::kSnappy: lo.compression = leveldb::kSnappyCompression; break;
    default:
      return Status::invalid_argument("LevelDB supports only \"none\" or \"snappy\" compression (database at " +
                                      dir.string() + ")");
  }
  std::error_code ec;
  const bool has_current = std::filesystem::exists(dir / "CURRENT", ec);
  if (!has_current && has_file_starting_with(dir, "MANIFEST-")) {
    // LevelDB would otherwise start a fresh database over the old tables.
    return Status::corruption("the LevelDB database at " + dir.string() +
                              " has MANIFEST files but no CURRENT file, so its table set is unknown");
  }
  const bool create = options.create_if_missing && !options.read_only;
  if (!has_current && !create) {
    return Status::not_found("no LevelDB database at " + dir.string() +
                             (options.read_only ? " (cannot create one read-only)" : " (create_if_missing is off)"));
  }
  if (create) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::io_error("cannot create the directory " + dir.string() + ": " + ec.message());
  }

  // Klaytn's split: half block cache, half write buffer, each at least 16 MiB.
  const uint64_t half = std::max(options.cache_bytes / 2, kMinHalfBudget);
  std::unique_ptr<leveldb::Cache> cache(leveldb::NewLRUCache(half));
  std::unique_ptr<const leveldb::FilterPolicy> filter;
  if (options.bloom_bits_per_key > 0) filter.reset(leveldb::NewBloomFilterPolicy(options.bloom_bits_per_key));
  lo.create_if_missing = create;
  lo.block_cache = cache.get();
  lo.write_buffer_size = half;
  lo.filter_policy = filter.get();
  lo.max_file_size = options.table_size_bytes;
  lo.max_open_files = std::max(options.max_open_files, kMinTableCacheFiles);
  // Seek-triggered compaction cannot be disabled in C++ LevelDB (Klaytn disables it in goleveldb).

  leveldb::DB* raw = nullptr;
  leveldb::Status s = leveldb::DB::Open(lo, dir.string(), &raw);
  if (!s.ok()) return from_leveldb(s, dir);
  return std::unique_ptr<Database>(
      std::make_unique<LevelDatabase>(dir, std::move(cache), std::move(filter), raw, options));
}

}  // namespace klay::kv
