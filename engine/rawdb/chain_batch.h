// Where accessors send their writes.
//
// ChainWriter is the small interface every write accessor takes. Two
// implementations:
//  - DirectWriter: each put/del goes straight to the entry type's database.
//  - ChainBatch: one kv::WriteBatch per entry type. A batch that reaches
//    kv::kIdealBatchSize is written at once (so memory stays bounded on large
//    imports); commit() writes what is left.
//
// Crash ordering in ChainBatch: head pointers (put_head) are held back in a
// batch of their own and written by commit() only after every other batch,
// and the remaining batches are written state trie first, then body,
// receipts, tx lookup, header, the rest, misc last. So after a crash at any
// point no head pointer names a block whose header, body or state is missing;
// at worst the disk holds records no head points to yet.
//
// Ownership: both borrow the DBManager, which must outlive them and keep the
// databases open (no open_entry/promote while a batch is alive).
// Threading: not thread-safe; one thread at a time per object.
#pragma once

#include <array>
#include <memory>

#include "engine/chaindata/db_manager.h"
#include "engine/chaindata/entry_type.h"
#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/kv/database.h"

namespace klay::rawdb {

class ChainWriter {
 public:
  virtual ~ChainWriter() = default;
  virtual Status put(chaindata::EntryType type, ByteView key, ByteView value) = 0;
  virtual Status del(chaindata::EntryType type, ByteView key) = 0;
  // A head pointer (LastHeader, LastBlock, LastFast) in the header database;
  // a batch writes it after everything else.
  virtual Status put_head(ByteView key, ByteView value) = 0;
};

class DirectWriter : public ChainWriter {
 public:
  explicit DirectWriter(const chaindata::DBManager& dbm) : dbm_(dbm) {}
  Status put(chaindata::EntryType type, ByteView key, ByteView value) override;
  Status del(chaindata::EntryType type, ByteView key) override;
  Status put_head(ByteView key, ByteView value) override;

 private:
  const chaindata::DBManager& dbm_;
};

class ChainBatch : public ChainWriter {
 public:
  // REQUIRES: every entry type written to is open in dbm (checked per call:
  // a write to a closed entry type fails with InvalidArgument).
  explicit ChainBatch(const chaindata::DBManager& dbm, size_t flush_bytes = kv::kIdealBatchSize);
  // Discards anything not yet written.
  ~ChainBatch() override;
  ChainBatch(const ChainBatch&) = delete;
  ChainBatch& operator=(const ChainBatch&) = delete;

  // Queue a write; when that entry type's batch reaches flush_bytes it is
  // written immediately. An error from that write is returned here, and the
  // failed batch stays queued (commit() retries it).
  Status put(chaindata::EntryType type, ByteView key, ByteView value) override;
  Status del(chaindata::EntryType type, ByteView key) override;
  Status put_head(ByteView key, ByteView value) override;

  // Writes every pending batch in the crash-safe order above, head pointers
  // last. Stops at the first error (head pointers are then not written).
  // The ChainBatch can be reused afterwards.
  Status commit();

  // Operations and payload bytes still queued (all entry types + heads).
  size_t pending_count() const;
  size_t pending_bytes() const;
  // How many batches were written early because they reached flush_bytes.
  size_t early_flushes() const { return early_flushes_; }

 private:
  Result<kv::WriteBatch*> batch_for(chaindata::EntryType type);
  Status write_one(chaindata::EntryType type, kv::WriteBatch& batch);

  const chaindata::DBManager& dbm_;
  size_t flush_bytes_;
  std::array<std::unique_ptr<kv::WriteBatch>, chaindata::kEntryTypeCount> batches_;
  std::unique_ptr<kv::WriteBatch> heads_;
  size_t early_flushes_ = 0;
};

}  // namespace klay::rawdb
