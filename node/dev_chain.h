// The `--dev` chain: a single-validator chain created on the first
// `knode run --dev` in a datadir and reused afterwards.
//
// Files in the datadir (private keys as 64 hex digits and a newline, mode 0600):
//   <datadir>/klay/nodekey        the validator (block producer) key
//   <datadir>/dev-account.key     the funded dev account's key
//   <datadir>/dev-genesis.json    the genesis written at creation (to init
//                                 other datadirs with the same chain, e.g.
//                                 before `knode import`)
// Dev genesis: chain id 2019 (kDevChainId), the validator alone in the
// Istanbul extra (round-robin policy), deriveShaImpl 2, unit price 25 gkei,
// Istanbul, London, EthTxType and Magma active at block 0 (so ethers' EIP-1559
// transactions and base-fee blocks work; the base fee stays at KIP-71's lower
// bound, 25 gkei), governance mode "none", minting 9.6 KLAY per block to the
// validator, and the dev account funded with 10^9 KLAY (10^27 peb).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "engine/core/secp256k1.h"
#include "engine/core/status.h"
#include "engine/core/types.h"

namespace klay::node {

inline constexpr uint64_t kDevChainId = 2019;

struct DevKeys {
  PrivateKey validator;
  PrivateKey account;
};

std::filesystem::path dev_nodekey_path(const std::filesystem::path& datadir);
std::filesystem::path dev_account_key_path(const std::filesystem::path& datadir);
std::filesystem::path dev_genesis_path(const std::filesystem::path& datadir);

// True when the datadir holds the dev key files.
bool has_dev_keys(const std::filesystem::path& datadir);

// Reads both keys; one sentence naming the file on failure.
Result<DevKeys> load_dev_keys(const std::filesystem::path& datadir);

// The dev genesis JSON for these addresses, with `timestamp` (Unix seconds).
std::string dev_genesis_json(const Address& validator, const Address& account, uint64_t timestamp);

// Generates both keys, writes them and the genesis file into `datadir`
// (created if missing). Refuses when key files already exist.
Result<DevKeys> create_dev_files(const std::filesystem::path& datadir);

// Reads a private key file (hex, optional 0x, surrounding whitespace allowed).
Result<PrivateKey> read_key_file(const std::filesystem::path& path);
// Writes a key file with mode 0600 (atomically: temporary file + rename).
Status write_key_file(const std::filesystem::path& path, const PrivateKey& key);

}  // namespace klay::node
