// Genesis files and the genesis block, as the reference builds them with
// `ken init <genesis.json>` (blockchain.Genesis.ToBlock).
//
// Parsing accepts numbers as JSON numbers (any size) or decimal / 0x-hex
// strings; hex byte fields with or without 0x; alloc addresses with or without
// 0x. Unknown keys are ignored.
//
// State built for `alloc` (reference: StateDB semantics during ToBlock):
//   - an entry with code or storage becomes a smart contract account (SCA):
//     nonce from the entry (0 by default), key "fail", humanReadable false,
//     codeHash keccak256(code), codeInfo 0, storage root = root of its
//     storage trie (secure trie of slot -> rlp(value without leading zeros);
//     zero values are skipped);
//   - any other entry becomes an externally owned account (EOA) with a legacy
//     key (zero-balance entries included);
//   - the state root is the secure trie of address -> account (storage form).
//
// Header: ParentHash/Number/GasUsed/Timestamp/ExtraData from the file,
// BlockScore (default 131072), TimeFoS 0, Rewardbase zero, Bloom zero,
// Governance = rlp_string(governance JSON) (see chain_config.h), Vote empty,
// TxHash = ReceiptHash = the empty root of the configured deriveShaImpl,
// BaseFee when Magma is active at block 0 (kip71.lowerboundbasefee, default
// 25 gkei), RandomReveal (96 zero bytes) and MixHash (32 zero bytes) when
// Randao is active at block 0.
//
// Value types; thread-safe as values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/bytes.h"
#include "engine/core/status.h"
#include "engine/core/types.h"
#include "engine/core/uint256.h"
#include "engine/klaytn/account.h"
#include "engine/klaytn/chain_config.h"
#include "engine/klaytn/header.h"

namespace klay {

struct GenesisAccount {
  Bytes code;
  std::map<Hash, Hash> storage;
  uint256 balance;
  uint64_t nonce = 0;
};

struct Genesis {
  ChainConfig config;
  uint64_t timestamp = 0;
  Bytes extra_data;
  std::optional<uint256> block_score;  // absent: 131072
  std::map<Address, GenesisAccount> alloc;
  uint64_t number = 0;
  uint64_t gas_used = 0;
  Hash parent_hash;
};

// Parses a genesis JSON document. Requires "config" and "alloc". Applies the
// reference's genesis defaults to the config (see set_genesis_defaults).
Result<Genesis> parse_genesis(std::string_view json_text);
Result<Genesis> load_genesis_file(const std::string& path);

// One account of the genesis state, with its storage trie root and code.
struct GenesisStateAccount {
  Address address;
  Account account;
  Bytes code;  // empty for EOAs
};

struct GenesisBlock {
  Header header;
  Hash hash;
  std::vector<GenesisStateAccount> accounts;  // sorted by address
};

// Builds the genesis state and header. Fails on an invalid config
// (e.g. missing chainId) with a sentence naming the problem.
Result<GenesisBlock> build_genesis_block(const Genesis& genesis);

// The account the reference writes for one alloc entry (without storage root
// computation when `storage_root` is given).
Account genesis_account(const GenesisAccount& entry, const Hash& storage_root);

// Root of one contract's genesis storage (secure trie; empty_root() if none).
Hash genesis_storage_root(const std::map<Hash, Hash>& storage);

}  // namespace klay
