// Shared by the pruning tests and prune_driver: scratch datadirs (tests/support) and MiniChain,
// a deterministic chain of states over a DBManager that commits like
// node/chain's BlockChain (trie::NodeDatabase; archive: every block's root to
// disk; full: every `interval` blocks, a window of in-memory roots, cap) and
// writes each block's pruning marks, header, canonical hash, head pointer and
// durable-state record in one rawdb::ChainBatch, as the chain integration does.
// Block contents depend only on (seed, block number), so a reopened MiniChain
// re-executes lost in-memory blocks exactly as BlockChain's recovery does.
#pragma once

#include <deque>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/chaindata/db_manager.h"
#include "engine/core/keccak.h"
#include "engine/klaytn/account.h"
#include "engine/klaytn/header.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/chain_batch.h"
#include "engine/rawdb/schema.h"
#include "engine/rawdb/trie_store.h"
#include "engine/state/code_store.h"
#include "engine/state/state_db.h"
#include "engine/state/state_options.h"
#include "engine/trie/node_database.h"
#include "engine/trie/node_iterator.h"
#include "pruning/live_pruner.h"
#include "tests/support/chaindata_setup.h"
#include "tests/support/scratch_dir.h"

namespace klay::pruning::testing {

using test_support::open_manager;
using test_support::ScratchDir;
using test_support::small_config;

inline void check(const Status& s, const std::string& what) {
  if (!s) throw std::runtime_error(what + ": " + s.message());
}

struct MiniChainOptions {
  bool ext_hash = true;      // live pruning (records PruningEnabled at init)
  bool archive = true;       // false: full gcmode
  uint64_t interval = 8;     // full: blocks between disk commits
  uint64_t window = 8;       // full: in-memory roots kept
  size_t dirty_limit = size_t{256} << 10;  // full: cap() above this
  size_t eoas = 300;
  size_t contracts = 12;
  size_t slots = 24;
  size_t changes_per_block = 8;
  uint64_t seed = 7;
  bool write_marks = true;
};

class MiniChain {
 public:
  // Initialises the datadir at first use (genesis = block 0), else reopens it
  // and re-executes blocks whose state was only in memory (full mode).
  MiniChain(chaindata::DBManager& dbm, MiniChainOptions o) : dbm_(dbm), o_(o), disk_(dbm.state_trie()) {
    state_opts_.ext_hash = o_.ext_hash;
    // As node/chain's make_state_node_database: account leaves link their
    // storage tries, so an unchanged storage trie lives as long as the account
    // trie that names it.
    trie::NodeDatabaseOptions node_opts;
    node_opts.leaf_child = &state::account_storage_child;
    nodes_ = std::make_unique<trie::NodeDatabase>(&disk_, node_opts);
    sink_ = std::make_unique<rawdb::StateStoreBatch>(dbm.state_trie());
    auto head = rawdb::read_head(dbm_, rawdb::Head::kBlock);
    if (!head) {
      init();
    } else {
      recover(*head);
    }
  }

  uint64_t head() const { return head_; }
  uint64_t durable() const { return durable_; }
  const Hash& head_root() const { return roots_.back(); }
  Result<Hash> root_at(uint64_t n) const {
    auto h = rawdb::read_canonical_hash(dbm_, n);
    if (!h) return h.status();
    auto hdr = rawdb::read_header(dbm_, n, *h);
    if (!hdr) return hdr.status();
    return hdr->root;
  }
  ChainPosition position() const {
    ChainPosition p;
    p.head = head_;
    p.durable_state_block = durable_;
    p.protected_roots = {trie::NodeKey::plain(roots_.back()), trie::NodeKey::plain(durable_root_)};
    return p;
  }
  trie::NodeDatabase& nodes() { return *nodes_; }
  uint64_t marks_written() const { return marks_written_; }

  void add_block() {
    const uint64_t b = head_ + 1;
    auto st = state::StateDB::open(nodes_.get(), &disk_, trie::NodeKey::plain(roots_.back()).view(), state_opts_);
    if (!st) throw std::runtime_error("StateDB::open at block " + std::to_string(head_) + ": " + st.status().message());
    mutate(*st, b);
    commit_block(*st, b, /*write_head=*/true);
  }
  void add_blocks(size_t n) {
    for (size_t i = 0; i < n; ++i) add_block();
  }

