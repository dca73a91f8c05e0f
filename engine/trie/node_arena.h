// NodeArena: the memory of one trie's in-memory nodes (internal to engine/trie).
//
// Small blocks are carved from chunks that grow geometrically (a tiny trie
// costs one small chunk); freed blocks go to per-size free lists and are reused.
// Blocks above kMaxSmall are allocated individually. Destroying the arena
// releases everything at once, so a trie never walks its nodes to free them.
// Blocks hold trivially destructible data only.
// Movable (blocks stay where they are); not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

// Under AddressSanitizer, free and not yet handed out arena memory is poisoned,
// so a node used after free_node() is reported like a heap use-after-free.
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define KLAY_ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define KLAY_ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define KLAY_ARENA_POISON(p, n) ((void)(p), (void)(n))
#define KLAY_ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace klay::trie {

class NodeArena {
 public:
  static constexpr size_t kAlign = 16;
  static constexpr size_t kMaxSmall = 2048;

  NodeArena() = default;
  NodeArena(NodeArena&& o) noexcept { steal(o); }
  NodeArena& operator=(NodeArena&& o) noexcept {
    if (this != &o) {
      release_all();
      steal(o);
    }
    return *this;
  }
  NodeArena(const NodeArena&) = delete;
  NodeArena& operator=(const NodeArena&) = delete;
  ~NodeArena() { release_all(); }

  // The usable size of a block requested with `n` bytes (n rounded up to its class).
  static size_t block_size(size_t n) { return n <= 256 ? (n + 15) & ~size_t{15} : round_large(n); }

  // A block of block_size(n) bytes, 16-byte aligned, uninitialised. REQUIRES: n > 0.
  void* allocate(size_t n) {
    if (n <= 256) {
      const size_t c = (n - 1) >> 4;
      const size_t sz = (c + 1) << 4;
      if (void* p = free_[c]) {
        KLAY_ARENA_UNPOISON(p, sz);
        free_[c] = *static_cast<void**>(p);
        return p;
      }
      if (static_cast<size_t>(end_ - cur_) >= sz) {
        void* p2 = cur_;
        cur_ += sz;
        KLAY_ARENA_UNPOISON(p2, sz);
        return p2;
      }
    }
    return allocate_slow(n);
  }
  // Returns a block; `n` is the size it was allocated with (or its block_size).
  void deallocate(void* p, size_t n);

  // Bytes obtained from the system (chunks and large blocks).
  size_t reserved() const { return reserved_; }

 private:
  static constexpr size_t kSmallClasses = 16;                 // 16..256 step 16
  static constexpr size_t kClasses = kSmallClasses + 6;       // 384 .. 2048
  static size_t round_large(size_t n);
  static size_t class_of(size_t n);
  void* allocate_slow(size_t n);
  void release_all();
  void steal(NodeArena& o);

  struct Chunk;
  struct Large;
  uint8_t* cur_ = nullptr;
  uint8_t* end_ = nullptr;
  Chunk* chunks_ = nullptr;
  Large* large_ = nullptr;
  size_t next_chunk_ = 0;
  size_t reserved_ = 0;
  void* free_[kClasses] = {};
};

}  // namespace klay::trie
