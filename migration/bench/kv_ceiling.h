// The key-value ceiling of a copy: what the backend alone costs for the same
// data, without the trie walk. A copy of N nodes is at best N random point
// reads of the source plus N writes into the target; this measures both on
// the databases the migration uses, in random key order, with `threads`
// threads: the reads with Database::get, the writes through the copier's own
// CopyWriter batches (sorted ~100 KiB batches), values of the source's sizes.
//
// Threading: blocks; uses up to `threads` TBB workers. `target` must be empty
// (it is filled with the source's keys and dummy values).
#pragma once

#include <cstdint>

#include "engine/core/status.h"
#include "engine/kv/database.h"

namespace klay::migration::bench {

struct CeilingResult {
  uint64_t keys = 0;           // every key of the source
  uint64_t bytes = 0;          // their keys + values
  double read_seconds = 0;     // all keys read once, random order
  double read_cpu_seconds = 0;
  double write_seconds = 0;    // all keys written once, random order
  double write_cpu_seconds = 0;
};

// Every key of `source` is listed first (untimed; memory: the keys plus 12
// bytes each), shuffled with a fixed seed, then read, then written.
Result<CeilingResult> measure_kv_ceiling(kv::Database& source, kv::Database& target, size_t threads);

}  // namespace klay::migration::bench
