// CommitCadence over the chain's NodeDatabase: storage tries must live as long
// as the account-trie nodes that name them, whichever block wrote them.
//
// Regression: storage tries used to be linked to the state root of the block
// that wrote them. A later block that leaves such a storage trie alone still
// reaches it through the unchanged account leaf, but when the writing block's
// root left the tries-in-memory window the storage trie's dirty nodes were
// dropped, and the next commit wrote an account trie whose storage root was
// never on disk.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/core/keccak.h"
#include "engine/state/code_store.h"
#include "engine/state/state_db.h"
#include "engine/state/state_options.h"
#include "engine/trie/node_iterator.h"
#include "node/chain/commit_cadence.h"

namespace klay::chain {
namespace {

// The "disk": a memory node and code store behind the StateSink interface.
class MemorySink : public StateSink {
 public:
  Status put(ByteView key, ByteView node) override { return nodes.put(key, node); }
  Status put(const Hash& code_hash, ByteView code) override { return codes.put(code_hash, code); }
  Status flush() override { return Status::ok(); }

  trie::MemoryNodeStore nodes;
  state::MemoryCodeStore codes;
};

Address addr(const std::string& seed) { return Address::from(keccak256(as_view(seed)).view().subspan(12)); }

Hash word(uint64_t v) {
  Hash h;
  for (int i = 0; i < 8; ++i) h.bytes[31 - i] = static_cast<uint8_t>(v >> (8 * i));
  return h;
}

void check(const Status& s, const char* what) { ASSERT_TRUE(s.is_ok()) << what << ": " << s.to_string(); }

// Walks the whole state under `root` in `store` (account trie, then every
// storage trie an account leaf names); returns the first missing node error.
Status walk_state(const trie::NodeReader& store, const trie::NodeKey& root, size_t* storage_tries) {
  std::vector<trie::NodeKey> storage_roots;
  Status s = trie::walk_nodes(store, root.view(), [&](const trie::NodeVisit& v) {
    trie::NodeKey child;
    if (v.has_value && state::account_storage_child(v.value, &child)) storage_roots.push_back(child);
    return Status::ok();
  });
  if (!s) return s;
  for (const auto& r : storage_roots) {
    s = trie::walk_nodes(store, r.view(), [](const trie::NodeVisit&) { return Status::ok(); });
    if (!s) return s;
  }
  *storage_tries = storage_roots.size();
  return Status::ok();
}

constexpr uint64_t kTriesInMemory = 4;
constexpr size_t kSlots = 24;
constexpr size_t kAccounts = 300;

// A chain of states built block by block through NodeDatabase + CommitCadence,
// as BlockChain does (genesis written straight to disk).
class CadenceChain {
 public:
  CadenceChain(bool ext_hash, size_t dirty_limit) {
    nodes_ = make_state_node_database(&disk_.nodes, size_t{1} << 20);
    BlockChainOptions o;
    o.gc_mode = GcMode::kFull;
    o.tries_in_memory = kTriesInMemory;
    o.state_block_interval = 1000;  // no periodic commit in these tests
    o.trie_dirty_limit = dirty_limit;
    cadence_ = std::make_unique<CommitCadence>(*nodes_, disk_, o);
    options_.ext_hash = ext_hash;
    auto st = state::StateDB::open(&disk_.nodes, &disk_.codes, trie::NodeKey::plain(empty_root()).view(), options_);
    if (!st) throw std::runtime_error(st.status().to_string());
    for (size_t i = 0; i < kAccounts; ++i) check(st->add_balance(eoa(i), uint256(1000 + i)), "genesis balance");
    auto c = st->commit(disk_, disk_);
    if (!c) throw std::runtime_error(c.status().to_string());
    head_ = c->root_key;
  }

  static Address eoa(size_t i) { return addr("eoa-" + std::to_string(i)); }

  // One block: `fn` mutates the state at the head; commit into the
  // NodeDatabase; the cadence runs.
  template <typename Fn>
  state::StateCommit block(Fn&& fn) {
    auto st = state::StateDB::open(nodes_.get(), &disk_.codes, head_.view(), options_);
    if (!st) throw std::runtime_error(st.status().to_string());
    fn(*st);
    auto c = st->commit(*nodes_, disk_);
    if (!c) throw std::runtime_error(c.status().to_string());
    bool on_disk = false;
    size_t flushed = 0;
    if (Status s = cadence_->after_commit(++block_num_, *c, &on_disk, &flushed); !s)
      throw std::runtime_error(s.to_string());
    head_ = c->root_key;
    return std::move(*c);
  }

  // What BlockChain::close() does: the head root to disk.
  void close() {
    size_t flushed = 0;
    check(cadence_->flush_root(head_, &flushed), "flush head");
  }

  MemorySink& disk() { return disk_; }
  trie::NodeDatabase& nodes() { return *nodes_; }
  const trie::NodeKey& head() const { return head_; }
  const state::StateOptions& options() const { return options_; }

