// The records a migration keeps inside its target database (never in misc),
// so that dropping the target drops them too and a promoted target carries
// nothing a later cleanup cannot find:
//
//   "klay-migration-done-" + node key  -> BE64(nodes in that subtree)
//       completion record: every node reachable from `node key` (storage
//       tries and code of account leaves included) is durably in the target.
//       Written only after the batches holding those nodes returned ok.
//   "klay-migration-meta"              -> CheckpointMeta (below)
//
// These keys (52/59 and 19 bytes, prefix "klay-migration-") can never be
// mistaken for trie nodes (32/39 bytes), code ("c" + 32) or preimages
// ("secure-key-" + 32).
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/trie/node_store.h"

namespace klay::migration {

inline constexpr std::string_view kRecordKeysPrefix = "klay-migration-";
inline constexpr std::string_view kDoneRecordPrefix = "klay-migration-done-";
inline constexpr std::string_view kMetaKey = "klay-migration-meta";

Bytes done_record_key(ByteView node_key);
Bytes encode_done_count(uint64_t nodes);
// Nodes counted in a completion record; Corruption when it is not 8 bytes.
Result<uint64_t> decode_done_count(ByteView value);

enum class Phase : uint8_t {
  kCopying = 0,   // copying the tree at block_num (and later roots)
  kVerified = 1,  // every node reachable from root and verified_root is in the target
};

// The durable checkpoint of a migration (besides the completion records).
struct CheckpointMeta {
  uint64_t block_num = 0;
  trie::NodeKey root;           // the state root key of block_num
  Phase phase = Phase::kCopying;
  // Counters summed over every run, for status after a restart.
  uint64_t nodes_read = 0;      // nodes read from the source
  uint64_t nodes_written = 0;   // nodes and codes written to the target
  uint64_t runs = 0;            // how many times the copy was started
  trie::NodeKey verified_root;  // with kVerified: the newest root checked besides `root`

  bool operator==(const CheckpointMeta&) const = default;
};

Bytes encode_meta(const CheckpointMeta& meta);
// Corruption with one sentence when `value` is not an encoded CheckpointMeta.
Result<CheckpointMeta> decode_meta(ByteView value);

}  // namespace klay::migration
