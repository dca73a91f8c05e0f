// DevChain: a chain written straight through engine/rawdb and engine/state,
// without the node: a genesis (funded accounts and a contract with code and
// storage) committed by rawdb's genesis commit, then blocks whose state is
// committed by a StateDB over rawdb's trie store and whose header, body,
// receipts, tx lookups, total score, canonical hash and heads are written by
// rawdb accessors. Used by `kchaindata dev gen-state`, benchmarks and tests.
//
// Blocks hold signed legacy value transfers, applied to the state as plain
// balance/nonce moves (no EVM, no fees) with one receipt and one log each;
// roots use deriveShaImpl 2 (concat), as the genesis config says.
// Not thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/secp256k1.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/state/state_db.h"

namespace klay::kchaindata {

struct DevTransfer {
  size_t from_key = 0;  // index of DevChain::key()
  Address to;
  uint64_t value = 0;
};

class DevChain {
 public:
  static constexpr uint64_t kChainId = 31337;

  // The deterministic key i (keccak256("kchaindata-dev-key-" + i)).
  static PrivateKey key(size_t i);
  // The genesis contract (code and two storage slots).
  static Address contract_address();

  // Creates chaindata in `datadir` (which must hold none) with `config`'s
  // layout, writes the genesis funding key(0..funded-1) and the settings file.
  static Result<std::unique_ptr<DevChain>> create(const std::filesystem::path& datadir,
                                                  const chaindata::Config& config, size_t funded);

  // Executes one block: the transfers, then `mutate` (more state changes),
  // commits the state and writes the block's records. Returns its hash.
  Result<Hash> append_block(const std::vector<DevTransfer>& transfers,
                            const std::function<Status(state::StateDB&)>& mutate = {});

  chaindata::DBManager& dbm() { return *dbm_; }
  uint64_t head_number() const { return head_num_; }
  const Hash& head_hash() const { return head_hash_; }
  const Hash& state_root() const { return state_root_; }
  Status close();

 private:
  std::unique_ptr<chaindata::DBManager> dbm_;
  uint64_t head_num_ = 0;
  Hash head_hash_;
  Hash state_root_;
  uint64_t time_ = 0;
  uint64_t total_score_ = 0;
};

}  // namespace klay::kchaindata
