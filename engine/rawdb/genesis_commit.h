// Writing a genesis block into chaindata, as the reference's `ken init`
// (blockchain.SetupGenesisBlock + Genesis.Commit) does.
//
// commit_genesis() stages, through a ChainWriter:
//   - the genesis state: storage-trie nodes of every contract, account-trie
//     nodes (plain 32-byte keys: the reference writes the genesis state before
//     it records live pruning) and contract code, in the state trie database;
//   - header + hash->number mapping, empty body, empty receipt list,
//     canonical hash of block 0 (header, body, receipts databases);
//   - total block score (misc). Faithful to the reference, this is the
//     genesis file's blockScore, or 0 when the file has none (the header
//     itself then carries the default 131072);
//   - chain config JSON under "klay-config-" + genesis hash, and the
//     database version (misc);
//   - head pointers LastBlock, LastHeader and LastFast (written last by a ChainBatch).
// It recomputes both trie roots and fails with Corruption if they differ from
// the header the data model built (a bug, never a user error).
//
// setup_genesis() is the whole init step over an open DBManager:
//   - no canonical block 0 yet: commit through a ChainBatch; `written` = true;
//   - block 0 present with the same hash: nothing is written (a chain config
//     is added only when the stored one is missing); `written` = false;
//   - block 0 present with another hash: InvalidArgument, "database already
//     contains an incompatible genesis block (have 0x…, new 0x…)".
//
// Threading: one caller at a time per DBManager (it is a write).
#pragma once

#include <string>
#include <string_view>

#include "engine/chaindata/db_manager.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/klaytn/genesis.h"
#include "engine/rawdb/chain_batch.h"

namespace klay::rawdb {

struct GenesisSetup {
  Hash hash;             // the genesis block hash
  Header header;
  bool written = false;  // false: the datadir already held this genesis
  size_t trie_nodes = 0; // state-trie nodes written (0 when !written)
};

// `config_json` is the genesis file's "config" object as JSON text (what is
// stored under "klay-config-"). REQUIRES: block was built from genesis.
// Fails with InvalidArgument when genesis.number != 0.
Result<size_t> commit_genesis(ChainWriter& w, const Genesis& genesis, const GenesisBlock& block,
                              std::string_view config_json);

// A parsed and built genesis, ready to write.
struct PreparedGenesis {
  Genesis genesis;
  GenesisBlock block;
  std::string config_json;
};
// Parses and builds the genesis given as JSON text (no I/O). Errors from
// parsing/validation are InvalidArgument sentences from the data model.
Result<PreparedGenesis> prepare_genesis(std::string_view genesis_json);

// Writes (or checks) a prepared genesis; see the file comment.
Result<GenesisSetup> setup_genesis(const chaindata::DBManager& dbm, const PreparedGenesis& prepared);
Result<GenesisSetup> setup_genesis(const chaindata::DBManager& dbm, std::string_view genesis_json);

// The "config" object of a genesis document, re-serialised compactly.
// InvalidArgument when the text is not a JSON object with a "config" object.
Result<std::string> genesis_config_json(std::string_view genesis_json);

}  // namespace klay::rawdb
