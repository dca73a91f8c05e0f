#include "engine/trie/node_arena.h"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace klay::trie {

namespace {
constexpr size_t kLargeClasses[] = {384, 512, 768, 1024, 1536, 2048};
constexpr size_t kFirstChunk = 512;
// Chunks grow to kHugeChunk; from then on each is one 2 MiB-aligned mapping
// (a transparent huge page where the kernel allows it: a big trie is walked in
// random order, and 4 KiB pages would make most node visits a TLB miss too).
// Cost: a trie past ~2 MiB may hold up to one 2 MiB page it does not fill yet.
// Switching later (e.g. past 32 MiB) measured 10-25% slower at 1M keys, as the
// upper levels, built first, would stay on small pages.
constexpr size_t kHugeChunk = size_t{2} << 20;

void* sys_alloc(size_t n) {
  void* p = std::malloc(n);
  if (!p) throw std::bad_alloc();
  return p;
}

#if defined(__linux__)
void* map_huge_chunk() {
  const size_t span = 2 * kHugeChunk;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto base = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (base + kHugeChunk - 1) & ~(kHugeChunk - 1);
  if (aligned > base) munmap(raw, aligned - base);
  if (base + span > aligned + kHugeChunk) munmap(reinterpret_cast<void*>(aligned + kHugeChunk), base + span - aligned - kHugeChunk);
#if defined(MADV_HUGEPAGE)
  madvise(reinterpret_cast<void*>(aligned), kHugeChunk, MADV_HUGEPAGE);
#endif
  return reinterpret_cast<void*>(aligned);
}
void unmap_huge_chunk(void* p) { munmap(p, kHugeChunk); }
#else
void* map_huge_chunk() { return nullptr; }
void unmap_huge_chunk(void*) {}
#endif
}  // namespace

struct alignas(16) NodeArena::Chunk {
  Chunk* next;
  size_t size;
  bool mapped;
};

// Individually allocated block (above kMaxSmall), linked so it can be freed alone.
struct alignas(16) NodeArena::Large {
  Large* prev;
  Large* next;
  size_t size;
};

size_t NodeArena::round_large(size_t n) {
  for (size_t c : kLargeClasses)
    if (n <= c) return c;
  return (n + kAlign - 1) & ~(kAlign - 1);
}

size_t NodeArena::class_of(size_t n) {
  if (n <= 256) return (n - 1) >> 4;
  for (size_t i = 0; i < sizeof(kLargeClasses) / sizeof(kLargeClasses[0]); ++i)
    if (n <= kLargeClasses[i]) return kSmallClasses + i;
  return kClasses;  // not pooled
}

void* NodeArena::allocate_slow(size_t n) {
  const size_t c = class_of(n);
  if (c == kClasses) {
    const size_t sz = round_large(n);
    auto* l = static_cast<Large*>(sys_alloc(sizeof(Large) + sz));
    l->prev = nullptr;
    l->next = large_;
    l->size = sz;
    if (large_) large_->prev = l;
    large_ = l;
    reserved_ += sizeof(Large) + sz;
    return l + 1;
  }
  const size_t sz = block_size(n);
  if (void* p = free_[c]) {
    KLAY_ARENA_UNPOISON(p, sz);
    free_[c] = *static_cast<void**>(p);
    return p;
  }
  if (static_cast<size_t>(end_ - cur_) < sz) {
    // The rest of the current chunk is abandoned (less than kMaxSmall bytes).
    next_chunk_ = next_chunk_ == 0 ? kFirstChunk : (next_chunk_ < kHugeChunk ? next_chunk_ * 2 : kHugeChunk);
    while (next_chunk_ < sz + sizeof(Chunk)) next_chunk_ *= 2;
    void* mem = next_chunk_ == kHugeChunk ? map_huge_chunk() : nullptr;
    auto* ch = static_cast<Chunk*>(mem ? mem : sys_alloc(next_chunk_));
    ch->size = next_chunk_;
    ch->mapped = mem != nullptr;
    ch->next = chunks_;
    chunks_ = ch;
    reserved_ += next_chunk_;
    cur_ = reinterpret_cast<uint8_t*>(ch + 1);
    end_ = reinterpret_cast<uint8_t*>(ch) + next_chunk_;
    KLAY_ARENA_POISON(cur_, static_cast<size_t>(end_ - cur_));
  }
  void* p = cur_;
  cur_ += sz;
  KLAY_ARENA_UNPOISON(p, sz);
  return p;
}

void NodeArena::deallocate(void* p, size_t n) {
  const size_t c = class_of(n);
  if (c == kClasses) {
    auto* l = static_cast<Large*>(p) - 1;
    if (l->prev) l->prev->next = l->next;
    else large_ = l->next;
    if (l->next) l->next->prev = l->prev;
    reserved_ -= sizeof(Large) + l->size;
    std::free(l);
    return;
  }
  *static_cast<void**>(p) = free_[c];
  free_[c] = p;
  KLAY_ARENA_POISON(p, block_size(n));
}

void NodeArena::release_all() {
  while (chunks_) {
    Chunk* next = chunks_->next;
    KLAY_ARENA_UNPOISON(chunks_, chunks_->size);
    if (chunks_->mapped) unmap_huge_chunk(chunks_);
    else std::free(chunks_);
    chunks_ = next;
  }
  while (large_) {
    Large* next = large_->next;
    std::free(large_);
    large_ = next;
  }
  cur_ = end_ = nullptr;
  next_chunk_ = 0;
  reserved_ = 0;
  for (auto& f : free_) f = nullptr;
}

void NodeArena::steal(NodeArena& o) {
  cur_ = o.cur_;
  end_ = o.end_;
  chunks_ = o.chunks_;
  large_ = o.large_;
  next_chunk_ = o.next_chunk_;
  reserved_ = o.reserved_;
  for (size_t i = 0; i < kClasses; ++i) free_[i] = o.free_[i];
  o.cur_ = o.end_ = nullptr;
  o.chunks_ = nullptr;
  o.large_ = nullptr;
  o.next_chunk_ = 0;
  o.reserved_ = 0;
  for (auto& f : o.free_) f = nullptr;
}

}  // namespace klay::trie
