#include <tbb/concurrent_vector.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>

#include "engine/core/keccak.h"
#include "engine/klaytn/account.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/trie_store.h"
#include "engine/state/state_options.h"
#include "tools/kchaindata/state_block.h"
#include "tools/kchaindata/trie_walk.h"
#include "tools/kchaindata/verify_levels.h"

namespace klay::kchaindata {

namespace {

const char* damage_kind(TrieDamage::Kind k) {
  switch (k) {
    case TrieDamage::Kind::kMissing: return "missing_node";
    case TrieDamage::Kind::kUndecodable: return "corrupt_node";
    case TrieDamage::Kind::kHashMismatch: return "hash_mismatch";
  }
  return "corrupt_node";
}

void report_damage(ProblemLog& log, const TrieDamage& d, const std::string& trie_name) {
  const std::string key = "0x" + to_hex(d.key);
  const std::string where = trie_name + " path " + nibble_path_text(d.path);
  std::string msg;
  switch (d.kind) {
    case TrieDamage::Kind::kMissing: msg = "missing trie node " + key + " in the " + where; break;
    case TrieDamage::Kind::kUndecodable: msg = "corrupt trie node " + key + " in the " + where + ": " + d.detail; break;
    case TrieDamage::Kind::kHashMismatch: msg = "trie node " + key + " in the " + where + " is corrupt: " + d.detail; break;
  }
  log.add({"trie", damage_kind(d.kind), key, where, msg});
}

struct StorageRef {
  Hash account_hash;
  trie::NodeKey root;
};
struct CodeRef {
  Hash account_hash;
  Hash code_hash;
};

}  // namespace

Result<LevelResult> verify_trie(const chaindata::DBManager& dbm, std::optional<uint64_t> block, ProblemLog& log,
                                FILE* progress_out, bool quiet) {
  auto sb = find_state_block(dbm, block);
  if (!sb) return sb.status();
  rawdb::StateStoreReader reader(dbm.state_trie());
  cli::Progress progress("verify trie", 0, "nodes", progress_out);
  if (quiet) progress.silence();
  std::atomic<uint64_t> visited{0};
  tbb::concurrent_vector<StorageRef> storages;
  tbb::concurrent_vector<CodeRef> codes;
  std::atomic<uint64_t> accounts{0};

  TrieWalkCallbacks account_cb;
  account_cb.on_damage = [&](const TrieDamage& d) { report_damage(log, d, "account trie"); };
  account_cb.on_value = [&](ByteView key, ByteView value) {
    accounts.fetch_add(1, std::memory_order_relaxed);
    progress.set(visited.load(std::memory_order_relaxed));
    const std::string who = key.size() == 32 ? "0x" + to_hex(key) : "(odd path)";
    auto acc = decode_account(value);
    if (!acc) {
      log.add({"trie", "corrupt_account", "", "account " + who,
               "account " + who + " does not decode: " + acc.status().message()});
      return;
    }
    if (key.size() != 32) return;
    const Hash addr_hash = Hash::from(key);
    if (acc->type != AccountType::kEOA && acc->storage_root.hash() != empty_root()) {
      storages.push_back({addr_hash, state::storage_root_key(acc->storage_root)});
    }
    if (acc->type != AccountType::kEOA && acc->code_hash != empty_code_hash()) {
      codes.push_back({addr_hash, acc->code_hash});
    }
  };
  tolerant_walk(reader, sb->root.view(), account_cb, &visited);

  // Storage tries: each distinct root once (identical contracts share one).
  std::sort(storages.begin(), storages.end(), [](const StorageRef& a, const StorageRef& b) { return a.root < b.root; });
  std::vector<StorageRef> unique_storages;
  for (const auto& s : storages) {
    if (unique_storages.empty() || !(unique_storages.back().root == s.root)) unique_storages.push_back(s);
  }
  tbb::parallel_for(size_t{0}, unique_storages.size(), [&](size_t i) {
    const StorageRef& s = unique_storages[i];
    TrieWalkCallbacks cb;
    const std::string name = "storage trie of account " + s.account_hash.hex() + ",";
    cb.on_damage = [&](const TrieDamage& d) { report_damage(log, d, name); };
    cb.on_value = [&](ByteView, ByteView) { progress.set(visited.load(std::memory_order_relaxed)); };
    tolerant_walk(reader, s.root.view(), cb, &visited, 1);
  });

  std::sort(codes.begin(), codes.end(), [](const CodeRef& a, const CodeRef& b) { return a.code_hash < b.code_hash; });
  std::vector<CodeRef> unique_codes;
  for (const auto& c : codes) {
    if (unique_codes.empty() || unique_codes.back().code_hash != c.code_hash) unique_codes.push_back(c);
  }
  tbb::parallel_for(size_t{0}, unique_codes.size(), [&](size_t i) {
    const CodeRef& c = unique_codes[i];
    Bytes code;
    Status s = reader.get(c.code_hash, &code);
    const std::string key = "0x63" + to_hex(c.code_hash.view());
    if (s.is_not_found()) {
      log.add({"trie", "missing_code", key, "account " + c.account_hash.hex(),
               "missing code " + c.code_hash.hex() + " of account " + c.account_hash.hex()});
    } else if (!s) {
      log.add({"trie", "corrupt_code", key, "account " + c.account_hash.hex(), s.message()});
    } else if (keccak256(code) != c.code_hash) {
      log.add({"trie", "hash_mismatch", key, "account " + c.account_hash.hex(),
               "code " + c.code_hash.hex() + " of account " + c.account_hash.hex() + " hashes to " +
                   keccak256(code).hex()});
    }
  });
  progress.set(visited.load());
  progress.finish();

  LevelResult r;
  r.checked = visited.load() + unique_codes.size();
  r.note = "state of block " + std::to_string(sb->number) + " (root " + sb->root.hex() + "): " +
           std::to_string(accounts.load()) + " accounts, " + std::to_string(unique_storages.size()) +
           " storage tries, " + std::to_string(unique_codes.size()) + " codes, " + std::to_string(visited.load()) +
           " nodes";
  return r;
}

}  // namespace klay::kchaindata
