// Shared by the migration tests: scratch datadirs (tests/support), a deterministic chain whose
// state accumulates garbage block after block (engine/state StateDB over
// rawdb's trie store on a DBManager), and completeness checks.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/keccak.h"
#include "engine/klaytn/header.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/chain_batch.h"
#include "engine/rawdb/trie_store.h"
#include "engine/state/state_db.h"
#include "engine/state/state_options.h"
#include "engine/trie/node_iterator.h"
#include "tests/support/chaindata_setup.h"
#include "tests/support/scratch_dir.h"

namespace klay::migration::testing {

using test_support::open_manager;
using test_support::ScratchDir;
using test_support::small_config;

struct ChainShape {
  size_t eoas = 120;
  size_t contracts = 48;
  size_t shared_groups = 4;  // the first half of the contracts share storage in this many groups
  size_t slots = 30;
  size_t changes_per_block = 12;
  bool ext_hash = false;
};

inline Address address_of(uint8_t kind, uint32_t i) {
  Address a;
  a.bytes.fill(0x11);
  a.bytes[0] = kind;
  a.bytes[16] = static_cast<uint8_t>(i >> 24);
  a.bytes[17] = static_cast<uint8_t>(i >> 16);
  a.bytes[18] = static_cast<uint8_t>(i >> 8);
  a.bytes[19] = static_cast<uint8_t>(i);
  return a;
}

inline Hash word(uint64_t v) {
  uint8_t b[8];
  put_be64(b, v);
  return keccak256(ByteView(b, 8));
}

// A chain of blocks whose state changes a little each block. Block 0 is the
// genesis state; every block is committed (state trie, header, canonical
// hash, head) so the offline command can find it.
class TestChain {
 public:
  TestChain(chaindata::DBManager& dbm, ChainShape shape) : dbm_(dbm), shape_(shape) {}

  // Commits the next block. Nodes and code go through `nodes`/`codes` when
  // given (e.g. a dual writer), else into the live state trie.
  void add_block(trie::NodeWriter* nodes = nullptr, state::CodeWriter* codes = nullptr) {
    rawdb::StateStoreReader reader(dbm_.state_trie());
    state::StateOptions opts;
    opts.ext_hash = shape_.ext_hash;
    const trie::NodeKey parent = roots.empty() ? trie::NodeKey::plain(empty_root()) : roots.back();
    auto st = state::StateDB::open(&reader, &reader, parent.view(), opts);
    if (!st) throw std::runtime_error("StateDB::open: " + st.status().message());
    const uint64_t b = roots.size();
    if (custom_) {
      custom_(*st);
      if (Status s = st->finalise(); !s) throw std::runtime_error("finalise: " + s.message());
    } else if (b == 0) {
      genesis(*st);
    } else {
      mutate(*st, b);
    }
    rawdb::StateStoreBatch own(dbm_.state_trie());
    auto c = st->commit(nodes ? *nodes : static_cast<trie::NodeWriter&>(own),
                        codes ? *codes : static_cast<state::CodeWriter&>(own));
    if (!c) throw std::runtime_error("commit: " + c.status().message());
    if (Status s = own.flush(); !s) throw std::runtime_error("flush: " + s.message());
    Header h;
    h.number = b;
    h.parent_hash = hashes.empty() ? Hash{} : hashes.back();
    h.root = c->root;
    h.time = 1000 + b;
    const Hash hash = header_hash(h);
    rawdb::ChainBatch batch(dbm_);
    if (!rawdb::write_header(batch, h, hash) || !rawdb::write_canonical_hash(batch, b, hash) ||
        !rawdb::write_head(batch, rawdb::Head::kBlock, hash) || !batch.commit()) {
      throw std::runtime_error("writing block " + std::to_string(b) + " failed");
    }
    roots.push_back(c->root_key);
    hashes.push_back(hash);
  }

  // Commits a block whose changes are made by `fn` (not tracked by the
  // expected-state maps).
  void add_custom_block(const std::function<void(state::StateDB&)>& fn, trie::NodeWriter* nodes = nullptr,
                        state::CodeWriter* codes = nullptr) {
    custom_ = fn;
    add_block(nodes, codes);
    custom_ = nullptr;
  }

  void add_blocks(size_t n) {
    for (size_t i = 0; i < n; ++i) add_block();
  }

  uint64_t head() const { return roots.size() - 1; }

  // Every account, slot and code at the head reads as expected from `db` alone.
  void expect_head_state(kv::Database& db) const { expect_state(db, roots.back(), balances_, storage_); }

  void expect_state(kv::Database& db, const trie::NodeKey& root, const std::map<Address, uint64_t>& balances,
                    const std::map<Address, std::map<Hash, Hash>>& storage) const {
    rawdb::StateStoreReader reader(db);
    state::StateOptions opts;
    opts.ext_hash = shape_.ext_hash;
    auto st = state::StateDB::open(&reader, &reader, root.view(), opts);
    ASSERT_TRUE(st) << st.status().message();
    for (const auto& [addr, bal] : balances) {
      auto got = st->balance(addr);
      ASSERT_TRUE(got) << got.status().message();
      EXPECT_EQ(*got, uint256(bal));
    }
    for (const auto& [addr, slots] : storage) {
      for (const auto& [slot, value] : slots) {
        auto got = st->storage(addr, slot);
        ASSERT_TRUE(got) << got.status().message();
        EXPECT_EQ(*got, value);
      }
      auto code = st->code(addr);
      ASSERT_TRUE(code) << code.status().message();
      EXPECT_FALSE(code->empty());
    }
  }

