// Offline prune of plain-key datadirs: garbage removed, retained states and
// non-trie records intact, refusal of live-pruning datadirs, the interrupted
// sweep resumed from the marker (driver killed mid-sweep), and the command.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/rawdb/schema.h"
#include "pruning/cli/prune_command.h"
#include "pruning/offline_pruner.h"
#include "tests/pruning/crash_support.h"
#include "tests/pruning/pruning_test_support.h"

namespace klay::pruning {
namespace {

using testing::count_node_keys;
using testing::MiniChain;
using testing::MiniChainOptions;
using testing::reachable;
using testing::ScratchDir;

MiniChainOptions plain_options() {
  MiniChainOptions o;
  o.ext_hash = false;
  o.write_marks = false;
  return o;
}

struct Expected {
  std::set<trie::NodeKey> nodes;
  std::set<Bytes> codes;
};

Expected retained_set(chaindata::DBManager& dbm, const MiniChain& chain, uint64_t from) {
  Expected e;
  for (uint64_t n = from; n <= chain.head(); ++n) {
    auto part = reachable(dbm.state_trie(), *chain.root_at(n), &e.codes);
    e.nodes.insert(part.begin(), part.end());
  }
  return e;
}

uint64_t count_code_keys(kv::Database& db) {
  uint64_t n = 0;
  kv::IteratorOptions o;
  o.prefix = to_bytes(rawdb::kCodePrefix);
  auto it = db.new_iterator(o);
  for (; it->valid(); it->next())
    if (it->key().size() == 33) ++n;
  return n;
}

// Non-trie records that happen to live in the state-trie database.
void add_strays(kv::Database& db) {
  ASSERT_TRUE(db.put(rawdb::preimage_key(keccak256(as_view("x"))), as_view("x")));
  Bytes fake(32, 0xab);  // 32 bytes, but its value does not hash to it
  ASSERT_TRUE(db.put(fake, as_view("not a trie node")));
}

void expect_strays(kv::Database& db) {
  Bytes v;
  EXPECT_TRUE(db.get(rawdb::preimage_key(keccak256(as_view("x"))), &v));
  EXPECT_TRUE(db.get(Bytes(32, 0xab), &v));
}

void expect_pruned(chaindata::DBManager& dbm, const Expected& e, const OfflinePruneReport& r) {
  for (const auto& k : e.nodes) {
    auto has = dbm.state_trie().has(k.view());
    ASSERT_TRUE(has && *has) << "retained node " << k.hex() << " was deleted";
  }
  for (const auto& c : e.codes) {
    auto has = dbm.state_trie().has(c);
    ASSERT_TRUE(has && *has) << "retained code was deleted";
  }
  const uint64_t stored = count_node_keys(dbm.state_trie()) - 1;  // minus the fake 32-byte stray
  EXPECT_GE(stored, e.nodes.size());
  // Bloom false positives keep a little garbage (~1 % of what was deleted).
  EXPECT_LE(stored, e.nodes.size() + r.nodes_deleted / 20 + 10) << "garbage left";
  EXPECT_GT(r.nodes_deleted, e.nodes.size()) << "the chain had more garbage than live nodes";
  EXPECT_GT(r.codes_deleted, 0u);
  EXPECT_GE(count_code_keys(dbm.state_trie()), e.codes.size());
  EXPECT_LE(count_code_keys(dbm.state_trie()), e.codes.size() + 2);
  expect_strays(dbm.state_trie());
}

TEST(OfflinePruner, RemovesGarbageKeepsRetainedStatesAndNonTrieRecords) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path());
  MiniChain chain(*dbm, plain_options());
  chain.add_blocks(150);
  add_strays(dbm->state_trie());
  const uint64_t keep = chain.head() - 3;
  const Expected e = retained_set(*dbm, chain, keep);
  OfflinePruneOptions o;
  o.block_num = keep;
  o.free_space_headroom = 1 << 20;
  std::atomic<int> calls{0};
  o.on_progress = [&](const OfflinePruneProgress&) { calls.fetch_add(1); };
  auto r = prune_offline(*dbm, o);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_FALSE(r->resumed);
  EXPECT_EQ(r->block_num, keep);
  ASSERT_EQ(r->roots.size(), 4u);
  EXPECT_EQ(r->roots.back().block_num, chain.head());
  EXPECT_GT(calls.load(), 0);
  expect_pruned(*dbm, e, *r);
  EXPECT_FALSE(std::filesystem::exists(prune_marker_path(dir.path())));
  EXPECT_THROW(reachable(dbm->state_trie(), *chain.root_at(10)), std::runtime_error);
  // The chain goes on over the pruned state.
  chain.add_blocks(3);
  EXPECT_NO_THROW(reachable(dbm->state_trie(), chain.head_root()));
}

TEST(OfflinePruner, DefaultsToTheNewestStateAndWorksOnOneShardAndFullMode) {
  ScratchDir dir;
  auto dbm = testing::open_manager(dir.path(), testing::small_config(kv::Backend::kLevelDB, 1));
  MiniChainOptions mo = plain_options();
  mo.archive = false;
  mo.interval = 10;
  mo.dirty_limit = 32 << 10;
  MiniChain chain(*dbm, mo);
  chain.add_blocks(65);
  Expected e;  // block 60 is the newest state on disk; 61..65 live only in memory
  e.nodes = reachable(dbm->state_trie(), *chain.root_at(60), &e.codes);
  OfflinePruneOptions o;
  o.free_space_headroom = 1 << 20;
  auto r = prune_offline(*dbm, o);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->block_num, 60u);
  ASSERT_EQ(r->roots.size(), 1u);
  for (const auto& k : e.nodes) ASSERT_TRUE(*dbm->state_trie().has(k.view()));
  EXPECT_GT(r->nodes_deleted, 0u);
}

