// Preparing and finishing the destination of `kchaindata convert`.
//
// The conversion writes into DST + ".converting" and renames it to DST only
// after verification. That directory holds convert-progress/plan.json (what
// is being converted, so a rerun with other flags is refused) and the
// per-pass checkpoints (convert_checkpoint.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "engine/chaindata/config.h"
#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"

namespace klay::kchaindata {

struct ConvertTarget {
  std::filesystem::path dst;        // the final datadir
  std::filesystem::path work;       // dst + ".converting"
  std::filesystem::path progress;   // work / "convert-progress"
  chaindata::Config config;         // destination layout
  bool resuming = false;            // work existed with a matching plan
};

// Checks DST (absent or an empty directory; its parent exists; not the
// source), then creates or reopens the work directory. InvalidArgument with
// one sentence for every refusal.
Result<ConvertTarget> prepare_target(const std::filesystem::path& src, const std::filesystem::path& dst,
                                     const chaindata::Config& dst_config, size_t parts);

// Source size estimate vs free space at the work directory. `free_override`
// replaces the measured free bytes (tests). NoSpace with one sentence when short.
Status check_free_space(const ConvertTarget& t, uint64_t source_disk_bytes, std::optional<uint64_t> free_override,
                        uint64_t* needed_out);

// Copies the source's directory records into the destination misc database
// before the destination manager opens it (so entry types moved by a state
// migration open in the same directories). Only for a multi-database destination.
Status seed_directory_records(const chaindata::DBManager& src, const ConvertTarget& t);

// Writes the settings file (source settings with the destination layout),
// copies the other files of <src>/klay (nodekey, ...), removes the progress
// files and renames the work directory to DST.
Status finish_target(const std::filesystem::path& src, const ConvertTarget& t);

}  // namespace klay::kchaindata