 private:
  static uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  static Address addr(uint8_t kind, uint64_t i) {
    Address a;
    a.bytes.fill(0x22);
    a.bytes[0] = kind;
    for (int k = 0; k < 8; ++k) a.bytes[12 + k] = static_cast<uint8_t>(i >> (8 * (7 - k)));
    return a;
  }
  static Hash word(uint64_t v) {
    uint8_t b[8];
    put_be64(b, v);
    return keccak256(ByteView(b, 8));
  }
  static Bytes code_for(uint64_t tag) {
    Bytes c(40 + tag % 17);
    for (size_t i = 0; i < c.size(); ++i) c[i] = static_cast<uint8_t>(mix(tag * 131 + i));
    return c;
  }

  void genesis(state::StateDB& st) {
    for (size_t i = 0; i < o_.eoas; ++i) check(st.set_balance(addr(1, i), uint256(1000 + i)), "genesis balance");
    for (size_t c = 0; c < o_.contracts; ++c) {
      check(st.set_code(addr(2, c), code_for(c), 0), "genesis code");
      for (size_t s = 0; s < o_.slots; ++s) check(st.set_storage(addr(2, c), word(s), word(c * 1000 + s + 1)), "slot");
    }
    check(st.finalise(), "finalise");
  }

  void mutate(state::StateDB& st, uint64_t b) {
    uint64_t r = mix(o_.seed * 1'000'003 + b);
    for (size_t i = 0; i < o_.changes_per_block; ++i) {
      r = mix(r);
      const uint64_t kind = r % 10;
      if (kind < 6) {
        check(st.set_balance(addr(1, (r >> 8) % o_.eoas), uint256(1 + (r >> 20) % 1'000'000)), "balance");
      } else if (kind < 9) {
        const Address c = addr(2, (r >> 8) % o_.contracts);
        const Hash value = (r >> 40) % 8 == 0 ? Hash{} : word(r >> 16);
        check(st.set_storage(c, word((r >> 24) % (o_.slots + 8)), value), "storage");
      } else {
        check(st.set_balance(addr(3, b * 100 + i), uint256(5)), "new account");
      }
      check(st.finalise(), "finalise");
    }
    if (b % 7 == 0) {
      // Replace a contract: its old storage trie and code become garbage.
      const Address c = addr(2, (b / 7) % o_.contracts);
      check(st.self_destruct(c), "self_destruct");
      check(st.finalise(), "finalise");
      check(st.set_code(c, code_for(1'000'000 + b), 0), "code");
      for (size_t s = 0; s < o_.slots / 2; ++s) check(st.set_storage(c, word(s), word(b * 7 + s + 1)), "slot");
      check(st.finalise(), "finalise");
    }
  }

  void flush_root(const trie::NodeKey& root) {
    check(nodes_->commit(root, *sink_), "NodeDatabase::commit");
    check(sink_->flush(), "sink flush");
  }

  void commit_block(state::StateDB& st, uint64_t b, bool write_head) {
    auto c = st.commit(*nodes_, *sink_);
    if (!c) throw std::runtime_error("commit: " + c.status().message());
    bool on_disk = false;
    if (o_.archive || b == 0) {
      flush_root(c->root_key);
      on_disk = true;
    } else {
      nodes_->reference(c->root_key);
      kept_.emplace_back(b, c->root_key);
      if (b % o_.interval == 0) {
        flush_root(c->root_key);
        on_disk = true;
      }
      while (!kept_.empty() && kept_.front().first + o_.window <= b) {
        nodes_->dereference(kept_.front().second);
        kept_.pop_front();
      }
      if (nodes_->stats().dirty_bytes > o_.dirty_limit) {
        check(nodes_->cap(o_.dirty_limit, *sink_), "cap");
        check(sink_->flush(), "sink flush");
      }
    }
    Header h;
    h.number = b;
    h.parent_hash = b == 0 ? Hash{} : hashes_.back();
    h.root = c->root;
    h.time = 1000 + b;
    const Hash hash = header_hash(h);
    rawdb::ChainBatch batch(dbm_);
    if (o_.write_marks && o_.ext_hash && b > 0) {
      check(LivePruner::write_marks(batch, b - 1, c->obsolete), "write_marks");
      marks_written_ += c->obsolete.size();
    }
    if (write_head) {
      check(rawdb::write_header(batch, h, hash), "header");
      check(rawdb::write_canonical_hash(batch, b, hash), "canonical");
      check(rawdb::write_head(batch, rawdb::Head::kBlock, hash), "head");
    }
    if (on_disk) check(batch.put_head(as_view(rawdb::kStateBlockKey), hash.view()), "durable");
    check(batch.commit(), "ChainBatch::commit");
    if (write_head) {
      hashes_.push_back(hash);
      roots_.push_back(c->root);
      head_ = b;
    }
    if (on_disk) {
      durable_ = b;
      durable_root_ = c->root;
    }
  }

