// kchaindata inspect over a chain written through rawdb and the state layer.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/tools/chain_fixture.h"
#include "tests/tools/cli_capture.h"
#include "tools/kchaindata/commands.h"

namespace klay::kchaindata {
namespace {

using klay::testing::run_in_process;
using testing::build_chain;
using testing::ScratchDir;
using testing::test_config;

uint64_t count_keys(const std::filesystem::path& datadir, chaindata::EntryType type, size_t key_len) {
  chaindata::Config c = test_config();
  c.read_only = true;
  auto dbm = chaindata::DBManager::open(datadir, c);
  EXPECT_TRUE(dbm) << dbm.status().message();
  uint64_t n = 0;
  auto it = (*dbm)->db(type).new_iterator();
  for (; it->valid(); it->next()) n += it->key().size() == key_len;
  return n;
}

TEST(InspectCommand, CountsEveryCategoryAndBytesMatchDisk) {
  ScratchDir dir;
  const auto chain = build_chain(dir.path(), test_config(), 20, 1000);
  const uint64_t trie_nodes = count_keys(dir.path(), chaindata::EntryType::kStateTrie, 32);
  ASSERT_GT(trie_nodes, 20000u);

  const auto compact = run_in_process(run, {"compact", "--datadir", dir.path().string()});
  ASSERT_EQ(compact.code, 0) << compact.err;

  const auto r = run_in_process(run, {"inspect", "--datadir", dir.path().string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& cats = j["categories"];
  auto count = [&](const char* name) { return cats[name]["count"].get<uint64_t>(); };
  EXPECT_EQ(count("header"), chain.blocks);
  EXPECT_EQ(count("canonical_hash"), chain.blocks);
  EXPECT_EQ(count("header_number"), chain.blocks);
  EXPECT_EQ(count("total_score"), chain.blocks);
  EXPECT_EQ(count("body"), chain.blocks);
  EXPECT_EQ(count("receipts"), chain.blocks);
  EXPECT_EQ(count("tx_lookup"), chain.txns);
  EXPECT_EQ(count("trie_node"), trie_nodes);
  EXPECT_EQ(count("ext_trie_node"), 0u);
  EXPECT_EQ(count("code"), chain.codes);
  EXPECT_EQ(count("chain_config"), 1u);
  EXPECT_EQ(count("misc_singleton"), 4u);  // LastHeader, LastBlock, LastFast, DatabaseVersion
  EXPECT_EQ(count("unknown"), 0u);
  EXPECT_EQ(j["unknown"]["examples"].size(), 0u);

  // Every database is listed with its disk size, and the per-category bytes
  // add up to the databases' logical bytes.
  uint64_t logical = 0;
  for (const auto& [name, c] : cats.items()) logical += c["bytes"].get<uint64_t>();
  EXPECT_EQ(logical, j["total"]["logical_bytes"].get<uint64_t>());
  const auto disk = j["total"]["disk_bytes"].get<double>();
  ASSERT_GT(disk, 0);
  EXPECT_NEAR(logical / disk, 1.0, 0.10) << "logical " << logical << " disk " << disk;
  EXPECT_GE(j["databases"].size(), 8u);
}

TEST(InspectCommand, ReportsUnknownKeysWithExamplesAndTextOutput) {
  ScratchDir dir;
  build_chain(dir.path(), test_config(), 2, 10);
  {
    auto dbm = chaindata::DBManager::open(dir.path(), test_config());
    ASSERT_TRUE(dbm);
    for (int i = 0; i < 7; ++i) {
      ASSERT_TRUE((*dbm)->misc().put(as_view("zz-unknown-" + std::to_string(i)), as_view("v")));
    }
  }
  const auto r = run_in_process(run, {"inspect", "--datadir", dir.path().string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["unknown"]["count"], 7);
  ASSERT_EQ(j["unknown"]["examples"].size(), 5u);
  EXPECT_EQ(j["unknown"]["examples"][0]["key"], "0x" + to_hex(as_view(std::string("zz-unknown-0"))));
  const auto text = run_in_process(run, {"inspect", "--datadir", dir.path().string()});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("trie_node"), std::string::npos);
  EXPECT_NE(text.out.find("keys matching no category: 7"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace klay::kchaindata
