#include "migration/bench/synthetic_state.h"

#include <tbb/parallel_for.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "engine/core/keccak.h"
#include "engine/klaytn/account.h"
#include "engine/rawdb/trie_store.h"
#include "engine/state/state_options.h"
#include "engine/trie/secure_trie.h"

namespace klay::migration::bench {

namespace {

Hash word(uint64_t a, uint64_t b) {
  uint8_t buf[16];
  put_be64(buf, a);
  put_be64(buf + 8, b);
  return keccak256(ByteView(buf, 16));
}

Address address(uint8_t kind, uint64_t i) {
  Address a;
  a.bytes.fill(0x5a);
  a.bytes[0] = kind;
  put_be64(a.bytes.data() + 12, i);
  return a;
}

// Commits the storage trie of layout `seed` into `out`; returns (root, nodes).
Result<std::pair<Hash, uint64_t>> storage_trie(uint64_t seed, uint32_t slots, rawdb::StateStoreBatch& out) {
  trie::SecureTrie t;
  for (uint32_t s = 0; s < slots; ++s) {
    const Hash slot = word(0, s);
    if (Status st = t.put(slot.view(), state::encode_storage_value(word(seed + 1, s))); !st) return st;
  }
  auto c = t.commit(out);
  if (!c) return c.status();
  return std::make_pair(c->root, static_cast<uint64_t>(c->nodes_written));
}

}  // namespace

Result<SyntheticState> generate_synthetic_state(kv::Database& db, const SyntheticShape& shape,
                                                const std::function<void(uint64_t)>& progress) {
  if (shape.sharing_contracts > 0 && shape.templates == 0) {
    return Status::invalid_argument("sharing contracts need at least one template");
  }
  // Layouts 0..templates-1 are shared; templates.. are the unique contracts'.
  const uint64_t layouts = shape.templates + shape.unique_contracts;
  std::vector<Hash> roots(layouts);
  std::vector<uint64_t> nodes(layouts);
  std::atomic<uint64_t> done{0};
  std::mutex mu;
  Status first_error;
  tbb::parallel_for(tbb::blocked_range<uint64_t>(0, layouts, 64), [&](const tbb::blocked_range<uint64_t>& r) {
    rawdb::StateStoreBatch out(db, 1 << 20);
    for (uint64_t i = r.begin(); i != r.end(); ++i) {
      auto t = storage_trie(i, shape.slots, out);
      if (!t) {
        std::lock_guard lock(mu);
        if (first_error) first_error = t.status();
        return;
      }
      roots[i] = t->first;
      nodes[i] = t->second;
    }
    if (Status s = out.flush(); !s) {
      std::lock_guard lock(mu);
      if (first_error) first_error = s;
    }
    const uint64_t n = done.fetch_add(r.size()) + r.size();
    if (progress) {
      std::lock_guard lock(mu);
      progress(n);
    }
  });
  if (!first_error) return first_error;

  SyntheticState result;
  rawdb::StateStoreBatch out(db, 1 << 20);
  std::vector<Hash> code_hashes;
  for (uint64_t c = 0; c < shape.codes; ++c) {
    const Bytes code = to_bytes(std::string(200 + c, static_cast<char>('a' + c % 26)));
    code_hashes.push_back(keccak256(code));
    if (Status s = out.put(code_hashes.back(), code); !s) return s;
  }
  trie::SecureTrie accounts;
  auto add_contract = [&](uint64_t id, uint64_t layout) -> Status {
    Account a = Account::sca(1, 1000 + id, AccountKey::fail(), code_hashes[id % code_hashes.size()], 0);
    a.storage_root = ExtHash::make(roots[layout], 0);
    result.reachable_nodes += nodes[layout];
    return accounts.put(address(2, id).view(), encode_account(a));
  };
  uint64_t id = 0;
  for (uint64_t u = 0; u < shape.unique_contracts; ++u, ++id) {
    if (Status s = add_contract(id, shape.templates + u); !s) return s;
  }
  for (uint64_t k = 0; k < shape.sharing_contracts; ++k, ++id) {
    if (Status s = add_contract(id, k % shape.templates); !s) return s;
  }
  for (uint64_t e = 0; e < shape.eoas; ++e) {
    if (Status s = accounts.put(address(1, e).view(), encode_account(Account::eoa(e, 1 + e))); !s) return s;
  }
  auto c = accounts.commit(out);
  if (!c) return c.status();
  if (Status s = out.flush(); !s) return s;
  result.root = c->root_key;
  result.reachable_nodes += c->nodes_written;
  result.unique_nodes = c->nodes_written;
  for (uint64_t i = 0; i < layouts; ++i) {
    if (i >= shape.templates || shape.sharing_contracts > 0) result.unique_nodes += nodes[i];
  }
  return result;
}

}  // namespace klay::migration::bench
