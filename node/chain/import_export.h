// Block export and import as a stream of block RLPs (rlp([header, [txs...]])
// back to back, no framing, as the reference's `ken export` / `ken import`
// write and read them).
//
// Export writes <file>.tmp, fsyncs it, then renames it over <file>, so a
// crash never leaves a truncated export under the final name.
// Import reads the stream one block at a time and inserts them in batches
// through BlockChain::insert_blocks (full verification: seals, roots,
// execution). Blocks already in the canonical chain are skipped. The first
// bad block stops the import with an error naming it (its position in the
// file, number and hash); blocks before it stay inserted.
//
// Threading: each call runs on the calling thread; import is an insert (one
// inserting thread per chain).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "engine/core/status.h"
#include "node/chain/blockchain.h"

namespace klay::chain {

struct ChainTransferProgress {
  uint64_t blocks = 0;          // blocks written (export) or read (import) so far
  uint64_t inserted = 0;        // import: executed and written
  uint64_t skipped = 0;         // import: already present
  uint64_t txns = 0;            // import: transactions in inserted blocks
  uint64_t last_block_num = 0;  // the last block handled
};
using ChainProgressFn = std::function<void(const ChainTransferProgress&)>;

// Writes canonical blocks [from, to]. InvalidArgument when from > to or `to`
// is past the head; IOError naming the file on write failures.
Result<ChainTransferProgress> export_blocks(const BlockChain& chain, const std::filesystem::path& file, uint64_t from,
                                            uint64_t to, const ChainProgressFn& progress = {});

struct ImportOptions {
  // Blocks decoded before each insert_blocks call. Default: 64.
  size_t batch_blocks = 64;
  ChainProgressFn progress;  // called after every batch
};

Result<ChainTransferProgress> import_blocks(BlockChain& chain, const std::filesystem::path& file,
                                            const ImportOptions& options = {});

}  // namespace klay::chain
