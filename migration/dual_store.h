// The online form's hooks into state-trie I/O while a migration runs.
//
//   DualStateWriter     every trie node and code the node commits goes to its
//                       usual writer (the old state trie) and into a batch on
//                       the migration target. Dual-written nodes never
//                       count as "copied" (no completion record), which is
//                       what keeps the copy complete (see trie_copier.h).
//   FallbackStateReader reads the target first, then the old database.
//
// Ownership: both borrow what they are given; all must outlive them. The
// node must not promote or drop the migration while either is in use
// (DBManager closes the replaced database; see db_manager.h).
// Threading: the writer is single-threaded like a commit; the reader allows
// concurrent get().
#pragma once

#include "engine/kv/database.h"
#include "engine/rawdb/trie_store.h"
#include "engine/state/code_store.h"
#include "engine/trie/node_store.h"

namespace klay::migration {

class DualStateWriter : public trie::NodeWriter, public state::CodeWriter {
 public:
  // `primary_nodes`/`primary_codes`: the node's own writers into the old state trie.
  DualStateWriter(trie::NodeWriter& primary_nodes, state::CodeWriter& primary_codes, kv::Database& target,
                  size_t flush_bytes = kv::kIdealBatchSize);

  // The primary first; a failure there is returned before the target sees the write.
  Status put(ByteView key, ByteView node) override;
  Status put(const Hash& code_hash, ByteView code) override;
  // Writes what is queued for the target. Call when the commit is done (the
  // node may do it before or after its own batch: a dual-write lost in a
  // crash is found missing and copied by the migration's final check).
  Status flush() { return target_.flush(); }

  size_t target_nodes_written() const { return target_.nodes_written(); }

 private:
  trie::NodeWriter& primary_nodes_;
  state::CodeWriter& primary_codes_;
  rawdb::StateStoreBatch target_;
};

class FallbackStateReader : public trie::NodeReader, public state::CodeReader {
 public:
  FallbackStateReader(kv::Database& target, kv::Database& old) : first_(target), second_(old) {}
  // NotFound only when neither database has the key.
  Status get(ByteView key, Bytes* node) const override;
  Status get(const Hash& code_hash, Bytes* code) const override;

 private:
  rawdb::StateStoreReader first_;
  rawdb::StateStoreReader second_;
};

}  // namespace klay::migration
