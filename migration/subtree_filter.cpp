#include "migration/subtree_filter.h"

#include <xxhash.h>

#include <algorithm>

namespace klay::migration {

SubtreeFilter::SubtreeFilter(uint64_t expected_keys, unsigned bits_per_key) {
  const uint64_t keys = std::max<uint64_t>(expected_keys, 1024);
  const uint64_t bits = keys * std::max(bits_per_key, 4u);
  num_blocks_ = std::max<uint64_t>(1, (bits + kBlockBytes * 8 - 1) / (kBlockBytes * 8));
  words_ = std::make_unique<std::atomic<uint64_t>[]>(num_blocks_ * 8);
  for (uint64_t i = 0; i < num_blocks_ * 8; ++i) words_[i].store(0, std::memory_order_relaxed);
}

namespace {
__extension__ typedef unsigned __int128 u128;

// One 128-bit hash: the low half picks the block, the high half drives the
// probes (double hashing inside the 512-bit block).
struct Probe {
  uint64_t block;
  uint64_t h;
};
inline Probe probe_of(ByteView key, uint64_t num_blocks) {
  const XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
  // Multiply-shift maps the 64-bit hash onto [0, num_blocks) without a modulo bias worth caring about.
  const uint64_t block = static_cast<uint64_t>((static_cast<u128>(h.low64) * num_blocks) >> 64);
  return {block, h.high64};
}
}  // namespace

void SubtreeFilter::insert(ByteView key) {
  const Probe p = probe_of(key, num_blocks_);
  std::atomic<uint64_t>* block = &words_[p.block * 8];
  uint64_t h = p.h;
  const uint64_t step = (h >> 32) | 1;
  for (int i = 0; i < kProbes; ++i) {
    const unsigned bit = static_cast<unsigned>(h & 511);
    block[bit >> 6].fetch_or(uint64_t{1} << (bit & 63), std::memory_order_relaxed);
    h += step;
  }
  inserted_.fetch_add(1, std::memory_order_relaxed);
}

bool SubtreeFilter::maybe_contains(ByteView key) const {
  const Probe p = probe_of(key, num_blocks_);
  const std::atomic<uint64_t>* block = &words_[p.block * 8];
  uint64_t h = p.h;
  const uint64_t step = (h >> 32) | 1;
  for (int i = 0; i < kProbes; ++i) {
    const unsigned bit = static_cast<unsigned>(h & 511);
    if (!(block[bit >> 6].load(std::memory_order_relaxed) & (uint64_t{1} << (bit & 63)))) return false;
    h += step;
  }
  return true;
}

}  // namespace klay::migration
