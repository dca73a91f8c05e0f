// The node-store interfaces the trie declares; the storage layer implements them.
//
// A stored trie node is keyed by its 32-byte Keccak hash (`node_hash`) or, in
// ExtHash mode, by a 39-byte `ext_hash` (hash + 7-byte counter). Values are
// the node's stored RLP (child references inside it are the children's keys).
// This header has no database dependency; MemoryNodeStore is the in-memory
// implementation used by tests and tools.
#pragma once

#include <array>
#include <cstring>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay::trie {

// A stored node's key: 32 bytes (node hash) or 39 bytes (ExtHash). Fixed-size
// value type, cheap to copy and hash.
struct NodeKey {
  std::array<uint8_t, 39> bytes{};
  uint8_t len = 0;  // 0 (none), 32 or 39

  static bool valid_size(size_t n) { return n == 32 || n == 39; }
  // REQUIRES: valid_size(b.size()).
  static NodeKey from(ByteView b) {
    NodeKey k;
    k.len = static_cast<uint8_t>(b.size());
    std::memcpy(k.bytes.data(), b.data(), b.size());
    return k;
  }
  static NodeKey plain(const Hash& h) { return from(h.view()); }
  static NodeKey ext(const Hash& h, uint64_t counter) { return from(ExtHash::make(h, counter).view()); }
  ByteView view() const { return {bytes.data(), len}; }
  bool empty() const { return len == 0; }
  bool is_ext() const { return len == 39; }
  // The Merkle hash this key names (counter stripped). REQUIRES: !empty().
  Hash hash() const { return Hash::from(ByteView(bytes.data(), 32)); }
  std::string hex() const { return "0x" + to_hex(view()); }
  bool operator==(const NodeKey& o) const { return len == o.len && equal(view(), o.view()); }
  bool operator<(const NodeKey& o) const { return compare(view(), o.view()) < 0; }
};

struct NodeKeyHasher {
  size_t operator()(const NodeKey& k) const {
    uint64_t a, b;
    std::memcpy(&a, k.bytes.data(), 8);
    std::memcpy(&b, k.bytes.data() + 31, 8);  // covers the counter of an ExtHash
    return static_cast<size_t>(a ^ (b * 0x9e3779b97f4a7c15ULL));
  }
};

// The error for a node the store does not hold: NotFound with a message naming
// the key ("missing trie node 0x…"). Trie lookups of absent *keys* never
// produce NotFound; they return an empty optional.
Status missing_node(ByteView key);
bool is_missing_node(const Status& s);

// Read side. get() returns NotFound (any message) when the key is absent; the
// trie turns that into missing_node(key).
// Thread-safety: implementations must allow concurrent get() calls, because the
// parallel node walk reads from many threads.
class NodeReader {
 public:
  virtual ~NodeReader() = default;
  virtual Status get(ByteView key, Bytes* node) const = 0;
};

// Write side: receives nodes during a commit, children before parents.
// Thread-safety: a commit calls put() from one thread.
class NodeWriter {
 public:
  virtual ~NodeWriter() = default;
  virtual Status put(ByteView key, ByteView node) = 0;
};

// A NodeWriter that keeps what it is given, in order (e.g. to inspect a commit).
class NodeSet : public NodeWriter {
 public:
  struct Entry {
    NodeKey key;
    Bytes node;
  };
  Status put(ByteView key, ByteView node) override;
  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  void clear() { entries_.clear(); }

 private:
  std::vector<Entry> entries_;
};

// In-memory node store. Thread-safe (shared_mutex: concurrent reads, exclusive writes).
class MemoryNodeStore : public NodeReader, public NodeWriter {
 public:
  Status get(ByteView key, Bytes* node) const override;
  Status put(ByteView key, ByteView node) override;
  bool has(ByteView key) const;
  void erase(ByteView key);
  size_t size() const;
  // Snapshot of every key (for tests comparing reachable sets).
  std::vector<NodeKey> keys() const;

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<NodeKey, Bytes, NodeKeyHasher> nodes_;
};

}  // namespace klay::trie
