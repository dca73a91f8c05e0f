// ApiBackend: what the JSON-RPC methods of node/api read and write.
//
// The node builds one at start-up and registers the methods over it
// (api.h). Every pointer is borrowed: the chain, pool and databases must
// outlive the RPC server that calls the handlers.
//
// Threading: handlers run concurrently on the server's worker threads. The
// objects reached through here are thread-safe for what the handlers do
// (BlockChain reads, TxPool, DBManager stats); every StateReader a handler
// needs is created per call.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "engine/chaindata/db_manager.h"
#include "node/chain/blockchain.h"
#include "node/txpool/tx_pool.h"

namespace klay::api {

class BlockCache;             // chain_reads.h
class StateMigrationControl;  // admin_migration_methods.h

// The gas limit reported in block objects. Klaytn has no block gas limit
// (it caps execution cost per opcode instead); like the reference's
// Ethereum-compatible API we report params.UpperGasLimit, 999999999999.
inline constexpr uint64_t kReportedBlockGasLimit = 999999999999ULL;

// Asked before a state method opens the state after block `block_num`: ok to
// serve it, or the sentence a client gets as -32000 (live pruning: "state at
// block N is pruned (live pruning keeps the last R blocks; ...)"), so every
// state method reports a pruned state the same clear way whatever is left of
// it on disk. Called concurrently from the RPC worker threads.
using StateGuard = std::function<Status(uint64_t block_num)>;

// web3_clientVersion.
inline constexpr const char* kClientVersion = "knode/v0.1.0/linux/c++20";

struct ApiBackend {
  chain::BlockChain* chain = nullptr;          // required
  txpool::TxPool* pool = nullptr;              // required
  chaindata::DBManager* dbm = nullptr;         // required (debug_ methods, admin_datadir)
  std::filesystem::path datadir;               // admin_datadir
  bool dev = false;                            // admin_nodeInfo
  // Recently read blocks with receipts and senders; register_all creates one when null.
  std::shared_ptr<BlockCache> blocks;
  // The online state migration (admin_*StateMigration*); optional, borrowed.
  StateMigrationControl* migration = nullptr;
  // Live pruning's guard (the node sets it from its RunningPruning, which
  // must then outlive the RPC server); empty: every stored state is served.
  StateGuard state_guard;
};

}  // namespace klay::api
