// Bulk loading into RocksDB: sorted entries go into SST files in a scratch
// folder inside the database directory (so ingestion can hard-link rather than
// copy them) and are ingested in one step by finish().
//
// Compression probe: a load's first file is cut at kProbeBytes of file and
// compressed as the database is configured. When its data blocks came out
// less than 1/16 smaller than their keys and values, the rest of the load is
// written uncompressed. Hash-keyed state trie nodes are such data: RocksDB keeps a
// compressed block only when it is 1/8 smaller, so it compresses nearly every
// block of them and then stores it raw anyway, and that wasted compression was
// the largest single CPU cost of a convert. Compactions rewrite the files with
// the database's own setting later.
//
// Written files stay in the page cache (SstFileWriter would drop them every
// MiB by default): callers such as convert read the load back right after
// ingestion, and reading it from the disk again doubled their reads.
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/sst_file_writer.h>

#include <atomic>
#include <vector>

#include "engine/kv/bulk_loader.h"
#include "engine/kv/rocksdb/rocksdb_database.h"
#include "engine/kv/rocksdb/rocksdb_status.h"

namespace klay::kv {

namespace {

// Files this large keep the count low without making a failed load costly.
constexpr uint64_t kSstFileBytes = 256ull << 20;
// The compression probe: 256 blocks of 4 KiB.
constexpr uint64_t kProbeBytes = 1ull << 20;

rocksdb::Slice to_slice(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// The compression SstFileWriter applies: it writes for the bottommost level.
rocksdb::CompressionType file_compression(const rocksdb::Options& o) {
  if (o.bottommost_compression != rocksdb::kDisableCompressionOption) return o.bottommost_compression;
  if (!o.compression_per_level.empty()) return o.compression_per_level.back();
  return o.compression;
}

class SstBulkLoader final : public BulkLoader {
 public:
  SstBulkLoader(RocksDatabase& db, std::filesystem::path scratch)
      : db_(db), options_(db.native()->GetOptions()), scratch_(std::move(scratch)),
        probing_(file_compression(options_) != rocksdb::kNoCompression) {}

  ~SstBulkLoader() override {
    writer_.reset();
    std::error_code ec;
    std::filesystem::remove_all(scratch_, ec);  // ingested files were moved out already
  }

  Status add(ByteView key, ByteView value) override {
    if (finished_) return Status::invalid_argument("the bulk loader has already finished");
    if (key.empty()) return Status::invalid_argument("keys must not be empty");
    if (count_ > 0 && compare(key, last_key_) <= 0) {
      return Status::invalid_argument("bulk-loaded keys must be strictly increasing; got 0x" + to_hex(key) +
                                      " after 0x" + to_hex(last_key_));
    }
    if (!writer_ || writer_->FileSize() >= (probing_ ? kProbeBytes : kSstFileBytes)) {
      if (Status s = roll_file(); !s) return s;
    }
    if (Status s = from_rocksdb(writer_->Put(to_slice(key), to_slice(value)), db_.dir()); !s) return s;
    last_key_.assign(key.begin(), key.end());
    ++count_;
    return Status::ok();
  }

  Status finish() override {
    if (finished_) return Status::invalid_argument("the bulk loader has already finished");
    finished_ = true;
    probing_ = false;  // nothing follows the last file
    if (Status s = finish_file(); !s) return s;
    if (files_.empty()) return Status::ok();
    if (Status s = db_.check_writable(); !s) return s;
    rocksdb::IngestExternalFileOptions ingest;
    ingest.move_files = true;
    return from_rocksdb(db_.native()->IngestExternalFile(files_, ingest), db_.dir());
  }

  uint64_t count() const override { return count_; }
  bool atomic() const override { return true; }

 private:
  Status finish_file() {
    if (!writer_) return Status::ok();
    rocksdb::Status s = writer_->Finish();
    writer_.reset();
    if (!s.ok()) return from_rocksdb(s, db_.dir());
    if (probing_) {
      probing_ = false;
      if (!compression_pays(files_.back())) {
        options_.compression = rocksdb::kNoCompression;
        options_.bottommost_compression = rocksdb::kNoCompression;
        options_.compression_per_level.clear();
      }
    }
    return Status::ok();
  }

  // Whether the finished probe file's data blocks came out at least 1/16
  // smaller than the keys and values they hold. A file that cannot be read
  // back counts as paying: the setting stays as configured.
  bool compression_pays(const std::string& path) const {
    rocksdb::SstFileReader reader(options_);
    if (!reader.Open(path).ok()) return true;
    const auto props = reader.GetTableProperties();
    if (!props) return true;
    const uint64_t raw = props->raw_key_size + props->raw_value_size;
    return props->data_size * 16 < raw * 15;
  }

  Status roll_file() {
    if (Status s = finish_file(); !s) return s;
    std::string path = (scratch_ / ("part-" + std::to_string(files_.size()) + ".sst")).string();
    writer_ = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), options_, /*column_family=*/nullptr,
                                                       /*invalidate_page_cache=*/false);
    if (Status s = from_rocksdb(writer_->Open(path), db_.dir()); !s) {
      writer_.reset();
      return s;
    }
    files_.push_back(std::move(path));
    return Status::ok();
  }

  RocksDatabase& db_;
  rocksdb::Options options_;
  std::filesystem::path scratch_;
  bool probing_;  // the current file is the compression probe
  std::unique_ptr<rocksdb::SstFileWriter> writer_;
  std::vector<std::string> files_;
  Bytes last_key_;
  uint64_t count_ = 0;
  bool finished_ = false;
};

}  // namespace

Result<std::unique_ptr<BulkLoader>> RocksDatabase::new_bulk_loader() {
  if (Status s = check_writable(); !s) return s;
  static std::atomic<uint64_t> next_id{0};
  auto scratch = dir() / ("bulk-load-" + std::to_string(next_id.fetch_add(1)));
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);  // left over from a crashed process
  std::filesystem::create_directories(scratch, ec);
  if (ec) return Status::io_error("cannot create the bulk-load folder " + scratch.string() + ": " + ec.message());
  return std::unique_ptr<BulkLoader>(std::make_unique<SstBulkLoader>(*this, std::move(scratch)));
}

}  // namespace klay::kv
