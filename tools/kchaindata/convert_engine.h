// The copying core of `kchaindata convert`: streams source databases in key
// order into destination bulk loaders, checkpointing durably, and proves the
// copy by comparing per-entry-type counts and XXH3 checksums computed on the
// source stream with ones recomputed by reading the destination back.
//
// The key space is cut into `parts` ranges of first bytes; every (pass, part)
// runs as one TBB task with its own loaders, so the ranges of one entry type
// load concurrently (LevelDB batches, RocksDB SST ingestion). LMDB takes one
// writer at a time and appends only past its largest key, so it uses one part.
//
// Read-back is pipelined: as soon as a (pass, part) is loaded and its loaders
// have finished (the data is durable and visible), the same task reads that
// key range of every unit the pass feeds back from the destination through a
// fresh iterator and compares count and checksum with the source's, while
// other tasks are still copying. So the verification overlaps the copy (the
// writes' fsync waits, the other parts' reads) instead of following it.
//
// Resuming: a part whose checkpoint names last key K re-reads the source from
// its start (the checksum covers everything) but loads only keys > K; a part
// marked done loads nothing. Keys past K that reached the destination before
// an interruption are simply written again (loads overwrite). Every part is
// read back again on every run.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/kv/database.h"
#include "tools/common/progress.h"
#include "tools/kchaindata/convert_checkpoint.h"

namespace klay::kchaindata {

struct DestUnit {
  std::string name;           // entry type name, or "single"
  kv::Database* db = nullptr;
};

struct ConvertPass {
  std::string name;                    // checkpoint file name
  std::vector<kv::Database*> sources;  // merged in key order when several
  std::vector<std::string> source_labels;
  // The destination unit (index into the units) of a key.
  std::function<size_t(ByteView key)> route;
  // Every unit route() can return (each unit is fed by exactly one pass).
  std::vector<size_t> feeds;
};

struct ConvertTuning {
  size_t parts = 16;                  // a divisor of 256
  uint64_t chunk_bytes = 64ull << 20; // checkpoint after this much key+value data per part
  uint64_t chunk_keys = 0;            // also after this many keys (0: off; tests)
  int pause_ms = 0;                   // sleep after each checkpoint (tests)
  // Worker threads. Parts block in fsync (checkpoints, SST files, synced
  // batches) for a large share of their time, so the default oversubscribes
  // the cores: 0 means twice the hardware threads, at least 4.
  size_t threads = 0;
};

struct UnitTotals {
  uint64_t count = 0;
  uint64_t bytes = 0;
  uint64_t checksum = 0;  // PairChecksum::combine of the part digests
};

class ConvertEngine {
 public:
  // REQUIRES: every unit is in the `feeds` of exactly one pass; units and
  // sources stay open.
  ConvertEngine(std::vector<DestUnit> units, std::vector<ConvertPass> passes, std::filesystem::path checkpoint_dir,
                ConvertTuning tuning);

  // Copies every pass and reads every part back from the destination as soon
  // as it is loaded. `progress` counts source keys read plus destination keys
  // read back (about twice the key count). Corruption naming the entry type
  // and key range when a part's destination count or checksum differs from
  // the source's; the destination is then left as it is.
  Status copy_and_verify(cli::Progress& progress);

  // Source-side totals per unit (valid after copy_and_verify()).
  std::vector<UnitTotals> source_totals() const;
  // Seconds from the start of copy_and_verify() until the last part was
  // loaded, and until the last part was read back and compared.
  double copy_seconds() const { return copy_seconds_; }
  double total_seconds() const { return total_seconds_; }
  // Keys actually written by this run (less than the totals after a resume).
  uint64_t keys_loaded() const { return loaded_.load(); }
  bool resumed() const { return resumed_.load(); }
  const std::vector<DestUnit>& units() const { return units_; }

 private:
  struct PartSums {
    uint64_t count = 0;
    uint64_t bytes = 0;
    uint64_t digest = 0;
  };
  Status copy_part(const ConvertPass& pass, size_t pass_index, size_t part, cli::Progress& progress);
  // Reads the part's key range of `unit` back from the destination and
  // compares it with the source's sums.
  Status verify_part(size_t unit, size_t part, cli::Progress& progress);
  std::pair<uint8_t, uint8_t> part_range(size_t part) const;

  std::vector<DestUnit> units_;
  std::vector<ConvertPass> passes_;
  std::filesystem::path checkpoint_dir_;
  ConvertTuning tuning_;
  std::vector<std::vector<PartSums>> sums_;  // [unit][part]
  std::vector<std::unique_ptr<PassCheckpoint>> checkpoints_;  // one per pass
  std::atomic<uint64_t> loaded_{0};
  std::atomic<bool> resumed_{false};
  std::atomic<bool> stop_{false};
  double copy_seconds_ = 0;
  double total_seconds_ = 0;
};

}  // namespace klay::kchaindata
