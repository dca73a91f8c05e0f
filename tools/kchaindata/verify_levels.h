// The three levels of `kchaindata verify`. Each adds what it finds to the
// ProblemLog and returns non-ok only when it cannot run at all (no head
// block, an unreadable database): the caller exits 3 then, 1 for problems.
#pragma once

#include <cstdint>
#include <optional>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "tools/common/progress.h"
#include "tools/kchaindata/verify_report.h"

namespace klay::kchaindata {

struct LevelResult {
  uint64_t checked = 0;  // items examined (nodes, blocks, ...)
  std::string note;      // what was covered, e.g. "state of block 12 (root 0x..)"
};

// Every stored trie node's key against the Merkle hash of its value (39-byte
// keys: the first 32 bytes, counters stripped), code against its code hash,
// preimages against their hash.
Result<LevelResult> verify_hashes(const chaindata::DBManager& dbm, ProblemLog& log, FILE* progress_out, bool quiet);

// Walks the state of `block` (default: the newest block whose state is on
// disk, "LastStateBlock", else the head block): account trie, every storage
// trie, every code.
Result<LevelResult> verify_trie(const chaindata::DBManager& dbm, std::optional<uint64_t> block, ProblemLog& log,
                                FILE* progress_out, bool quiet);

// Blocks 0..block (default: the head block): canonical links, header hashes,
// header numbers, tx and receipts roots, tx lookups, total scores.
Result<LevelResult> verify_chain(const chaindata::DBManager& dbm, std::optional<uint64_t> block, ProblemLog& log,
                                 FILE* progress_out, bool quiet);

}  // namespace klay::kchaindata
