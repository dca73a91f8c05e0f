#include <atomic>

#include "engine/core/keccak.h"
#include "engine/rawdb/schema.h"
#include "tools/kchaindata/datadir_dbs.h"
#include "tools/kchaindata/key_category.h"
#include "tools/kchaindata/node_hash.h"
#include "tools/kchaindata/verify_levels.h"

namespace klay::kchaindata {

namespace {

void check_one(ByteView key, ByteView value, ProblemLog& log) {
  const KeyCategory c = classify_key(key);
  const std::string key_hex = "0x" + to_hex(key);
  if (c == KeyCategory::kTrieNode || c == KeyCategory::kExtTrieNode) {
    auto h = stored_node_merkle_hash(value);
    if (!h) {
      log.add({"hashes", "corrupt_node", key_hex, "", "trie node " + key_hex + " does not decode: " +
                                                          h.status().message()});
    } else if (!equal(h->view(), key.subspan(0, 32))) {
      log.add({"hashes", "hash_mismatch", key_hex, "",
               "trie node " + key_hex + " holds a value whose hash is " + h->hex()});
    }
  } else if (c == KeyCategory::kCode || c == KeyCategory::kPreimage) {
    const size_t prefix = c == KeyCategory::kCode ? rawdb::kCodePrefix.size() : rawdb::kPreimagePrefix.size();
    const Hash h = keccak256(value);
    if (!equal(h.view(), key.subspan(prefix))) {
      log.add({"hashes", "hash_mismatch", key_hex, "",
               std::string(c == KeyCategory::kCode ? "code " : "preimage ") + key_hex + " hashes to " + h.hex()});
    }
  }
}

}  // namespace

Result<LevelResult> verify_hashes(const chaindata::DBManager& dbm, ProblemLog& log, FILE* progress_out, bool quiet) {
  std::vector<kv::Database*> dbs;
  if (dbm.is_single()) {
    dbs.push_back(&dbm.misc());
  } else {
    for (auto t : {chaindata::EntryType::kStateTrie, chaindata::EntryType::kStateTrieMigration}) {
      if (kv::Database* db = dbm.find(t)) dbs.push_back(db);
    }
  }
  uint64_t estimate = 0;
  for (auto* db : dbs) estimate += estimated_keys(*db);
  cli::Progress progress("verify hashes", estimate, "keys", progress_out);
  if (quiet) progress.silence();
  std::atomic<uint64_t> checked{0};
  for (auto* db : dbs) {
    std::vector<uint64_t> pending(kScanParts, 0);
    Status s = parallel_scan(*db, [&](size_t part, ByteView key, ByteView value) {
      check_one(key, value, log);
      if (++pending[part] == 4096) {
        progress.add(pending[part]);
        checked.fetch_add(pending[part], std::memory_order_relaxed);
        pending[part] = 0;
      }
      return Status::ok();
    });
    for (uint64_t p : pending) checked.fetch_add(p, std::memory_order_relaxed);
    if (!s) return s;
  }
  progress.set(checked.load());
  progress.finish();
  LevelResult r;
  r.checked = checked.load();
  r.note = "every key of the state trie database(s)";
  return r;
}

}  // namespace klay::kchaindata
