// The memory backend: a named, process-local ordered map (see memory_store.h).
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "engine/kv/backend_support.h"
#include "engine/kv/backends.h"
#include "engine/kv/memory/memory_store.h"

namespace klay::kv {

namespace {

using memory::Map;
using memory::MemoryStore;

constexpr std::string_view kBackend = "memory";

class MemoryBatch final : public WriteBatch {
 public:
  struct Op {
    bool is_put;
    Bytes key;
    Bytes value;
  };

  void put(ByteView key, ByteView value) override {
    has_empty_key_ |= key.empty();
    bytes_ += key.size() + value.size();
    ops_.push_back({true, to_bytes(key), to_bytes(value)});
  }
  void del(ByteView key) override {
    has_empty_key_ |= key.empty();
    bytes_ += key.size();
    ops_.push_back({false, to_bytes(key), {}});
  }
  size_t count() const override { return ops_.size(); }
  size_t value_bytes() const override { return bytes_; }
  void clear() override {
    ops_.clear();
    bytes_ = 0;
    has_empty_key_ = false;
  }
  void replay(BatchHandler& handler) const override {
    for (const Op& op : ops_) {
      if (op.is_put) {
        handler.put(op.key, op.value);
      } else {
        handler.del(op.key);
      }
    }
  }

  const std::vector<Op>& ops() const { return ops_; }
  bool has_empty_key() const { return has_empty_key_; }

 private:
  std::vector<Op> ops_;
  size_t bytes_ = 0;
  bool has_empty_key_ = false;
};

class MemoryIterator final : public Iterator {
 public:
  MemoryIterator(std::unique_ptr<memory::Snapshot> snapshot, const IteratorOptions& options)
      : snapshot_(std::move(snapshot)), prefix_(options.prefix) {
    Bytes target = options.prefix;
    append(target, options.start);
    it_ = snapshot_->map().lower_bound(ByteView(target));
    update_valid();
  }
  explicit MemoryIterator(Status error) : status_(std::move(error)) {}

  void advance() override {
    ++it_;
    update_valid();
  }
  Status status() const override { return status_; }

 private:
  void update_valid() {
    if (it_ != snapshot_->map().end() && starts_with(it_->first, prefix_)) return set_entry(it_->first, it_->second);
    set_end();
  }

  std::unique_ptr<memory::Snapshot> snapshot_;
  Map::const_iterator it_;
  Bytes prefix_;
  Status status_;
};

class MemoryDatabase final : public Database {
 public:
  MemoryDatabase(std::shared_ptr<MemoryStore> store, bool read_only)
      : store_(std::move(store)), name_(store_->name()), read_only_(read_only) {}
  ~MemoryDatabase() override { (void)close(); }

  Status get(ByteView key, Bytes* value) override {
    return get_view(key, [value](ByteView v) { value->assign(v.begin(), v.end()); });
  }

  Status get_view(ByteView key, const std::function<void(ByteView)>& fn) override {
    if (!store_) return closed_error(kBackend, name_);
    if (key.empty()) return empty_key_error();
    std::shared_lock lock(store_->mutex());
    auto it = store_->map().find(key);
    if (it == store_->map().end()) return Status::not_found();
    fn(it->second);
    return Status::ok();
  }

  Result<bool> has(ByteView key) override {
    if (!store_) return closed_error(kBackend, name_);
    if (key.empty()) return empty_key_error();
    std::shared_lock lock(store_->mutex());
    return store_->map().contains(key);
  }

  Status put(ByteView key, ByteView value) override {
    if (Status s = check_writable(); !s) return s;
    if (key.empty()) return empty_key_error();
    std::unique_lock lock(store_->mutex());
    store_->put(key, value);
    return Status::ok();
  }

  Status del(ByteView key) override {
    if (Status s = check_writable(); !s) return s;
    if (key.empty()) return empty_key_error();
    std::unique_lock lock(store_->mutex());
    store_->del(key);
    return Status::ok();
  }

  std::unique_ptr<WriteBatch> new_batch() override { return std::make_unique<MemoryBatch>(); }

  Status write(WriteBatch& batch) override {
    if (Status s = check_writable(); !s) return s;
    auto* b = dynamic_cast<MemoryBatch*>(&batch);
    if (!b) return Status::invalid_argument("the batch was not created by a memory database");
    if (b->has_empty_key()) return empty_key_error();
    std::unique_lock lock(store_->mutex());
    for (const auto& op : b->ops()) {
      if (op.is_put) {
        store_->put(op.key, op.value);
      } else {
        store_->del(op.key);
      }
    }
    return Status::ok();
  }

  std::unique_ptr<Iterator> new_iterator(const IteratorOptions& options) override {
    if (!store_) return std::make_unique<MemoryIterator>(closed_error(kBackend, name_));
    std::unique_ptr<memory::Snapshot> snapshot;
    {
      std::shared_lock lock(store_->mutex());
      snapshot = store_->snapshot();
    }
    return std::make_unique<MemoryIterator>(std::move(snapshot), options);
  }

  Status compact(std::optional<ByteView>, std::optional<ByteView>) override {
    return store_ ? Status::ok() : closed_error(kBackend, name_);
  }

  Result<DbStats> stats() override {
    if (!store_) return closed_error(kBackend, name_);
    std::shared_lock lock(store_->mutex());
    DbStats s;
    s.backend = std::string(kBackend);
    s.estimated_keys = store_->map().size();
    s.disk_bytes = 0;
    s.details = std::to_string(s.estimated_keys) + " keys, " + std::to_string(store_->payload_bytes()) +
                " bytes of keys and values";
    return s;
  }

  Status close() override {
    if (store_) {
      memory::release_store(store_);
      store_.reset();
    }
    return Status::ok();
  }

  std::string_view backend_name() const override { return kBackend; }

 private:
  Status check_writable() const {
    if (!store_) return closed_error(kBackend, name_);
    if (read_only_) return read_only_error(kBackend, name_);
    return Status::ok();
  }

  std::shared_ptr<MemoryStore> store_;  // null once closed
  std::string name_;
  bool read_only_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_memory(const std::filesystem::path& name, const Options& options) {
  auto store = memory::acquire_store(name.string(), options.create_if_missing && !options.read_only);
  if (!store) return store.status();
  return std::unique_ptr<Database>(std::make_unique<MemoryDatabase>(std::move(*store), options.read_only));
}

}  // namespace klay::kv
