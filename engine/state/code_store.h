// Contract code storage interfaces the state layer declares; the storage side
// implements them (code lives in the state-trie database under "c" + codeHash).
//
// MemoryCodeStore is the in-memory implementation used by tests and tools.
#pragma once

#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay::state {

// The key schema's code key: "c" + codeHash (33 bytes).
Bytes code_db_key(const Hash& code_hash);

// Read side. get() returns NotFound (any message) when the code is absent.
// Thread-safety: implementations must allow concurrent get() calls.
class CodeReader {
 public:
  virtual ~CodeReader() = default;
  virtual Status get(const Hash& code_hash, Bytes* code) const = 0;
};

// Write side: receives new contract code during StateDB::commit().
// Thread-safety: a commit calls put() from one thread.
class CodeWriter {
 public:
  virtual ~CodeWriter() = default;
  virtual Status put(const Hash& code_hash, ByteView code) = 0;
};

// In-memory code store. Thread-safe (concurrent reads, exclusive writes).
class MemoryCodeStore : public CodeReader, public CodeWriter {
 public:
  Status get(const Hash& code_hash, Bytes* code) const override;
  Status put(const Hash& code_hash, ByteView code) override;
  void erase(const Hash& code_hash);
  size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<Hash, Bytes, FixedBytesHasher> codes_;
};

}  // namespace klay::state
