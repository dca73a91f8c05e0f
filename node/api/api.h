// The node's JSON-RPC methods, registered on node/rpc's MethodRegistry.
//
//   api::ApiBackend backend{&chain, &pool, &dbm, datadir, dev};
//   if (Status s = api::register_all(methods, backend); !s) ...
//
// Namespaces: eth_ (what Ethereum tooling expects), klay_ (the reference's
// names; an alias of the eth_ handler where the result is the same, its own
// handler where Klaytn formats differ: blocks, transactions, receipts),
// net_, web3_, admin_ (kMethodAdmin: loopback only unless enabled) and
// debug_ (kMethodDebug: likewise).
// Every handler is thread-safe; `backend` is copied into the handlers and the
// objects it points to must outlive the registry's server.
#pragma once

#include "engine/core/status.h"
#include "node/api/api_backend.h"
#include "node/rpc/method_registry.h"

namespace klay::api {

// eth/klay chainId, blockNumber, getBlockBy{Number,Hash},
// getBlockTransactionCountBy{Number,Hash}, getTransactionByHash,
// getTransactionByBlock{Number,Hash}AndIndex, getTransactionReceipt.
Status register_chain_methods(rpc::MethodRegistry& methods, const ApiBackend& backend);
// eth/klay getBalance, getTransactionCount, getCode, getStorageAt, getProof;
// klay_getAccount, klay_getAccountKey.
Status register_state_methods(rpc::MethodRegistry& methods, const ApiBackend& backend);
// eth/klay sendRawTransaction, gasPrice, maxPriorityFeePerGas, feeHistory,
// estimateGas, call.
Status register_txn_methods(rpc::MethodRegistry& methods, const ApiBackend& backend);
// net_version, web3_clientVersion, web3_sha3, admin_nodeInfo, admin_datadir,
// debug_chaindbProperty, debug_chaindbCompact.
Status register_node_methods(rpc::MethodRegistry& methods, const ApiBackend& backend);

// All of the above.
Status register_all(rpc::MethodRegistry& methods, const ApiBackend& backend);

}  // namespace klay::api
