#include "engine/kv/lmdb/lmdb_batch.h"

namespace klay::kv::lmdb_detail {

void LmdbBatch::put(ByteView key, ByteView value) {
  ops_.push_back(Op{true, arena_.size(), key.size(), value.size()});
  append(arena_, key);
  append(arena_, value);
  payload_bytes_ += key.size() + value.size();
}

void LmdbBatch::del(ByteView key) {
  ops_.push_back(Op{false, arena_.size(), key.size(), 0});
  append(arena_, key);
  payload_bytes_ += key.size();
}

void LmdbBatch::clear() {
  ops_.clear();
  arena_.clear();
  payload_bytes_ = 0;
}

void LmdbBatch::replay(BatchHandler& handler) const {
  for (const Op& op : ops_) {
    const ByteView key(arena_.data() + op.offset, op.key_size);
    if (op.is_put) {
      handler.put(key, ByteView(arena_.data() + op.offset + op.key_size, op.value_size));
    } else {
      handler.del(key);
    }
  }
}

}  // namespace klay::kv::lmdb_detail