TEST(OfflinePruner, RefusesLivePruningDatadirsAndMissingStates) {
  ScratchDir live_dir, plain_dir;
  {
    auto dbm = testing::open_manager(live_dir.path());
    MiniChain chain(*dbm, MiniChainOptions{});
    chain.add_blocks(3);
    auto r = prune_offline(*dbm, OfflinePruneOptions{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("has live pruning enabled"), std::string::npos) << r.status().message();
  }
  auto dbm = testing::open_manager(plain_dir.path());
  MiniChain chain(*dbm, plain_options());
  chain.add_blocks(3);
  OfflinePruneOptions o;
  o.block_num = 9;
  auto past = prune_offline(*dbm, o);
  ASSERT_FALSE(past);
  EXPECT_TRUE(past.status().is_not_found());
  // A state with a missing node: nothing is deleted.
  const uint64_t before = count_node_keys(dbm->state_trie());
  auto keys = reachable(dbm->state_trie(), chain.head_root());
  ASSERT_TRUE(dbm->state_trie().del(std::next(keys.begin(), static_cast<long>(keys.size() / 2))->view()));
  o.block_num = chain.head();
  auto broken = prune_offline(*dbm, o);
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.status().message().find("is incomplete, nothing was pruned"), std::string::npos)
      << broken.status().message();
  EXPECT_EQ(count_node_keys(dbm->state_trie()), before - 1);
  EXPECT_FALSE(std::filesystem::exists(prune_marker_path(plain_dir.path())));
}

TEST(OfflinePruner, InterruptedSweepResumesFromTheMarker) {
  ScratchDir dir;
  Expected e;
  uint64_t keep = 0;
  {
    auto dbm = testing::open_manager(dir.path());
    MiniChain chain(*dbm, plain_options());
    chain.add_blocks(150);
    add_strays(dbm->state_trie());
    keep = chain.head();
    e = retained_set(*dbm, chain, keep);
  }
  {
    testing::Child child({"offline", dir.path().string(), "20000"});
    ASSERT_TRUE(child.wait_for_line("sweeping", std::chrono::seconds(120)));
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    EXPECT_TRUE(child.kill9()) << "the driver finished before it could be killed";
  }
  ASSERT_TRUE(std::filesystem::exists(prune_marker_path(dir.path())));
  auto dbm = testing::open_manager(dir.path());
  OfflinePruneOptions o;
  o.block_num = 1;  // ignored: the marker's roots win
  auto r = prune_offline(*dbm, o);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->resumed);
  EXPECT_EQ(r->block_num, keep);
  ASSERT_EQ(r->roots.size(), 1u);
  for (const auto& k : e.nodes) ASSERT_TRUE(*dbm->state_trie().has(k.view())) << k.hex();
  const uint64_t stored = count_node_keys(dbm->state_trie()) - 1;
  EXPECT_LE(stored, e.nodes.size() + e.nodes.size() / 5 + 10);
  expect_strays(dbm->state_trie());
  EXPECT_FALSE(std::filesystem::exists(prune_marker_path(dir.path())));
}

TEST(PruneCommand, PrunesRefusesLiveAndLockedDatadirs) {
  ScratchDir plain_dir, live_dir;
  {
    auto dbm = testing::open_manager(plain_dir.path());
    MiniChain chain(*dbm, plain_options());
    chain.add_blocks(30);
  }
  {
    auto dbm = testing::open_manager(live_dir.path());
    MiniChain chain(*dbm, MiniChainOptions{});
    chain.add_blocks(2);
  }
  auto run = [](std::vector<std::string> args, std::string* out, std::string* err) {
    char* ob = nullptr;
    char* eb = nullptr;
    size_t on = 0, en = 0;
    FILE* o = open_memstream(&ob, &on);
    FILE* e = open_memstream(&eb, &en);
    cli::Context ctx{o, e};
    int code = cli::run_commands("kchaindata", "test", {cli::prune_command()}, args, ctx);
    std::fclose(o);
    std::fclose(e);
    *out = std::string(ob, on);
    *err = std::string(eb, en);
    std::free(ob);
    std::free(eb);
    return code;
  };
  std::string out, err;
  // The settings file is absent in these datadirs, so pass the shard count the tests use.
  EXPECT_EQ(run({"prune", "--datadir", plain_dir.path().string(), "--db.num-statetrie-shards", "4", "--block", "28",
                 "--json"},
                &out, &err),
            0)
      << err;
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["block"], 28);
  EXPECT_EQ(j["roots"].size(), 3u);
  EXPECT_GT(j["nodes_deleted"].get<uint64_t>(), 0u);

  EXPECT_EQ(run({"prune", "--datadir", live_dir.path().string(), "--db.num-statetrie-shards", "4"}, &out, &err), 3);
  EXPECT_NE(err.find("has live pruning enabled"), std::string::npos) << err;

  auto holder = testing::open_manager(plain_dir.path());
  EXPECT_EQ(run({"prune", "--datadir", plain_dir.path().string(), "--db.num-statetrie-shards", "4"}, &out, &err), 3);
  EXPECT_NE(err.find("stopped node"), std::string::npos) << err;
  EXPECT_EQ(run({"prune"}, &out, &err), 2);
}

}  // namespace
}  // namespace klay::pruning
