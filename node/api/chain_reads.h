// Chain lookups shared by the RPC methods: block selectors to canonical
// block numbers, state at a selector, mined transactions with their
// position, senders of a block's transactions.
//
// Everything reads through BlockChain's thread-safe read API; results are
// values. "pending" means the head (the node keeps no pending block).
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "engine/state/state_reader.h"
#include "node/api/api_backend.h"
#include "node/chain/blockchain.h"
#include "node/rpc/block_tag.h"
#include "node/rpc/rpc_error.h"

namespace klay::api {

// The canonical number a selector names. -32000 "header not found" for a
// number past the head or an unknown hash; with requireCanonical, a known
// non-canonical hash is "hash is not currently canonical".
rpc::RpcExpected<uint64_t> resolve_block_num(const chain::BlockChain& chain, const rpc::BlockSelector& sel);

// The state after the selected block, or -32000 with the chain's sentence
// ("state not available ... (pruned or missing)" or "header not found"), or
// the sentence of `guard` (ApiBackend::state_guard; may be empty) when it
// refuses the block.
rpc::RpcExpected<state::StateReader> state_at(const chain::BlockChain& chain, const StateGuard& guard,
                                              const rpc::BlockSelector& sel);

// A block with its receipts and recovered senders, immutable once built.
struct CachedBlock {
  Block block;
  Hash hash;
  std::vector<Receipt> receipts;  // one per transaction
  std::vector<Address> senders;   // one per transaction
};

// A small LRU of CachedBlocks by hash. Blocks are immutable by hash, so
// entries never go stale. Clients poll receipts of the same recent blocks
// over and over (ethers' wait()); without it every poll decodes the whole
// block and its receipts and recovers senders again.
// Threading: get() is safe from any thread (one mutex; loading happens
// outside it, so two threads may load the same block once each).
class BlockCache {
 public:
  explicit BlockCache(size_t capacity = 64) : capacity_(capacity) {}
  // The canonical-or-not block `hash` (must exist): -32000 on read errors,
  // a mismatch between body and receipts, or a failed sender recovery.
  rpc::RpcExpected<std::shared_ptr<const CachedBlock>> get(const chain::BlockChain& chain, const Hash& hash);

 private:
  using Entry = std::pair<Hash, std::shared_ptr<const CachedBlock>>;
  const size_t capacity_;
  std::mutex mu_;
  std::list<Entry> lru_;  // front: most recent
  std::unordered_map<Hash, std::list<Entry>::iterator, FixedBytesHasher> index_;
};

// A transaction in a canonical block at or below the head.
struct MinedTx {
  std::shared_ptr<const CachedBlock> block;
  uint64_t index = 0;
  const Transaction& tx() const { return block->block.transactions[index]; }
  const Address& sender() const { return block->senders[index]; }
  const Receipt& receipt() const { return block->receipts[index]; }
};
// nullopt when the chain has no canonical lookup entry for `txn_hash`.
// Errors other than "not found" (corrupt records) are -32000.
rpc::RpcExpected<std::optional<MinedTx>> find_mined_tx(const chain::BlockChain& chain, BlockCache& cache,
                                                       const Hash& txn_hash);

// Senders of a block's transactions (recovered in parallel; Klaytn types: `from`).
rpc::RpcExpected<std::vector<Address>> block_senders(const chain::BlockChain& chain, const Block& block);
// The sender of one transaction.
rpc::RpcExpected<Address> txn_sender(const chain::BlockChain& chain, const Transaction& tx);

// The canonical block `block_num`, or nullopt past the head.
rpc::RpcExpected<std::optional<Block>> canonical_block(const chain::BlockChain& chain, uint64_t block_num);

}  // namespace klay::api
