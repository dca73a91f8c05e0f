#include "pruning/to_live_pruning.h"

#include <chrono>
#include <unordered_set>

#include "engine/chaindata/entry_type.h"
#include "engine/core/keccak.h"
#include "engine/klaytn/account.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/schema.h"
#include "engine/rawdb/trie_store.h"
#include "engine/state/state_options.h"
#include "engine/trie/node_store.h"
#include "pruning/ext_rewrite.h"
#include "pruning/state_blocks.h"

namespace klay::pruning {

namespace {

using chaindata::EntryType;

Status missing(ByteView key) { return trie::missing_node(key); }

// Copies plain-key tries from `src` into ExtHash form in `dst`.
class ExtCopier {
 public:
  ExtCopier(kv::Database& src, kv::Database& dst, trie::ExtHashCounter& counter)
      : in_(src), out_(dst), counter_(counter) {}

  // The new key of the node stored under `key` (plain), copied with its subtree.
  Result<Bytes> copy(ByteView key, bool zero_extension, bool account_trie) {
    Bytes rlp;
    if (Status s = in_.get(key, &rlp); !s) return s.is_not_found() ? missing(key) : s;
    ChildMap child = [&](ByteView child_key) -> Result<Bytes> {
      if (child_key.size() != 32) return Status::corruption("node 0x" + to_hex(key) + " already holds an ExtHash reference");
      return copy(child_key, false, account_trie);
    };
    ValueMap value = nullptr;
    if (account_trie) value = [&](ByteView v) { return map_account(v); };
    auto stored = rewrite_node(rlp, child, value);
    if (!stored) return stored.status();
    const Hash h = Hash::from(key);
    Bytes new_key = zero_extension ? to_bytes(key) : to_bytes(ExtHash::make(h, counter_.next()).view());
    if (Status s = out_.put(new_key, *stored); !s) return s;
    ++nodes_;
    return new_key;
  }

  Status flush() { return out_.flush(); }
  uint64_t nodes() const { return nodes_; }
  uint64_t storage_tries() const { return storage_tries_; }
  uint64_t codes() const { return codes_.size(); }

 private:
  Result<Bytes> map_account(ByteView v) {
    auto account = decode_account(v);
    if (!account) return Status::corruption("account value: " + account.status().message());
    if (!account->is_program_account()) return to_bytes(v);
    if (account->code_hash != empty_code_hash() && codes_.insert(account->code_hash).second) {
      Bytes code;
      if (Status s = in_.get(account->code_hash, &code); !s)
        return Status::not_found("missing code 0x" + to_hex(account->code_hash.view()));
      if (Status s = out_.put(account->code_hash, code); !s) return s;
    }
    const Hash sr = account->storage_root.hash();
    if (sr != empty_root()) {
      const bool legacy = account->type == AccountType::kLegacy;
      auto new_root = copy(sr.view(), legacy, false);
      if (!new_root) return new_root.status();
      account->storage_root = legacy ? ExtHash::make(sr, 0) : ExtHash::from(*new_root);
      ++storage_tries_;
    }
    return encode_account(*account, ExtHashMode::kPreserveExtHash);
  }

  rawdb::StateStoreReader in_;
  rawdb::StateStoreBatch out_;
  trie::ExtHashCounter& counter_;
  std::unordered_set<Hash, FixedBytesHasher> codes_;
  uint64_t nodes_ = 0;
  uint64_t storage_tries_ = 0;
};

// Checks every node under `key` in `db`: its hash form hashes to its key, and
// non-root nodes are ExtHash-keyed.
class ExtVerifier {
 public:
  explicit ExtVerifier(kv::Database& db) : reader_(db) {}

  Status verify(ByteView key, bool account_trie) {
    Bytes rlp;
    if (Status s = reader_.get(key, &rlp); !s) return s.is_not_found() ? missing(key) : s;
    ChildMap child = [&](ByteView child_key) -> Result<Bytes> {
      if (child_key.size() != 39)
        return Status::corruption("node 0x" + to_hex(key) + " references a child under a plain key");
      if (Status s = verify(child_key, account_trie); !s) return s;
      return Bytes(child_key.begin(), child_key.begin() + 32);
    };
    ValueMap value = nullptr;
    if (account_trie) {
      value = [&](ByteView v) -> Result<Bytes> {
        auto account = decode_account(v);
        if (!account) return account.status();
        if (account->is_program_account() && account->storage_root.hash() != empty_root()) {
          const bool legacy = account->type == AccountType::kLegacy;
          if (legacy != (account->storage_root.counter() == 0))
            return Status::corruption("an account's storage root has the wrong key form");
          if (Status s = verify(state::storage_root_key(account->storage_root).view(), false); !s) return s;
        }
        if (account->is_program_account() && account->code_hash != empty_code_hash()) {
          Bytes code;
          if (Status s = reader_.get(account->code_hash, &code); !s)
            return Status::not_found("missing code 0x" + to_hex(account->code_hash.view()));
        }
        return unextend_account_value(v);
      };
    }
    auto hf = rewrite_node(rlp, child, value);
    if (!hf) return hf.status();
    if (!equal(keccak256(*hf).view(), key.subspan(0, 32)))
      return Status::corruption("converted node 0x" + to_hex(key) + " does not hash to its key");
    ++nodes_;
    return Status::ok();
  }
  uint64_t nodes() const { return nodes_; }