  void init() {
    if (o_.ext_hash) {
      rawdb::DirectWriter w(dbm_);
      check(rawdb::write_pruning_enabled(w), "PruningEnabled");
    }
    auto st = state::StateDB::open(nodes_.get(), &disk_, trie::NodeKey::plain(empty_root()).view(), state_opts_);
    if (!st) throw std::runtime_error("StateDB::open(empty): " + st.status().message());
    genesis(*st);
    commit_block(*st, 0, true);
  }

  void recover(const Hash& head_hash) {
    auto num = rawdb::read_header_number(dbm_, head_hash);
    if (!num) throw std::runtime_error("head number: " + num.status().message());
    head_ = *num;
    for (uint64_t n = 0; n <= head_; ++n) {
      auto h = rawdb::read_canonical_hash(dbm_, n);
      if (!h) throw std::runtime_error("canonical hash: " + h.status().message());
      hashes_.push_back(*h);
      auto root = root_at(n);
      if (!root) throw std::runtime_error("header: " + root.status().message());
      roots_.push_back(*root);
    }
    Bytes marker;
    check(dbm_.db(chaindata::EntryType::kHeader).get(as_view(rawdb::kStateBlockKey), &marker), "durable record");
    auto d = rawdb::read_header_number(dbm_, Hash::from(marker));
    if (!d) throw std::runtime_error("durable number: " + d.status().message());
    durable_ = *d;
    durable_root_ = roots_[durable_];
    // Re-execute the blocks whose state was only in memory (full mode), writing
    // their marks again (the same marks for on-disk nodes; fresh ones for the
    // new in-memory nodes).
    const uint64_t stored_head = head_;
    for (uint64_t b = durable_ + 1; b <= stored_head; ++b) {
      auto st = state::StateDB::open(nodes_.get(), &disk_, trie::NodeKey::plain(roots_[b - 1]).view(), state_opts_);
      if (!st) throw std::runtime_error("recovery StateDB::open: " + st.status().message());
      mutate(*st, b);
      commit_block(*st, b, /*write_head=*/false);
      if (roots_[b] != st->root_key().hash()) throw std::runtime_error("recovery: root mismatch at " + std::to_string(b));
    }
  }

  chaindata::DBManager& dbm_;
  MiniChainOptions o_;
  rawdb::StateStoreReader disk_;
  state::StateOptions state_opts_;
  std::unique_ptr<trie::NodeDatabase> nodes_;
  std::unique_ptr<rawdb::StateStoreBatch> sink_;
  std::deque<std::pair<uint64_t, trie::NodeKey>> kept_;
  std::vector<Hash> hashes_;
  std::vector<Hash> roots_;
  uint64_t head_ = 0;
  uint64_t durable_ = 0;
  Hash durable_root_;
  uint64_t marks_written_ = 0;
};

// Every stored key reachable from `root` in `db` (trie nodes; code keys in *codes).
// Throws on a missing node (the message names it).
inline std::set<trie::NodeKey> reachable(kv::Database& db, const Hash& root, std::set<Bytes>* codes = nullptr) {
  std::set<trie::NodeKey> keys;
  rawdb::StateStoreReader reader(db);
  auto visit_storage = [&](const trie::NodeVisit& v) -> Status {
    if (!v.is_embedded()) keys.insert(trie::NodeKey::from(v.key));
    return Status::ok();
  };
  auto visit = [&](const trie::NodeVisit& v) -> Status {
    if (!v.is_embedded()) keys.insert(trie::NodeKey::from(v.key));
    if (!v.has_value) return Status::ok();
    auto a = decode_account(v.value);
    if (!a) return a.status();
    if (!a->is_program_account()) return Status::ok();
    if (a->code_hash != empty_code_hash()) {
      Bytes code;
      if (Status s = reader.get(a->code_hash, &code); !s) return Status::not_found("missing code " + a->code_hash.hex());
      if (codes) codes->insert(state::code_db_key(a->code_hash));
    }
    if (a->storage_root.hash() == empty_root()) return Status::ok();
    return trie::walk_nodes(reader, state::storage_root_key(a->storage_root).view(), visit_storage);
  };
  check(trie::walk_nodes(reader, root.view(), visit), "walk of root " + root.hex());
  return keys;
}

// Trie-node keys (32 or 39 bytes) in the state-trie database.
inline uint64_t count_node_keys(kv::Database& db) {
  uint64_t n = 0;
  auto it = db.new_iterator();
  for (; it->valid(); it->next()) {
    if (it->key().size() == 32 || it->key().size() == 39) ++n;
  }
  check(it->status(), "iterate");
  return n;
}

}  // namespace klay::pruning::testing
