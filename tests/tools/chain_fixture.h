// A realistic little chain datadir for the kchaindata tests, written without
// the node: rawdb's genesis commit, then blocks of signed transfers and
// state commits through engine/state (tools/kchaindata/dev_chain.h), plus
// helpers to read every key of a datadir back.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/keccak.h"
#include "engine/rawdb/datadir_settings.h"
#include "tests/support/chaindata_setup.h"
#include "tests/support/scratch_dir.h"
#include "tools/kchaindata/dev_chain.h"

namespace klay::kchaindata::testing {

using test_support::ScratchDir;

// test_support::small_config under the name the kchaindata tests use.
inline chaindata::Config test_config(kv::Backend backend = kv::Backend::kLevelDB, uint32_t shards = 4,
                                     bool single = false) {
  return test_support::small_config(backend, shards, single);
}

struct ChainSummary {
  uint64_t blocks = 0;  // including genesis
  uint64_t txns = 0;
  uint64_t codes = 0;   // distinct contract codes
  Hash head;
};

inline constexpr size_t kFunded = 4;

// Genesis + `blocks` blocks, each with 3 transfers, `accounts_per_block` new
// accounts and one new contract with code and 8 storage slots; the genesis
// contract's storage changes every block.
inline ChainSummary build_chain(const std::filesystem::path& datadir, const chaindata::Config& config,
                                uint64_t blocks = 5, uint64_t accounts_per_block = 200) {
  auto chain = DevChain::create(datadir, config, kFunded);
  if (!chain) throw std::runtime_error("DevChain::create: " + chain.status().message());
  ChainSummary sum;
  sum.codes = 1;
  for (uint64_t b = 1; b <= blocks; ++b) {
    std::vector<DevTransfer> transfers;
    for (size_t i = 0; i < 3; ++i) {
      transfers.push_back({i % kFunded, DevChain::key((i + 1) % kFunded).address(), 1000 + b * 10 + i});
    }
    auto hash = (*chain)->append_block(transfers, [&](state::StateDB& st) -> Status {
      for (uint64_t a = 0; a < accounts_per_block; ++a) {
        const Hash h = keccak256(as_view("fixture-account-" + std::to_string(b) + "-" + std::to_string(a)));
        if (Status s = st.add_balance(Address::from(h.view().subspan(0, 20)), uint256(1 + a)); !s) return s;
      }
      const Hash ch = keccak256(as_view("fixture-contract-" + std::to_string(b)));
      const Address contract = Address::from(ch.view().subspan(0, 20));
      Bytes code(40 + b, static_cast<uint8_t>(0x60 + b));
      if (Status s = st.set_code(contract, code, 0); !s) return s;
      for (uint64_t k = 0; k < 8; ++k) {
        Hash slot, value;
        slot.bytes[31] = static_cast<uint8_t>(k);
        value.bytes[31] = static_cast<uint8_t>(b * 16 + k + 1);
        if (Status s = st.set_storage(contract, slot, value); !s) return s;
      }
      Hash slot, value;
      value.bytes[31] = static_cast<uint8_t>(b);
      if (Status s = st.set_storage(DevChain::contract_address(), slot, value); !s) return s;
      return st.finalise();
    });
    if (!hash) throw std::runtime_error("append_block: " + hash.status().message());
    sum.head = *hash;
    sum.txns += transfers.size();
    ++sum.codes;
  }
  sum.blocks = blocks + 1;
  if (Status s = (*chain)->close(); !s) throw std::runtime_error("close: " + s.message());
  return sum;
}

// Every (database label, key, value) of a datadir, in order. Multi-database
// layouts label keys with their entry type; `merge` drops the labels (for
// comparing across single and multi layouts).
using Dump = std::vector<std::tuple<std::string, Bytes, Bytes>>;
inline Dump dump_datadir(const std::filesystem::path& datadir, bool merge) {
  auto settings = rawdb::load_datadir_settings(datadir);
  if (!settings || !*settings) throw std::runtime_error("no settings in " + datadir.string());
  chaindata::Config c = (*settings)->apply(test_config());
  c.read_only = true;
  auto dbm = chaindata::DBManager::open(datadir, c);
  if (!dbm) throw std::runtime_error("open " + datadir.string() + ": " + dbm.status().message());
  Dump out;
  for (auto t : chaindata::kAllEntryTypes) {
    kv::Database* db = (*dbm)->find(t);
    if (db == nullptr || ((*dbm)->is_single() && t != chaindata::EntryType::kMisc)) continue;
    auto it = db->new_iterator();
    for (; it->valid(); it->next()) {
      out.emplace_back(merge ? "" : std::string(chaindata::entry_type_name(t)), to_bytes(it->key()),
                       to_bytes(it->value()));
    }
    if (!it->status()) throw std::runtime_error(it->status().message());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace klay::kchaindata::testing
