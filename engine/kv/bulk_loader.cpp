#include "engine/kv/bulk_loader.h"

namespace klay::kv {

namespace {

class BatchBulkLoader final : public BulkLoader {
 public:
  BatchBulkLoader(Database& db, size_t flush_bytes)
      : db_(db), batch_(db.new_batch()), flush_bytes_(flush_bytes) {}

  Status add(ByteView key, ByteView value) override {
    if (finished_) return Status::invalid_argument("the bulk loader has already finished");
    if (key.empty()) return Status::invalid_argument("keys must not be empty");
    if (count_ > 0 && compare(key, last_key_) <= 0) {
      return Status::invalid_argument("bulk-loaded keys must be strictly increasing; got 0x" + to_hex(key) +
                                      " after 0x" + to_hex(last_key_));
    }
    last_key_.assign(key.begin(), key.end());
    batch_->put(key, value);
    ++count_;
    if (batch_->value_bytes() >= flush_bytes_) return flush();
    return Status::ok();
  }

  Status finish() override {
    if (finished_) return Status::invalid_argument("the bulk loader has already finished");
    finished_ = true;
    return flush();
  }

  uint64_t count() const override { return count_; }
  bool atomic() const override { return false; }

 private:
  Status flush() {
    if (batch_->count() == 0) return Status::ok();
    Status s = db_.write(*batch_);
    if (s) batch_->clear();
    return s;
  }

  Database& db_;
  std::unique_ptr<WriteBatch> batch_;
  size_t flush_bytes_;
  Bytes last_key_;
  uint64_t count_ = 0;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<BulkLoader> new_batch_bulk_loader(Database& db, size_t flush_bytes) {
  return std::make_unique<BatchBulkLoader>(db, flush_bytes);
}

Result<std::unique_ptr<BulkLoader>> Database::new_bulk_loader() {
  // The interface has no "is open" query; a one-byte lookup is the cheapest call
  // that reports a closed or failed database now rather than at the first flush.
  static constexpr uint8_t kProbe[1] = {0};
  if (auto probe = has(ByteView(kProbe, 1)); !probe) return probe.status();
  return new_batch_bulk_loader(*this);
}

}  // namespace klay::kv
