// Helpers shared by the state tests: addresses, slots, an independent root
// computation and reachable-node walks.
#pragma once

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "engine/core/keccak.h"
#include "engine/klaytn/account.h"
#include "engine/state/state_db.h"
#include "engine/state/state_reader.h"
#include "engine/trie/node_iterator.h"
#include "engine/trie/secure_trie.h"
#include "tests/support/status_assertions.h"

namespace klay::state::test {

inline Address addr(uint64_t n) {
  Address a;
  a.bytes[0] = 0xaa;
  put_be64(a.data() + 12, n);
  return a;
}

inline Hash word(uint64_t n) {
  Hash h;
  put_be64(h.data() + 24, n);
  return h;
}

using test_support::must;

// What an account should be, for computing the root without StateDB.
struct ExpectedAccount {
  Account account;                  // storage_root is ignored
  std::map<Hash, Hash> storage;     // non-zero slots only
};

// The Merkle root of the storage slots, built directly with a SecureTrie.
inline Hash storage_root_of(const std::map<Hash, Hash>& slots) {
  trie::SecureTrie t;
  for (const auto& [k, v] : slots) {
    Bytes enc;
    size_t i = 0;
    while (i < 32 && v.bytes[i] == 0) ++i;
    rlp::encode_string(enc, ByteView(v.data() + i, 32 - i));
    EXPECT_TRUE(t.put(k.view(), enc).is_ok());
  }
  return t.root_hash();
}

// The state root built directly from the expected accounts.
inline Hash expected_root(const std::map<Address, ExpectedAccount>& accounts) {
  trie::SecureTrie t;
  for (const auto& [a, e] : accounts) {
    Account acc = e.account;
    if (acc.type != AccountType::kEOA) acc.storage_root = ExtHash::make(storage_root_of(e.storage), 0);
    EXPECT_TRUE(t.put(a.view(), encode_account(acc, ExtHashMode::kHashForm)).is_ok());
  }
  return t.root_hash();
}

// Every stored key reachable from a state root: the account trie and every
// storage trie named by an account leaf.
inline std::set<trie::NodeKey> reachable_state_keys(const trie::NodeReader& store, const trie::NodeKey& root) {
  std::set<trie::NodeKey> keys;
  std::vector<trie::NodeKey> storage_roots;
  Status s = trie::walk_nodes(store, root.view(), [&](const trie::NodeVisit& v) {
    if (!v.is_embedded()) keys.insert(trie::NodeKey::from(v.key));
    if (v.has_value) {
      auto acc = decode_account(v.value);
      if (!acc) return acc.status();
      if (acc->type != AccountType::kEOA && acc->storage_root.hash() != empty_root())
        storage_roots.push_back(storage_root_key(acc->storage_root));
    }
    return Status::ok();
  });
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  for (const auto& r : storage_roots) {
    s = trie::walk_nodes(store, r.view(), [&](const trie::NodeVisit& v) {
      if (!v.is_embedded()) keys.insert(trie::NodeKey::from(v.key));
      return Status::ok();
    });
    EXPECT_TRUE(s.is_ok()) << s.to_string();
  }
  return keys;
}

}  // namespace klay::state::test

namespace klay::trie {
inline void PrintTo(const NodeKey& k, std::ostream* os) { *os << k.hex(); }
}  // namespace klay::trie
