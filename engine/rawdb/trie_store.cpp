#include "engine/rawdb/trie_store.h"

#include <string>

#include "engine/rawdb/schema.h"

namespace klay::rawdb {

namespace {

Status check_node_key(ByteView key) {
  if (trie::NodeKey::valid_size(key.size())) return Status::ok();
  return Status::invalid_argument("a trie node key is 32 or 39 bytes, got " + std::to_string(key.size()));
}

}  // namespace

Status StateStoreReader::get(ByteView key, Bytes* node) const {
  if (auto s = check_node_key(key); !s) return s;
  Status s = db_.get(key, node);
  if (s.is_not_found()) return trie::missing_node(key);
  return s;
}

Status StateStoreReader::get(const Hash& code_hash, Bytes* code) const {
  Status s = db_.get(code_key(code_hash), code);
  if (s.is_not_found()) return Status::not_found("no code with hash " + code_hash.hex());
  return s;
}

StateStoreBatch::StateStoreBatch(kv::Database& db, size_t flush_bytes)
    : db_(db), flush_bytes_(flush_bytes), batch_(db.new_batch()) {}

StateStoreBatch::~StateStoreBatch() = default;

Status StateStoreBatch::put(ByteView key, ByteView node) {
  if (auto s = check_node_key(key); !s) return s;
  batch_->put(key, node);
  ++nodes_;
  return maybe_flush();
}

Status StateStoreBatch::put(const Hash& code_hash, ByteView code) {
  batch_->put(code_key(code_hash), code);
  return maybe_flush();
}

Status StateStoreBatch::maybe_flush() {
  return batch_->value_bytes() >= flush_bytes_ ? flush() : Status::ok();
}

Status StateStoreBatch::flush() {
  if (batch_->count() == 0) return Status::ok();
  if (auto s = db_.write(*batch_); !s) return s;
  batch_->clear();
  return Status::ok();
}

Status ChainStateWriter::put(ByteView key, ByteView node) {
  if (auto s = check_node_key(key); !s) return s;
  return w_.put(kTrieNodeDb, key, node);
}

Status ChainStateWriter::put(const Hash& code_hash, ByteView code) {
  return w_.put(kCodeDb, code_key(code_hash), code);
}

}  // namespace klay::rawdb
