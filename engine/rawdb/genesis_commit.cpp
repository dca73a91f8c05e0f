#include "engine/rawdb/genesis_commit.h"

#include <nlohmann/json.hpp>

#include "engine/core/rlp.h"
#include "engine/klaytn/block.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/accessors_state.h"
#include "engine/rawdb/schema.h"
#include "engine/rawdb/trie_store.h"
#include "engine/trie/secure_trie.h"

namespace klay::rawdb {

namespace {

// The storage slot value as the genesis stores it: rlp(value without leading zeros).
Bytes storage_value(const Hash& value) {
  size_t i = 0;
  while (i < 32 && value.bytes[i] == 0) ++i;
  Bytes enc;
  rlp::encode_string(enc, ByteView(value.bytes.data() + i, 32 - i));
  return enc;
}

Status root_mismatch(std::string_view what, const Hash& built, const Hash& expected) {
  return Status::corruption("genesis " + std::string(what) + " root " + built.hex() +
                            " differs from the header's " + expected.hex() + " (internal error)");
}

// Commits one contract's storage trie; returns nodes written.
Result<size_t> commit_storage(ChainStateWriter& out, const Address& addr, const GenesisAccount& entry,
                              const Hash& expected_root) {
  trie::SecureTrie t;
  for (const auto& [slot, value] : entry.storage) {
    if (value.is_zero()) continue;
    if (auto s = t.put(slot.view(), storage_value(value)); !s) return s;
  }
  auto c = t.commit(out);
  if (!c) return c.status();
  if (c->root != expected_root) return root_mismatch("storage trie of " + addr.hex(), c->root, expected_root);
  return c->nodes_written;
}

}  // namespace

Result<std::string> genesis_config_json(std::string_view genesis_json) {
  const auto doc = nlohmann::json::parse(genesis_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Status::invalid_argument("genesis: the file is not a JSON object");
  const auto it = doc.find("config");
  if (it == doc.end() || !it->is_object()) return Status::invalid_argument("genesis: missing \"config\" object");
  return it->dump();
}

Result<size_t> commit_genesis(ChainWriter& w, const Genesis& genesis, const GenesisBlock& block,
                              std::string_view config_json) {
  if (block.header.number != 0)
    return Status::invalid_argument("cannot commit a genesis block with number " +
                                    std::to_string(block.header.number) + "; it must be 0");
  ChainStateWriter state_out(w);
  size_t nodes = 0;

  // State: storage tries and code first, then the account trie over them.
  trie::SecureTrie accounts;
  for (const auto& acc : block.accounts) {
    const auto entry = genesis.alloc.find(acc.address);
    if (entry == genesis.alloc.end())
      return Status::corruption("genesis account " + acc.address.hex() + " is not in alloc (internal error)");
    if (acc.account.is_program_account() && !entry->second.storage.empty()) {
      auto n = commit_storage(state_out, acc.address, entry->second, acc.account.storage_root.hash());
      if (!n) return n.status();
      nodes += *n;
    }
    if (!acc.code.empty()) {
      if (auto s = state_out.put(acc.account.code_hash, acc.code); !s) return s;
    }
    if (auto s = accounts.put(acc.address.view(), encode_account(acc.account, ExtHashMode::kPreserveExtHash)); !s)
      return s;
  }
  auto c = accounts.commit(state_out);
  if (!c) return c.status();
  if (c->root != block.header.root) return root_mismatch("state", c->root, block.header.root);
  nodes += c->nodes_written;

  const Hash& hash = block.hash;
  if (auto s = write_header(w, block.header, hash); !s) return s;
  if (auto s = write_body(w, 0, hash, Body{}); !s) return s;
  if (auto s = write_receipts(w, 0, hash, {}); !s) return s;
  if (auto s = write_canonical_hash(w, 0, hash); !s) return s;
  if (auto s = write_total_score(w, 0, hash, genesis.block_score.value_or(uint256(0))); !s) return s;
  if (auto s = write_chain_config_json(w, hash, config_json); !s) return s;
  if (auto s = write_database_version(w, kDatabaseVersion); !s) return s;
  if (auto s = write_head(w, Head::kBlock, hash); !s) return s;
  if (auto s = write_head(w, Head::kHeader, hash); !s) return s;
  if (auto s = write_head(w, Head::kFastBlock, hash); !s) return s;
  return nodes;
}

Result<PreparedGenesis> prepare_genesis(std::string_view genesis_json) {
  auto genesis = parse_genesis(genesis_json);
  if (!genesis) return genesis.status();
  auto config_json = genesis_config_json(genesis_json);
  if (!config_json) return config_json.status();
  auto block = build_genesis_block(*genesis);
  if (!block) return block.status();
  return PreparedGenesis{std::move(*genesis), std::move(*block), std::move(*config_json)};
}

Result<GenesisSetup> setup_genesis(const chaindata::DBManager& dbm, std::string_view genesis_json) {
  auto prepared = prepare_genesis(genesis_json);
  if (!prepared) return prepared.status();
  return setup_genesis(dbm, *prepared);
}

Result<GenesisSetup> setup_genesis(const chaindata::DBManager& dbm, const PreparedGenesis& prepared) {
  const GenesisBlock& block = prepared.block;
  GenesisSetup out;
  out.hash = block.hash;
  out.header = block.header;

  auto stored = read_canonical_hash(dbm, 0);
  if (stored) {
    if (*stored != block.hash)
      return Status::invalid_argument("database already contains an incompatible genesis block (have " +
                                      stored->hex() + ", new " + block.hash.hex() + ")");
    auto cfg = read_chain_config_json(dbm, *stored);
    if (cfg) return out;
    if (!cfg.status().is_not_found()) return cfg.status();
    DirectWriter w(dbm);
    if (auto s = write_chain_config_json(w, *stored, prepared.config_json); !s) return s;
    return out;
  }
  if (!stored.status().is_not_found()) return stored.status();

  ChainBatch batch(dbm);
  auto nodes = commit_genesis(batch, prepared.genesis, block, prepared.config_json);
  if (!nodes) return nodes.status();
  if (auto s = batch.commit(); !s) return s;
  out.written = true;
  out.trie_nodes = *nodes;
  return out;
}

}  // namespace klay::rawdb
