// The storage side of the trie and state interfaces, over the state-trie
// database (trie nodes under their 32-byte hash or 39-byte ExtHash, code
// under "c" + codeHash).
//
//   StateStoreReader  trie::NodeReader + state::CodeReader over a kv::Database
//   StateStoreBatch   trie::NodeWriter + state::CodeWriter collecting into one
//                     kv::WriteBatch of a kv::Database, written whenever it
//                     reaches flush_bytes and by flush()
//   ChainStateWriter  trie::NodeWriter + state::CodeWriter staging into a
//                     ChainWriter (so a ChainBatch orders them before heads)
//
// Ownership: each borrows its database/writer, which must outlive it.
// Threading: StateStoreReader allows concurrent get() (kv::Database reads are
// thread-safe); the writers are single-threaded, like a trie commit.
#pragma once

#include <memory>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/kv/database.h"
#include "engine/rawdb/chain_batch.h"
#include "engine/state/code_store.h"
#include "engine/trie/node_store.h"

namespace klay::rawdb {

class StateStoreReader : public trie::NodeReader, public state::CodeReader {
 public:
  explicit StateStoreReader(kv::Database& db) : db_(db) {}
  // NotFound when absent; InvalidArgument for a key that is neither 32 nor 39 bytes.
  Status get(ByteView key, Bytes* node) const override;
  Status get(const Hash& code_hash, Bytes* code) const override;

 private:
  kv::Database& db_;
};

class StateStoreBatch : public trie::NodeWriter, public state::CodeWriter {
 public:
  explicit StateStoreBatch(kv::Database& db, size_t flush_bytes = kv::kIdealBatchSize);
  // Discards what was not flushed.
  ~StateStoreBatch() override;

  // InvalidArgument for a node key that is neither 32 nor 39 bytes.
  Status put(ByteView key, ByteView node) override;
  Status put(const Hash& code_hash, ByteView code) override;
  // Writes what is queued. Call after the commit.
  Status flush();

  size_t nodes_written() const { return nodes_; }
  size_t pending_bytes() const { return batch_->value_bytes(); }

 private:
  Status maybe_flush();
  kv::Database& db_;
  size_t flush_bytes_;
  std::unique_ptr<kv::WriteBatch> batch_;
  size_t nodes_ = 0;
};

class ChainStateWriter : public trie::NodeWriter, public state::CodeWriter {
 public:
  explicit ChainStateWriter(ChainWriter& w) : w_(w) {}
  Status put(ByteView key, ByteView node) override;
  Status put(const Hash& code_hash, ByteView code) override;

 private:
  ChainWriter& w_;
};

}  // namespace klay::rawdb
