// Options, hooks and small value types of BlockChain (blockchain.h).
//
// State commit cadence (Klaytn semantics, blockchain/blockchain.go
// writeStateTrie and gcCachedNodeLoop):
//   --gcmode archive   every block's state trie is written to disk.
//   --gcmode full      every block's state stays referenced in the in-memory
//                      trie::NodeDatabase; the root of every block whose number
//                      is a multiple of --state.block-interval is written to
//                      disk; roots of blocks at or below head - tries_in_memory
//                      are dereferenced (their nodes no other kept trie needs
//                      are dropped); when dirty nodes exceed trie_dirty_limit
//                      the oldest are flushed (NodeDatabase::cap).
// On close() the head state is written to disk in both modes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/klaytn/block.h"
#include "engine/klaytn/receipt.h"
#include "engine/rawdb/chain_batch.h"
#include "engine/state/code_store.h"
#include "engine/state/state_db.h"
#include "engine/trie/node_store.h"

namespace klay::chain {

enum class GcMode { kFull, kArchive };

// "full" or "archive" (case-insensitive), as --gcmode takes them.
Result<GcMode> parse_gc_mode(std::string_view name);
std::string_view gc_mode_name(GcMode mode);

// The one place every state-trie write goes through: trie nodes (from
// NodeDatabase::commit/cap, or straight from StateDB::commit in archive mode)
// and contract code. The chain calls flush() at each commit point, before it
// records that the state is on disk. A migration wraps this to write to two
// databases (dual write).
// Threading: called only from the inserting thread.
class StateSink : public trie::NodeWriter, public state::CodeWriter {
 public:
  // Makes everything put so far durable in the database (as durable as the
  // backend's non-synced writes); the sink stays usable.
  virtual Status flush() = 0;
};

// Creates the chain's sink once, at open. The default (null factory) is a
// rawdb::StateStoreBatch over dbm.state_trie().
using StateSinkFactory = std::function<Result<std::unique_ptr<StateSink>>(const chaindata::DBManager&)>;
Result<std::unique_ptr<StateSink>> make_default_state_sink(const chaindata::DBManager& dbm);

// Reported after a state root reached disk (sink flushed, marker written).
struct StateCommitEvent {
  uint64_t block_num = 0;
  Hash block_hash;
  Hash root;
  size_t nodes_flushed = 0;  // nodes written by this commit (0 if the root was already on disk)
  bool at_close = false;
};

// Reported after a block was written and became the head.
// References are valid only during the callback.
struct BlockInsertedEvent {
  const Block& block;
  const Hash& hash;
  const std::vector<Receipt>& receipts;
  // The StateDB commit of this block: new root, and `obsolete`, the keys of
  // stored nodes this block's updates replaced or deleted (live-pruning marks,
  // to be recorded under the parent's number).
  const state::StateCommit& commit;
};

struct BlockChainOptions {
  // --gcmode. Default: full.
  GcMode gc_mode = GcMode::kFull;
  // --state.tries-in-memory: recent block states kept referenced in memory (full mode). Default: 128.
  uint64_t tries_in_memory = 128;
  // --state.block-interval: blocks between state commits to disk (full mode). Default: 128.
  uint64_t state_block_interval = 128;
  // Dirty trie nodes above this many bytes are flushed oldest-first (full mode). Default: 512 MiB.
  size_t trie_dirty_limit = size_t{512} << 20;
  // Clean-node LRU of the NodeDatabase. Default: 64 MiB.
  size_t trie_clean_cache = size_t{64} << 20;
  // Verify Istanbul seals on insert. Default: true (tests and benchmarks of
  // execution alone may turn it off; imports never should).
  bool verify_seals = true;

  // ---- hooks (all optional; called on the inserting thread) ----
  // Creates the state sink (see StateSink). Default: make_default_state_sink.
  StateSinkFactory state_sink_factory;
  // Reads of on-disk state (nodes and code); default: a rawdb::StateStoreReader
  // over dbm.state_trie(). Borrowed; must outlive the chain and allow
  // concurrent get(). Migration points this at a new-then-old reader.
  const trie::NodeReader* disk_nodes = nullptr;
  const state::CodeReader* disk_codes = nullptr;
  std::function<void(const StateCommitEvent&)> on_state_commit;
  // Adds records of block `block_num` to the writer that stores it, so they
  // are written atomically with it (live-pruning marks: LivePruner::write_marks
  // under block_num - 1). Called for every inserted block before its head
  // pointers are queued, and for every block crash recovery re-executes (then
  // with a batch of its own: re-execution creates new ExtHash keys whose
  // replacements must be marked too). An error fails the insert.
  // `obsolete_on_disk`: the block's StateCommit::obsolete (sorted, unique)
  // without the keys that, once the block's commit cadence ran, are still
  // only in memory (dirty in the trie::NodeDatabase, full gcmode; in archive
  // mode every node is on disk by then and nothing is left out). Leaving them
  // unmarked is never unsafe (an unmarked node is never deleted); one of them
  // reaches disk later only if NodeDatabase::cap() flushes it before its last
  // in-memory root leaves the tries_in_memory window, and then stays as
  // garbage. Bound: only cap() leaks, each call at most the nodes obsoleted
  // within the last tries_in_memory blocks that it flushes; nothing leaks
  // while the dirty set stays under trie_dirty_limit (commits of block roots
  // never write an obsolete node: no later root reaches it).
  std::function<Status(uint64_t block_num, std::span<const trie::NodeKey> obsolete_on_disk, rawdb::ChainWriter& w)>
      on_block_batch;
  std::function<void(const BlockInsertedEvent&)> on_block_inserted;
};

// The canonical head.
struct ChainHead {
  uint64_t number = 0;
  Hash hash;
  Header header;
};

struct InsertStats {
  size_t inserted = 0;  // blocks executed and written
  size_t skipped = 0;   // blocks already in the canonical chain
  size_t txns = 0;      // transactions in inserted blocks
};

}  // namespace klay::chain
