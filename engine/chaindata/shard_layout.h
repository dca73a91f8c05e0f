// Where a key lands among state-trie shards, and what shard layout a
// directory already holds.
//
// On disk (as the reference node lays it out): with N > 1 shards a state-trie
// database `dir` is N databases in `dir/0` .. `dir/N-1`; with N == 1 it is one
// plain database directly in `dir`. The shard count is not recorded anywhere
// else (the reference persists it nowhere), so the subdirectories are the only
// evidence and a mismatch must be caught from them: reading 4 shards as 8
// would silently miss half the keys.
//
// Pure functions and read-only directory inspection; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/core/status.h"

namespace klay::chaindata {

// The shard of `key`: key[0] & (num_shards - 1). An empty key maps to shard 0
// (the reference rejects empty keys outright; here shard 0's database rejects
// it with InvalidArgument, as every kv backend does).
// REQUIRES: num_shards is a power of two.
inline uint32_t shard_index(ByteView key, uint32_t num_shards) {
  return key.empty() ? 0u : static_cast<uint32_t>(key[0]) & (num_shards - 1);
}

// The name of shard i's subdirectory ("0", "1", ...).
std::string shard_dir_name(uint32_t index);

// What `dir` holds: nullopt when it is missing or empty (a fresh database),
// 1 when it holds a plain database, M when it holds shard directories 0..M-1.
// Corruption when it holds neither, or shard directories with gaps.
Result<std::optional<uint32_t>> detect_shard_count(const std::filesystem::path& dir);

// Ok when `dir` is fresh or holds exactly `num_shards` shards (a plain
// database for 1). Otherwise InvalidArgument naming both counts and the flag
// value to restart with. `what` names the database in the message ("statetrie").
Status check_shard_layout(const std::filesystem::path& dir, uint32_t num_shards, std::string_view what);

}  // namespace klay::chaindata
