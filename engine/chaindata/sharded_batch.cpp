#include "engine/chaindata/sharded_batch.h"

#include <optional>

#include "engine/chaindata/shard_layout.h"

namespace klay::chaindata {

namespace {

struct Op {
  Bytes key;
  std::optional<Bytes> value;  // nullopt: delete
};

// Copies a native batch's operations out so they can be interleaved again.
class Recorder final : public kv::BatchHandler {
 public:
  explicit Recorder(std::vector<Op>& out) : out_(out) {}
  void put(ByteView key, ByteView value) override { out_.push_back({to_bytes(key), to_bytes(value)}); }
  void del(ByteView key) override { out_.push_back({to_bytes(key), std::nullopt}); }

 private:
  std::vector<Op>& out_;
};

void emit(const Op& op, kv::BatchHandler& handler) {
  if (op.value) {
    handler.put(op.key, *op.value);
  } else {
    handler.del(op.key);
  }
}

}  // namespace

ShardedBatch::ShardedBatch(const ShardedDatabase* owner, std::vector<std::unique_ptr<kv::WriteBatch>> parts)
    : owner_(owner), parts_(std::move(parts)) {}

void ShardedBatch::put(ByteView key, ByteView value) {
  const uint32_t i = shard_index(key, num_parts());
  parts_[i]->put(key, value);
  order_.push_back(static_cast<uint8_t>(i));
}

void ShardedBatch::del(ByteView key) {
  const uint32_t i = shard_index(key, num_parts());
  parts_[i]->del(key);
  order_.push_back(static_cast<uint8_t>(i));
}

size_t ShardedBatch::value_bytes() const {
  size_t sum = 0;
  for (const auto& p : parts_) sum += p->value_bytes();
  return sum;
}

void ShardedBatch::clear() {
  for (auto& p : parts_) p->clear();
  order_.clear();
}

void ShardedBatch::replay(kv::BatchHandler& handler) const {
  if (parts_.size() == 1) {
    parts_[0]->replay(handler);
    return;
  }
  std::vector<std::vector<Op>> ops(parts_.size());
  std::vector<size_t> expected(parts_.size(), 0);
  for (uint8_t i : order_) ++expected[i];
  bool aligned = true;
  for (size_t i = 0; i < parts_.size(); ++i) {
    if (expected[i] == 0) continue;
    Recorder rec(ops[i]);
    parts_[i]->replay(rec);
    aligned = aligned && ops[i].size() == expected[i];
  }
  if (!aligned) {
    // A native batch that merged operations no longer lines up with the log;
    // shard order is the best that can be reported then.
    for (const auto& shard_ops : ops) {
      for (const Op& op : shard_ops) emit(op, handler);
    }
    return;
  }
  std::vector<size_t> next(parts_.size(), 0);
  for (uint8_t i : order_) emit(ops[i][next[i]++], handler);
}

}  // namespace klay::chaindata