 private:
  MemorySink disk_;
  std::unique_ptr<trie::NodeDatabase> nodes_;
  std::unique_ptr<CommitCadence> cadence_;
  state::StateOptions options_;
  trie::NodeKey head_;
  uint64_t block_num_ = 0;
};

// (ExtHash keys, dirty limit in bytes)
class CommitCadenceTest : public ::testing::TestWithParam<std::tuple<bool, size_t>> {};

TEST_P(CommitCadenceTest, StorageWrittenOnceSurvivesTheWindowToDisk) {
  const auto [ext_hash, dirty_limit] = GetParam();
  CadenceChain chain(ext_hash, dirty_limit);
  const Address contract = addr("contract");
  chain.block([&](state::StateDB& st) {
    check(st.set_code(contract, as_view(std::string("\x60\x00\x60\x00", 4)), 0), "code");
    for (size_t i = 0; i < kSlots; ++i) check(st.set_storage(contract, word(i + 1), word(100 + i)), "slot");
  });
  // Blocks that change only other accounts, well past the window.
  for (uint64_t b = 0; b < 3 * kTriesInMemory; ++b) {
    chain.block([&](state::StateDB& st) {
      for (size_t i = 0; i < 20; ++i) check(st.add_balance(CadenceChain::eoa(b * 20 + i), uint256(1)), "balance");
    });
  }
  if (dirty_limit < (size_t{1} << 30)) {
    EXPECT_GT(chain.nodes().stats().flushed_nodes, 0u) << "cap() never ran";
  }
  chain.close();

  // Reopened from the disk alone: the contract's storage and the whole head state.
  auto st = state::StateDB::open(&chain.disk().nodes, &chain.disk().codes, chain.head().view(), chain.options());
  ASSERT_TRUE(st) << st.status().to_string();
  for (size_t i = 0; i < kSlots; ++i) {
    auto v = st->storage(contract, word(i + 1));
    ASSERT_TRUE(v) << "slot " << i << ": " << v.status().to_string();
    EXPECT_EQ(*v, word(100 + i));
  }
  size_t storage_tries = 0;
  Status walk = walk_state(chain.disk().nodes, chain.head(), &storage_tries);
  EXPECT_TRUE(walk.is_ok()) << walk.to_string();
  EXPECT_EQ(storage_tries, 1u);
}

// (ExtHash keys); no cap, which could flush the old trie before it is dropped.
class CommitCadenceDropTest : public ::testing::TestWithParam<bool> {};

TEST_P(CommitCadenceDropTest, ReplacedStorageLeavesMemoryWithItsAccountNodes) {
  CadenceChain chain(GetParam(), size_t{1} << 30);
  const Address contract = addr("contract");
  auto first = chain.block([&](state::StateDB& st) {
    check(st.set_code(contract, as_view(std::string("\x60\x00", 2)), 0), "code");
    for (size_t i = 0; i < kSlots; ++i) check(st.set_storage(contract, word(i + 1), word(100 + i)), "slot");
  });
  ASSERT_EQ(first.storage_roots.size(), 1u);
  const trie::NodeKey old_storage = first.storage_roots.front();
  auto second = chain.block([&](state::StateDB& st) {
    for (size_t i = 0; i < kSlots; ++i) check(st.set_storage(contract, word(i + 1), word(200 + i)), "slot");
  });
  ASSERT_EQ(second.storage_roots.size(), 1u);
  // Block 1's root is dereferenced by block 1 + kTriesInMemory.
  for (uint64_t b = 0; b + 1 < kTriesInMemory; ++b) {
    EXPECT_TRUE(chain.nodes().is_dirty(old_storage)) << "dropped while block 1 is still in the window";
    chain.block([&](state::StateDB& st) { check(st.add_balance(CadenceChain::eoa(b), uint256(1)), "balance"); });
  }
  // Block 1's root left the window and nothing newer names its storage trie.
  EXPECT_FALSE(chain.nodes().is_dirty(old_storage));
  EXPECT_TRUE(chain.nodes().is_dirty(second.storage_roots.front()));
  EXPECT_EQ(chain.disk().nodes.has(old_storage.view()), false);
  chain.close();
  auto st = state::StateDB::open(&chain.disk().nodes, &chain.disk().codes, chain.head().view(), chain.options());
  ASSERT_TRUE(st) << st.status().to_string();
  auto v = st->storage(contract, word(1));
  ASSERT_TRUE(v) << v.status().to_string();
  EXPECT_EQ(*v, word(200));
}

INSTANTIATE_TEST_SUITE_P(Modes, CommitCadenceTest,
                         ::testing::Combine(::testing::Bool(), ::testing::Values(size_t{1} << 30, size_t{48} << 10)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param) ? "ExtHash" : "Plain") +
                                  (std::get<1>(info.param) < (size_t{1} << 30) ? "Capped" : "Unlimited");
                         });
INSTANTIATE_TEST_SUITE_P(Modes, CommitCadenceDropTest, ::testing::Bool(),
                         [](const auto& info) { return std::string(info.param ? "ExtHash" : "Plain"); });

}  // namespace
}  // namespace klay::chain
