// The offline pruner's recovery marker: a file holding the retained roots and
// the reachable-key filter, written before the sweep starts and removed when
// it ends. While it exists an interrupted prune resumes the sweep with the
// same filter (a new mark phase could not see nodes already swept away).
//
// Path: <datadir>/klay/prune-state.marker. Atomicity: the file is written as
// <marker>.tmp, fsynced, renamed over the marker and the directory fsynced;
// readers only ever look at the final name, so a tmp file left by a crash is
// never mistaken for a marker (read_prune_marker deletes it). The content
// ends with an XXH64 checksum: a truncated or damaged marker is Corruption,
// never silently used.
//
// Format (little-endian): "KPRUNEM1", u32 version (1), u32 probes,
// u64 filter words, u32 root count, roots (u64 block_num, 32-byte root),
// filter words (u64 each), u64 XXH64 of everything before it.
// Thread-compatible (plain file I/O).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "engine/core/status.h"
#include "engine/core/types.h"
#include "pruning/node_bloom.h"

namespace klay::pruning {

struct RetainedRoot {
  uint64_t block_num = 0;
  Hash root;
  bool operator==(const RetainedRoot&) const = default;
};

struct PruneMarker {
  std::vector<RetainedRoot> roots;  // the first is the target block's
  std::unique_ptr<NodeBloom> filter;
};

std::filesystem::path prune_marker_path(const std::filesystem::path& datadir);

// Writes the marker atomically (see the file comment). IOError naming the file
// on failure (the final name is then untouched).
Status write_prune_marker(const std::filesystem::path& path, const std::vector<RetainedRoot>& roots,
                          const NodeBloom& filter);
// nullopt when no marker exists (a leftover <path>.tmp is deleted). Corruption
// naming the file when it is truncated, has a bad checksum or an unknown format.
Result<std::optional<PruneMarker>> read_prune_marker(const std::filesystem::path& path);
// Removes the marker (absent is ok) and fsyncs the directory.
Status remove_prune_marker(const std::filesystem::path& path);

}  // namespace klay::pruning
