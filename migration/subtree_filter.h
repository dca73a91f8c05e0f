// SubtreeFilter: a concurrent blocked Bloom filter over node keys (xxHash3).
//
// The migration uses it as a fast "maybe" in front of a durable, exact check:
// a key is inserted only after the migration has durably written a completion
// record for the subtree under that key (migration_records.h). A filter hit is
// then confirmed by reading that record from the target database, so a false
// positive costs one extra read and never a skipped node; a miss is always
// right (Bloom filters have no false negatives).
//
// Sizing: built for an expected number of keys at ~10 bits per key (about
// 1 % false positives with 8 probes in one 512-bit block). More keys than
// expected only raise the false-positive rate; the result stays correct.
//
// Threading: insert() and maybe_contains() may run concurrently from any
// number of threads (relaxed atomic bit sets); the filter is not resized.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "engine/core/bytes.h"

namespace klay::migration {

class SubtreeFilter {
 public:
  // Room for `expected_keys` (at least 1024) at `bits_per_key` (default 10).
  explicit SubtreeFilter(uint64_t expected_keys, unsigned bits_per_key = 10);

  void insert(ByteView key);
  bool maybe_contains(ByteView key) const;

  uint64_t memory_bytes() const { return num_blocks_ * kBlockBytes; }
  uint64_t inserted() const { return inserted_.load(std::memory_order_relaxed); }

 private:
  static constexpr uint64_t kBlockBytes = 64;  // one cache line: 8 x 64-bit words
  static constexpr int kProbes = 8;

  uint64_t num_blocks_;
  std::unique_ptr<std::atomic<uint64_t>[]> words_;
  std::atomic<uint64_t> inserted_{0};
};

}  // namespace klay::migration
