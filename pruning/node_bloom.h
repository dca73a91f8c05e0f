// NodeBloom: the offline pruner's set of reachable keys, a concurrent Bloom
// filter over xxHash3-128 (double hashing, k probes).
//
// A false positive only keeps a garbage node; there are no false negatives,
// so a key inserted is never swept. Sized from the state-trie database's key
// estimate at bits_per_key (10 bits, k = 7: about 1 % false positives when the
// estimate is right; more keys than expected only raise that rate).
// Serialisable (words() / from_words()) so the prune marker file can carry it.
//
// Threading: insert() and maybe_contains() may run concurrently from any
// number of threads (relaxed atomic ORs); the filter is never resized.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::pruning {

class NodeBloom {
 public:
  static constexpr unsigned kDefaultBitsPerKey = 10;
  static constexpr unsigned kDefaultProbes = 7;

  // Room for `expected_keys` (at least 65536) at `bits_per_key`.
  explicit NodeBloom(uint64_t expected_keys, unsigned bits_per_key = kDefaultBitsPerKey,
                     unsigned probes = kDefaultProbes);
  // A filter rebuilt from serialised words. InvalidArgument for an empty word
  // list or probes outside 1..32.
  static Result<std::unique_ptr<NodeBloom>> from_words(std::vector<uint64_t> words, unsigned probes);

  void insert(ByteView key);
  bool maybe_contains(ByteView key) const;

  uint64_t num_bits() const { return num_words_ * 64; }
  uint64_t byte_size() const { return num_words_ * 8; }
  unsigned probes() const { return probes_; }
  // A copy of the bit words (take it once every insert has finished).
  std::vector<uint64_t> words() const;

 private:
  struct Words {
    uint64_t n;
  };
  NodeBloom(Words words, unsigned probes);
  uint64_t num_words_;
  unsigned probes_;
  std::unique_ptr<std::atomic<uint64_t>[]> bits_;
};

}  // namespace klay::pruning
