// Counters for ExtHash keys (live pruning, KIP-111).
//
// Every node stored in ExtHash mode gets a fresh 7-byte counter so identical
// content written twice has two keys that can be deleted independently.
#pragma once

#include <atomic>
#include <cstdint>

namespace klay::trie {

inline constexpr uint64_t kExtCounterMask = (uint64_t{1} << 56) - 1;

// Source of ExtHash counters. Thread-safety: next() must be safe to call from
// any thread (tries on different threads may share one counter).
class ExtHashCounter {
 public:
  virtual ~ExtHashCounter() = default;
  // A counter value in [1, 2^56); never 0 (0 means "no extension").
  virtual uint64_t next() = 0;
};

// Atomic counter starting at `seed` (masked to 56 bits), incremented per call.
class AtomicExtHashCounter : public ExtHashCounter {
 public:
  explicit AtomicExtHashCounter(uint64_t seed) : value_(seed & kExtCounterMask) {}
  uint64_t next() override;

 private:
  std::atomic<uint64_t> value_;
};

// The process-wide counter, seeded once from the realtime clock in nanoseconds >> 8
// (as the reference node does). Lives for the whole process.
ExtHashCounter& process_ext_hash_counter();

}  // namespace klay::trie