  const std::map<Address, uint64_t>& balances() const { return balances_; }
  const std::map<Address, std::map<Hash, Hash>>& storage() const { return storage_; }

  std::vector<trie::NodeKey> roots;
  std::vector<Hash> hashes;

 private:
  void set_balance(state::StateDB& st, const Address& a, uint64_t v) {
    if (!st.set_balance(a, v)) throw std::runtime_error("set_balance");
    balances_[a] = v;
  }
  void set_slot(state::StateDB& st, const Address& a, const Hash& slot, const Hash& value) {
    if (Status s = st.set_storage(a, slot, value); !s) throw std::runtime_error("set_storage: " + s.message());
    if (value == Hash{}) {
      storage_[a].erase(slot);
    } else {
      storage_[a][slot] = value;
    }
  }

  void genesis(state::StateDB& st) {
    for (uint32_t i = 0; i < shape_.eoas; ++i) set_balance(st, address_of(1, i), 1000 + i);
    for (uint32_t i = 0; i < shape_.contracts; ++i) {
      const Address a = address_of(2, i);
      const std::string code = "contract-code-" + std::to_string(i % 5);
      if (Status s = st.set_code(a, as_view(code), 0); !s) throw std::runtime_error("set_code: " + s.message());
      set_balance(st, a, 7 + i);
      const bool shared = i < shape_.contracts / 2;
      for (uint32_t s = 0; s < shape_.slots; ++s) {
        const uint64_t v = shared ? (i % shape_.shared_groups) * 100000 + s : 9'000'000 + i * 1000 + s;
        set_slot(st, a, word(s), word(v));
      }
    }
    if (Status s = st.finalise(); !s) throw std::runtime_error("finalise: " + s.message());
  }

  void mutate(state::StateDB& st, uint64_t b) {
    for (size_t j = 0; j < shape_.changes_per_block; ++j) {
      const Address e = address_of(1, static_cast<uint32_t>((b * 31 + j * 7) % shape_.eoas));
      set_balance(st, e, balances_[e] + b + j + 1);
      // Storage changes only in the unshared half, so shared tries stay shared.
      const size_t unshared = shape_.contracts - shape_.contracts / 2;
      const Address c = address_of(2, static_cast<uint32_t>(shape_.contracts / 2 + (b * 13 + j) % unshared));
      const uint64_t slot = (b * 7 + j) % (shape_.slots + 4);
      set_slot(st, c, word(slot), (b + j) % 5 == 0 ? Hash{} : word(b * 1'000'000 + j));
    }
    if (Status s = st.finalise(); !s) throw std::runtime_error("finalise: " + s.message());
  }

  chaindata::DBManager& dbm_;
  ChainShape shape_;
  std::function<void(state::StateDB&)> custom_;
  std::map<Address, uint64_t> balances_;
  std::map<Address, std::map<Hash, Hash>> storage_;
};

// Keys of every stored node and code reachable from `root` in `db`;
// *missing receives the first error (ok when complete).
inline std::set<Bytes> reachable_keys(kv::Database& db, const trie::NodeKey& root, Status* missing) {
  std::set<Bytes> keys;
  rawdb::StateStoreReader reader(db);
  std::vector<trie::NodeKey> storage_roots;
  *missing = trie::walk_nodes(reader, root.view(), [&](const trie::NodeVisit& v) -> Status {
    if (!v.is_embedded()) keys.insert(to_bytes(v.key));
    if (v.kind != trie::NodeView::Kind::kLeaf) return Status::ok();
    auto acc = decode_account(v.value);
    if (!acc || !acc->is_program_account()) return Status::ok();
    if (acc->code_hash != empty_code_hash()) {
      const Bytes ck = state::code_db_key(acc->code_hash);
      auto has = db.has(ck);
      if (!has || !*has) return Status::not_found("missing code 0x" + to_hex(acc->code_hash.view()));
      keys.insert(ck);
    }
    if (acc->storage_root.hash() != empty_root()) storage_roots.push_back(state::storage_root_key(acc->storage_root));
    return Status::ok();
  });
  if (!*missing) return keys;
  for (const auto& sr : storage_roots) {
    if (keys.contains(to_bytes(sr.view()))) continue;
    *missing = trie::walk_nodes(reader, sr.view(), [&](const trie::NodeVisit& v) -> Status {
      if (!v.is_embedded()) keys.insert(to_bytes(v.key));
      return Status::ok();
    });
    if (!*missing) return keys;
  }
  return keys;
}

struct KeyCounts {
  size_t nodes = 0;    // 32- or 39-byte keys
  size_t codes = 0;    // "c" + 32
  size_t records = 0;  // "klay-migration-..."
  size_t other = 0;
};

inline KeyCounts count_keys(kv::Database& db) {
  KeyCounts c;
  auto it = db.new_iterator();
  for (; it->valid(); it->next()) {
    const ByteView k = it->key();
    if (k.size() == 32 || k.size() == 39) {
      ++c.nodes;
    } else if (k.size() == 33 && k[0] == 'c') {
      ++c.codes;
    } else if (k.size() >= 15 && std::string_view(reinterpret_cast<const char*>(k.data()), 15) == "klay-migration-") {
      ++c.records;
    } else {
      ++c.other;
    }
  }
  return c;
}

}  // namespace klay::migration::testing
