#include "pruning/node_bloom.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>

namespace klay::pruning {

NodeBloom::NodeBloom(Words words, unsigned probes)
    : num_words_(words.n), probes_(probes), bits_(new std::atomic<uint64_t>[words.n]) {
  for (uint64_t i = 0; i < num_words_; ++i) bits_[i].store(0, std::memory_order_relaxed);
}

NodeBloom::NodeBloom(uint64_t expected_keys, unsigned bits_per_key, unsigned probes)
    : NodeBloom(Words{(std::max<uint64_t>(expected_keys, 65536) * std::max(bits_per_key, 1u) + 63) / 64},
                std::clamp(probes, 1u, 32u)) {}

Result<std::unique_ptr<NodeBloom>> NodeBloom::from_words(std::vector<uint64_t> words, unsigned probes) {
  if (words.empty()) return Status::invalid_argument("a bloom filter needs at least one word");
  if (probes < 1 || probes > 32) return Status::invalid_argument("bloom filter probes must be in 1..32");
  std::unique_ptr<NodeBloom> b(new NodeBloom(Words{words.size()}, probes));
  for (size_t i = 0; i < words.size(); ++i) b->bits_[i].store(words[i], std::memory_order_relaxed);
  return b;
}

void NodeBloom::insert(ByteView key) {
  const XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
  const uint64_t n = num_bits();
  uint64_t x = h.low64;
  const uint64_t step = h.high64 | 1;
  for (unsigned i = 0; i < probes_; ++i, x += step) {
    const uint64_t bit = x % n;
    bits_[bit >> 6].fetch_or(uint64_t{1} << (bit & 63), std::memory_order_relaxed);
  }
}

bool NodeBloom::maybe_contains(ByteView key) const {
  const XXH128_hash_t h = XXH3_128bits(key.data(), key.size());
  const uint64_t n = num_bits();
  uint64_t x = h.low64;
  const uint64_t step = h.high64 | 1;
  for (unsigned i = 0; i < probes_; ++i, x += step) {
    const uint64_t bit = x % n;
    if ((bits_[bit >> 6].load(std::memory_order_relaxed) & (uint64_t{1} << (bit & 63))) == 0) return false;
  }
  return true;
}

std::vector<uint64_t> NodeBloom::words() const {
  std::vector<uint64_t> w(num_words_);
  for (uint64_t i = 0; i < num_words_; ++i) w[i] = bits_[i].load(std::memory_order_relaxed);
  return w;
}

}  // namespace klay::pruning
