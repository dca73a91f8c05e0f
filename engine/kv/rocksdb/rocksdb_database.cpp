// The RocksDB backend. Batches are native rocksdb::WriteBatch objects, point
// reads pin blocks instead of copying, and iterators bound themselves to the
// prefix with iterate_upper_bound so RocksDB stops at the prefix's end itself.
#include "engine/kv/rocksdb/rocksdb_database.h"

#include <rocksdb/write_batch.h>

#include "engine/kv/backend_support.h"
#include "engine/kv/backends.h"
#include "engine/kv/bulk_loader.h"
#include "engine/kv/rocksdb/rocksdb_logger.h"
#include "engine/kv/rocksdb/rocksdb_options.h"
#include "engine/kv/rocksdb/rocksdb_status.h"

namespace klay::kv {

namespace {

constexpr std::string_view kBackend = "RocksDB";

rocksdb::Slice to_slice(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }
ByteView to_view(const rocksdb::Slice& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

class RocksBatch final : public WriteBatch {
 public:
  void put(ByteView key, ByteView value) override {
    has_empty_key_ |= key.empty();
    bytes_ += key.size() + value.size();
    // Only fails past the 4 GiB batch limit; write() then sees a short count.
    (void)native_.Put(to_slice(key), to_slice(value));
  }
  void del(ByteView key) override {
    has_empty_key_ |= key.empty();
    bytes_ += key.size();
    (void)native_.Delete(to_slice(key));
  }
  size_t count() const override { return native_.Count(); }
  size_t value_bytes() const override { return bytes_; }
  void clear() override {
    native_.Clear();
    bytes_ = 0;
    has_empty_key_ = false;
  }
  void replay(BatchHandler& handler) const override {
    struct Adapter final : rocksdb::WriteBatch::Handler {
      explicit Adapter(BatchHandler& h) : h(h) {}
      void Put(const rocksdb::Slice& k, const rocksdb::Slice& v) override { h.put(to_view(k), to_view(v)); }
      void Delete(const rocksdb::Slice& k) override { h.del(to_view(k)); }
      BatchHandler& h;
    } adapter(handler);
    (void)native_.Iterate(&adapter);
  }

  rocksdb::WriteBatch* native() { return &native_; }
  bool has_empty_key() const { return has_empty_key_; }

 private:
  rocksdb::WriteBatch native_;
  size_t bytes_ = 0;
  bool has_empty_key_ = false;
};

class RocksIterator final : public Iterator {
 public:
  RocksIterator(rocksdb::DB* db, const IteratorOptions& options, std::filesystem::path dir)
      : prefix_(options.prefix), dir_(std::move(dir)) {
    rocksdb::ReadOptions ro;
    if (auto bound = prefix_successor(prefix_)) {
      upper_ = std::move(*bound);
      upper_slice_ = to_slice(upper_);
      ro.iterate_upper_bound = &upper_slice_;  // must outlive it_: declared before it
    }
    it_.reset(db->NewIterator(ro));
    Bytes target = options.prefix;
    append(target, options.start);
    it_->Seek(to_slice(target));
    update();
  }
  explicit RocksIterator(Status error) : status_(std::move(error)) {}

  void advance() override {
    it_->Next();
    update();
  }
  Status status() const override { return status_; }

 private:
  void update() {
    // The upper bound already stops at the prefix end; the check covers a
    // prefix of only 0xff bytes, which has no bound.
    if (it_->Valid()) {
      const ByteView key = to_view(it_->key());
      if (prefix_.empty() || starts_with(key, prefix_)) [[likely]] return set_entry(key, to_view(it_->value()));
    }
    set_end();
    status_ = from_rocksdb(it_->status(), dir_);
  }

  Bytes prefix_;
  Bytes upper_;
  rocksdb::Slice upper_slice_;
  std::filesystem::path dir_;
  std::unique_ptr<rocksdb::Iterator> it_;
  bool valid_ = false;
  Status status_;
};

}  // namespace

RocksDatabase::RocksDatabase(std::filesystem::path dir, rocksdb::DB* db, const Options& options)
    : dir_(std::move(dir)), db_(db), read_only_(options.read_only) {
  write_options_.sync = options.sync_writes;
}

RocksDatabase::~RocksDatabase() { (void)close(); }

Status RocksDatabase::check_writable() const {
  if (!db_) return closed_error(kBackend, dir_);
  if (read_only_) return read_only_error(kBackend, dir_);
  return Status::ok();
}

Status RocksDatabase::get(ByteView key, Bytes* value) {
  return get_view(key, [value](ByteView v) { value->assign(v.begin(), v.end()); });
}

Status RocksDatabase::get_view(ByteView key, const std::function<void(ByteView)>& fn) {
  if (!db_) return closed_error(kBackend, dir_);
  if (key.empty()) return empty_key_error();
  rocksdb::PinnableSlice pinned;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), db_->DefaultColumnFamily(), to_slice(key), &pinned);
  if (!s.ok()) return from_rocksdb(s, dir_);
  fn(to_view(pinned));
  return Status::ok();
}