 private:
  rawdb::StateStoreReader reader_;
  uint64_t nodes_ = 0;
};

// Removes what an interrupted conversion left; Busy for a real migration.
Status clear_leftovers(chaindata::DBManager& dbm) {
  auto status = rawdb::read_migration_status(dbm);
  if (!status) return status.status();
  if (*status != 0)
    return Status::busy("a state migration at block " + std::to_string(*status) +
                        " is in progress: finish or abort it before converting to live pruning");
  if (!dbm.is_open(EntryType::kStateTrieMigration)) return Status::ok();
  auto name = dbm.dir_name(EntryType::kStateTrieMigration);
  if (!name) return name.status();
  if (name->rfind(kLivePruningDirPrefix, 0) != 0)
    return Status::busy("a state migration target (" + *name + ") is open: finish or abort the migration first");
  if (Status s = dbm.close_entry(EntryType::kStateTrieMigration, true); !s) return s;
  return dbm.remove_dir(*name);
}

Status abandon(chaindata::DBManager& dbm, const std::string& dir, Status why) {
  (void)dbm.close_entry(EntryType::kStateTrieMigration, true);
  (void)dbm.remove_dir(dir);
  return why;
}

}  // namespace

Result<ToLivePruningReport> convert_to_live_pruning(chaindata::DBManager& dbm, const ToLivePruningOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  if (dbm.is_single() || dbm.config().read_only)
    return Status::not_supported("converting to live pruning needs a separate, writable state-trie database");
  auto enabled = rawdb::read_pruning_enabled(dbm);
  if (!enabled) return enabled.status();
  if (*enabled) return Status::invalid_argument("datadir " + dbm.datadir().string() + " already has live pruning enabled");
  if (Status s = clear_leftovers(dbm); !s) return s;

  ToLivePruningReport report;
  auto block = options.block_num ? checked_state_block(dbm, *options.block_num) : newest_state_block(dbm);
  if (!block) return block.status();
  report.block_num = *block;
  auto root = state_root_at(dbm, *block);
  if (!root) return root.status();
  report.root = *root;
  auto old_dir = dbm.dir_name(EntryType::kStateTrie);
  if (!old_dir) return old_dir.status();
  report.old_dir = *old_dir;
  report.new_dir = std::string(kLivePruningDirPrefix) + std::to_string(*block);
  if (report.new_dir == report.old_dir) report.new_dir += "_b";

  if (Status s = dbm.open_entry(EntryType::kStateTrieMigration, report.new_dir); !s) return s;
  kv::Database& target = dbm.db(EntryType::kStateTrieMigration);
  trie::ExtHashCounter& counter = options.counter ? *options.counter : trie::process_ext_hash_counter();
  {
    ExtCopier copier(dbm.state_trie(), target, counter);
    if (*root != empty_root()) {
      auto new_root = copier.copy(root->view(), /*zero_extension=*/true, /*account_trie=*/true);
      if (!new_root) {
        return abandon(dbm, report.new_dir,
                       Status::not_found("the state of block " + std::to_string(*block) +
                                         " is incomplete, nothing was converted: " + new_root.status().message()));
      }
    }
    if (Status s = copier.flush(); !s) return abandon(dbm, report.new_dir, s);
    report.nodes_written = copier.nodes();
    report.storage_tries = copier.storage_tries();
    report.codes_written = copier.codes();
  }
  if (*root != empty_root()) {
    ExtVerifier verifier(target);
    if (Status s = verifier.verify(root->view(), true); !s)
      return abandon(dbm, report.new_dir, Status::corruption("verifying the converted state: " + s.message()));
    report.nodes_verified = verifier.nodes();
  }

  // The commit point: one misc batch.
  if (Status s = dbm.close_entry(EntryType::kStateTrieMigration, false); !s) return s;
  kv::Database& misc = dbm.misc();
  auto batch = misc.new_batch();
  batch->put(chaindata::dir_record_key(EntryType::kStateTrie), as_view(report.new_dir));
  batch->del(chaindata::dir_record_key(EntryType::kStateTrieMigration));
  batch->put(as_view(rawdb::kPruningEnabledKey), as_view(rawdb::kPruningEnabledValue));
  if (*block > 0) {
    uint8_t le[8];
    put_le64(le, *block - 1);
    batch->put(as_view(rawdb::kLastPrunedBlockNumberKey), ByteView(le, 8));
  }
  batch->put(as_view(rawdb::kMigrationOldDBPathKey), as_view(report.old_dir));
  if (Status s = misc.write(*batch); !s) return s;

  // Swap the open databases, delete the old directory, clear its record.
  if (Status s = dbm.close_entry(EntryType::kStateTrie, false); !s) return s;
  if (Status s = dbm.remove_dir(report.old_dir); !s) return s;
  if (Status s = dbm.open_entry(EntryType::kStateTrie, report.new_dir); !s) return s;
  if (Status s = misc.del(as_view(rawdb::kMigrationOldDBPathKey)); !s) return s;

  auto settings = rawdb::load_datadir_settings(dbm.datadir());
  if (!settings) return settings.status();
  rawdb::DatadirSettings st;
  if (*settings) {
    st = **settings;
  } else {
    st.backend = dbm.config().backend;
    st.single_db = dbm.config().single_db;
    st.num_statetrie_shards = dbm.config().num_statetrie_shards;
  }
  st.live_pruning = true;
  st.live_pruning_retention = options.retention;
  if (Status s = rawdb::save_datadir_settings(dbm.datadir(), st); !s) return s;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

}  // namespace klay::pruning
