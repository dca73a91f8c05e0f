// BlockChain: the canonical chain of a single-validator Istanbul network over
// a chaindata DBManager: validation, execution, insertion, head, reads, state
// at a block, the state commit cadence (chain_options.h) and crash recovery.
//
// Opening: the datadir must hold a genesis (`knode init`): block 0's
// canonical hash, its chain config under "klay-config-" + hash, the head
// pointers. The validator set is the genesis header's Istanbul extra (no
// governance voting: it never changes).
//
// Insertion (one path for produced and imported blocks): a block must extend
// the current head (a block already in the canonical chain is skipped; any
// other block whose parent is not the head is refused: no side chains, no
// reorgs). Checks, in order: parent link (number, parent hash, time >= parent
// time), base fee (KIP-71 from Magma on, none before; base_fee.h), Istanbul
// seal (seal.h), transaction root, sender recovery (parallel), execution over
// a StateDB at the parent's root, gas used, bloom, receipts root, state root.
// Then, through one rawdb::ChainBatch: header, body, receipts, tx lookups,
// canonical hash, total score, then the head pointers
// (LastHeader, LastBlock, LastFast) and, when this block's state reached disk,
// the state marker (below), all last in one atomic write.
//
// Durability of state: the header database key "LastStateBlock" (rawdb::kStateBlockKey; our own
// record, not in the reference schema; written atomically with the head
// pointers) names the newest block whose state is fully on disk. open()
// starts from it (or, when absent, from the newest block at or below the head
// whose state root is on disk), and re-executes every later block up to the
// stored head from their stored bodies, so a kill -9 loses no inserted block.
// close() writes the head state to disk and moves the marker to the head.
//
// Threading: insert_block/insert_blocks/close must be called from one thread
// at a time (the producer or importer; an internal mutex serialises misuse).
// Every read (head, blocks, receipts, lookups, state readers) may be called
// from any thread concurrently with an insert: the head is guarded by a
// shared_mutex, state is read through the thread-safe trie::NodeDatabase.
// A StateReader of an in-memory state may start failing with "state not
// available" once its root leaves the tries-in-memory window.
// Ownership: borrows the DBManager (must outlive the chain). StateReaders and
// StateDBs returned borrow the chain's node and code readers: they must not
// outlive the chain.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/block.h"
#include "engine/klaytn/chain_config.h"
#include "engine/klaytn/derive_sha.h"
#include "engine/klaytn/receipt.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/state/state_db.h"
#include "engine/state/state_reader.h"
#include "engine/trie/node_database.h"
#include "node/chain/chain_options.h"
#include "node/chain/commit_cadence.h"
#include "node/execution/sender_validation.h"

namespace klay::chain {

class BlockChain {
 public:
  // Opens the chain and runs crash recovery (see the file comment).
  // Errors: no genesis ("datadir has no genesis block: run `knode init` first"),
  // a missing chain config or head, a genesis without an Istanbul extra, or a
  // failed re-execution.
  static Result<std::unique_ptr<BlockChain>> open(const chaindata::DBManager& dbm, BlockChainOptions options = {});

  // close(), logging an error it returns.
  ~BlockChain();
  BlockChain(const BlockChain&) = delete;
  BlockChain& operator=(const BlockChain&) = delete;

  // Writes the head state to disk and records it. Idempotent; later inserts fail.
  Status close();

  // ---- chain facts (immutable after open) ----
  const ChainConfig& config() const { return config_; }
  const Hash& genesis_hash() const { return genesis_hash_; }
  uint256 chain_id() const;
  DeriveShaImpl derive_sha() const { return derive_sha_; }
  const std::vector<Address>& validators() const { return validators_; }
  const BlockChainOptions& options() const { return options_; }
  // StateOptions every StateDB of this chain uses (ExtHash when the datadir
  // has live pruning enabled).
  const state::StateOptions& state_options() const { return state_options_; }

  // ---- head and block reads (any thread) ----
  ChainHead head() const;
  Result<Hash> canonical_hash(uint64_t block_num) const;
  Result<Header> header_by_number(uint64_t block_num) const;
  Result<Header> header_by_hash(const Hash& hash) const;
  Result<Block> block_by_number(uint64_t block_num) const;
  Result<Block> block_by_hash(const Hash& hash) const;
  Result<std::vector<Receipt>> receipts_by_hash(const Hash& block_hash) const;
  Result<rawdb::TxLookupEntry> tx_lookup(const Hash& txn_hash) const;
  Result<uint256> total_score(const Hash& block_hash) const;

