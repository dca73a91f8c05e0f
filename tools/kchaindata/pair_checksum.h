// XXH3-64 over a stream of (key, value) pairs: each pair is fed as
// LE32(len(key)) ++ key ++ LE32(len(value)) ++ value, so different splits of
// the same bytes never collide by construction. Used by convert to compare
// source and destination. Not thread-safe; one per stream. Pairs are staged
// in a 64 KiB buffer per instance and hashed in blocks; digest() hashes what
// is staged and may be called at any point (adding may continue after it).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "engine/core/bytes.h"

namespace klay::kchaindata {

class PairChecksum {
 public:
  PairChecksum();
  ~PairChecksum();
  PairChecksum(PairChecksum&&) noexcept;
  PairChecksum& operator=(PairChecksum&&) noexcept;

  void add(ByteView key, ByteView value);
  uint64_t count() const { return count_; }
  uint64_t bytes() const { return bytes_; }
  uint64_t digest() const;

  // XXH3-64 of the digests in order (combining the parts of one entry type).
  static uint64_t combine(std::span<const uint64_t> digests);

 private:
  struct State;
  std::unique_ptr<State> state_;
  uint64_t count_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace klay::kchaindata
