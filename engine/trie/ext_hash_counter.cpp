#include "engine/trie/ext_hash_counter.h"

#include <chrono>

namespace klay::trie {

uint64_t AtomicExtHashCounter::next() {
  for (;;) {
    const uint64_t v = (value_.fetch_add(1, std::memory_order_relaxed) + 1) & kExtCounterMask;
    if (v != 0) return v;  // skip the reserved zero after wrap-around
  }
}

ExtHashCounter& process_ext_hash_counter() {
  static AtomicExtHashCounter counter(static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count()) >>
      8);
  return counter;
}

}  // namespace klay::trie
