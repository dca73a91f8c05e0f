// Opening an initialised datadir for the commands that run a chain
// (run, import, export): the recorded chaindata settings (rawdb
// datadir_settings), the DBManager, and a BlockChain over it.
#pragma once

#include <filesystem>
#include <memory>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/rawdb/datadir_settings.h"
#include "node/chain/blockchain.h"

namespace klay::node {

struct OpenedChain {
  rawdb::DatadirSettings settings;
  std::unique_ptr<chaindata::DBManager> dbm;
  std::unique_ptr<chain::BlockChain> chain;

  // Closes the chain (writing its head state) then the databases; the first
  // error is returned. Idempotent.
  Status close();
};

// InvalidArgument "datadir D is not initialised: run `knode init --datadir D
// --genesis FILE` first" when it has no settings file; otherwise the errors
// of DBManager::open (locked, wrong backend, ...) and BlockChain::open.
// `read_only` opens the databases read-only (export).
Result<OpenedChain> open_chain(const std::filesystem::path& datadir, chain::BlockChainOptions options,
                               bool read_only = false);

}  // namespace klay::node