Result<bool> RocksDatabase::has(ByteView key) {
  if (!db_) return closed_error(kBackend, dir_);
  if (key.empty()) return empty_key_error();
  // Memtables and cached bloom filters answer most lookups without reading a
  // data block. RocksDB requires the value buffer even though we only need presence.
  std::string value;
  bool value_found = false;
  if (!db_->KeyMayExist(rocksdb::ReadOptions(), to_slice(key), &value, &value_found)) return false;
  if (value_found) return true;
  rocksdb::PinnableSlice pinned;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), db_->DefaultColumnFamily(), to_slice(key), &pinned);
  if (s.ok()) return true;
  if (s.IsNotFound()) return false;
  return from_rocksdb(s, dir_);
}

Status RocksDatabase::put(ByteView key, ByteView value) {
  if (Status s = check_writable(); !s) return s;
  if (key.empty()) return empty_key_error();
  return from_rocksdb(db_->Put(write_options_, to_slice(key), to_slice(value)), dir_);
}

Status RocksDatabase::del(ByteView key) {
  if (Status s = check_writable(); !s) return s;
  if (key.empty()) return empty_key_error();
  return from_rocksdb(db_->Delete(write_options_, to_slice(key)), dir_);
}

std::unique_ptr<WriteBatch> RocksDatabase::new_batch() { return std::make_unique<RocksBatch>(); }

Status RocksDatabase::write(WriteBatch& batch) {
  auto* b = dynamic_cast<RocksBatch*>(&batch);
  if (!b) return Status::invalid_argument("the batch was not created by a RocksDB database");
  if (b->has_empty_key()) return empty_key_error();
  if (Status s = check_writable(); !s) return s;
  return from_rocksdb(db_->Write(write_options_, b->native()), dir_);
}

std::unique_ptr<Iterator> RocksDatabase::new_iterator(const IteratorOptions& options) {
  if (!db_) return std::make_unique<RocksIterator>(closed_error(kBackend, dir_));
  return std::make_unique<RocksIterator>(db_.get(), options, dir_);
}

Status RocksDatabase::compact(std::optional<ByteView> begin, std::optional<ByteView> end) {
  if (!db_) return closed_error(kBackend, dir_);
  rocksdb::CompactRangeOptions cro;
  // Rewrite the last level too, so deletions actually give space back.
  cro.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  // RocksDB's range end is inclusive; compacting one key more is harmless.
  rocksdb::Slice b = begin ? to_slice(*begin) : rocksdb::Slice();
  rocksdb::Slice e = end ? to_slice(*end) : rocksdb::Slice();
  return from_rocksdb(db_->CompactRange(cro, begin ? &b : nullptr, end ? &e : nullptr), dir_);
}

Result<DbStats> RocksDatabase::stats() {
  if (!db_) return closed_error(kBackend, dir_);
  DbStats s;
  s.backend = "rocksdb";
  s.disk_bytes = directory_bytes(dir_);
  uint64_t keys = 0;
  if (db_->GetIntProperty(rocksdb::DB::Properties::kEstimateNumKeys, &keys)) s.estimated_keys = keys;
  std::string text;
  if (db_->GetProperty(rocksdb::DB::Properties::kLevelStats, &text)) s.details = text;
  return s;
}

Status RocksDatabase::close() {
  if (!db_) return Status::ok();
  rocksdb::Status s = db_->Close();
  db_.reset();
  return from_rocksdb(s, dir_);
}

Result<std::unique_ptr<Database>> open_rocksdb(const std::filesystem::path& dir, const Options& options) {
  auto ro = make_rocksdb_options(options);
  if (!ro) return ro.status();
  std::error_code ec;
  const bool has_current = std::filesystem::exists(dir / "CURRENT", ec);
  if (!has_current && std::filesystem::exists(dir / "IDENTITY", ec)) {
    // RocksDB would otherwise start a fresh database over the old files.
    return Status::corruption("the RocksDB database at " + dir.string() +
                              " has no CURRENT file, so its table set is unknown");
  }
  if (!has_current && !ro->create_if_missing) {
    return Status::not_found("no RocksDB database at " + dir.string() +
                             (options.read_only ? " (cannot create one read-only)" : " (create_if_missing is off)"));
  }
  if (ro->create_if_missing) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::io_error("cannot create the directory " + dir.string() + ": " + ec.message());
  }
  ro->info_log = new_rocksdb_logger(dir);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = options.read_only ? rocksdb::DB::OpenForReadOnly(*ro, dir.string(), &raw)
                                        : rocksdb::DB::Open(*ro, dir.string(), &raw);
  if (!s.ok()) return from_rocksdb(s, dir);
  if (!options.read_only) {
    // Scratch folders of bulk loads a crash interrupted; we hold the lock now.
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
      if (e.is_directory() && e.path().filename().string().starts_with("bulk-load-")) {
        std::filesystem::remove_all(e.path(), ec);
      }
    }
  }
  return std::unique_ptr<Database>(std::make_unique<RocksDatabase>(dir, raw, options));
}

}  // namespace klay::kv