  // ---- state (any thread) ----
  // The state after block `block_num` of the canonical chain: NotFound
  // "state not available at root 0x…: … (pruned or missing)" when its trie is
  // neither on disk nor in memory; NotFound "no block N" past the head.
  Result<state::StateReader> state_reader_at(uint64_t block_num) const;
  Result<state::StateReader> state_reader_at_root(const Hash& root) const;
  // A mutable state at the head (for block production and pool checks);
  // nothing it does is written unless the caller commits it.
  Result<state::StateDB> state_db_at_head() const;
  // The readers state goes through: the NodeDatabase (dirty, clean cache,
  // disk) and the code store.
  const trie::NodeReader& node_reader() const { return *nodes_; }
  const state::CodeReader& code_reader() const { return *disk_codes_; }

  // ---- insertion (one thread) ----
  // Inserts one block (see the file comment). Ok also when the block is
  // already canonical (nothing happens).
  Status insert_block(const Block& block);
  // Inserts blocks in order, stopping at the first failure; the error names
  // that block. Blocks before it stay inserted. Sender recovery of the next
  // block runs on TBB workers while the current one executes.
  Result<InsertStats> insert_blocks(std::span<const Block> blocks);

  // ---- introspection ----
  trie::NodeDatabaseStats trie_stats() const { return nodes_->stats(); }
  // Whether a state-trie node is dirty in the NodeDatabase (in memory, not
  // yet written to disk). Meaningful on the inserting thread (in a hook),
  // where no commit or cap runs concurrently.
  bool trie_node_in_memory_only(const trie::NodeKey& key) const { return nodes_->is_dirty(key); }
  // The newest block whose state is on disk (the marker).
  uint64_t state_on_disk_block() const { return state_block_.load(); }
  // Blocks re-executed by open() to rebuild in-memory state after a crash.
  uint64_t recovered_blocks() const { return recovered_; }

 private:
  BlockChain(const chaindata::DBManager& dbm, BlockChainOptions options);

  struct Executed {
    std::vector<Receipt> receipts;
    std::vector<Hash> txn_hashes;
    state::StateCommit commit;
  };

  Status load(); // genesis, config, validators, head
  Status recover();
  Result<uint64_t> find_recovery_base(uint64_t head_num) const;
  Status check_known_or_extends(const Block& block, const Hash& hash, bool* known) const;
  // Verifies and executes `block` on top of `parent`; state goes into the NodeDatabase.
  // `senders`, when given, is the block's sender recovery done ahead (insert_blocks
  // recovers block i+1 while block i executes).
  using Senders = Result<std::vector<execution::RecoveredTx>>;
  Result<Executed> execute(const Block& block, const Hash& hash, const Header& parent, const Hash& parent_hash,
                           bool verify_seal, Senders* senders = nullptr);
  Status insert_locked(const Block& block, const Hash& hash, InsertStats& stats, Senders* senders = nullptr);
  // The commit cadence after a block's state went into the NodeDatabase:
  // references, disk commits, window dereferences, memory cap. Sets *on_disk
  // (and *nodes_flushed) when the block's root was written to disk.
  Status after_state_commit(uint64_t block_num, const state::StateCommit& commit, bool* on_disk,
                            size_t* nodes_flushed);
  Status flush_root(const trie::NodeKey& root, size_t* nodes_flushed);
  // What on_block_batch receives (chain_options.h): `commit.obsolete` minus
  // the keys still only in memory. Call after after_state_commit(); `scratch`
  // holds the result when it is filtered.
  std::span<const trie::NodeKey> obsolete_on_disk(const state::StateCommit& commit,
                                                  std::vector<trie::NodeKey>& scratch) const;
  Status write_state_marker(const Hash& block_hash);
  void report_state_commit(uint64_t block_num, const Hash& hash, const Hash& root, size_t nodes, bool at_close);

  const chaindata::DBManager& dbm_;
  BlockChainOptions options_;
  ChainConfig config_;
  Hash genesis_hash_;
  DeriveShaImpl derive_sha_ = DeriveShaImpl::kOriginal;
  std::vector<Address> validators_;
  state::StateOptions state_options_;

  std::unique_ptr<trie::NodeReader> own_disk_nodes_;  // default disk readers
  std::unique_ptr<state::CodeReader> own_disk_codes_;
  const trie::NodeReader* disk_nodes_ = nullptr;
  const state::CodeReader* disk_codes_ = nullptr;
  std::unique_ptr<trie::NodeDatabase> nodes_;
  std::unique_ptr<StateSink> sink_;

  mutable std::shared_mutex head_mu_;
  ChainHead head_;
  uint256 head_score_;

  std::mutex insert_mu_;
  std::unique_ptr<CommitCadence> cadence_;  // over nodes_ and sink_
  std::atomic<uint64_t> state_block_{0};
  uint64_t recovered_ = 0;
  bool closed_ = false;
};

}  // namespace klay::chain
