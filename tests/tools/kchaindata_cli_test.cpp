// kchaindata's small commands and its refusals: every --help, a locked
// datadir, a wrong --db.type, get/scan/dump, trie proof, block show, compact.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/schema.h"
#include "tests/tools/chain_fixture.h"
#include "tests/tools/cli_capture.h"
#include "tools/kchaindata/commands.h"

namespace klay::kchaindata {
namespace {

using klay::testing::run_binary;
using klay::testing::run_in_process;
using testing::build_chain;
using testing::ScratchDir;
using testing::test_config;

class KchaindataCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir();
    chain_ = build_chain(dir_->path(), test_config(), 3, 50);
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string datadir() { return dir_->path().string(); }
  static ScratchDir* dir_;
  static testing::ChainSummary chain_;
};
ScratchDir* KchaindataCli::dir_ = nullptr;
testing::ChainSummary KchaindataCli::chain_;

TEST_F(KchaindataCli, EveryCommandHasHelp) {
  for (const auto& c : all_commands()) {
    std::vector<std::string> argv;
    std::istringstream words(c.name);
    for (std::string w; words >> w;) argv.push_back(w);
    argv.push_back("--help");
    const auto r = run_in_process(run, argv);
    EXPECT_EQ(r.code, 0) << c.name << ": " << r.err;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << c.name;
  }
  const auto list = run_binary(std::string(KLAY_BIN_DIR) + "/kchaindata --help");
  EXPECT_EQ(list.code, 0);
  for (const char* name : {"inspect", "verify", "compact", "convert", "get", "scan", "dump", "trie proof", "block show"}) {
    EXPECT_NE(list.out.find(name), std::string::npos) << name;
  }
  EXPECT_EQ(run_in_process(run, {"convert", "--help"}).out.find("test.pause-ms"), std::string::npos);
}

TEST_F(KchaindataCli, LockedDatadirIsRefusedClearly) {
  auto holder = chaindata::DBManager::open(datadir(), test_config());
  ASSERT_TRUE(holder);
  for (std::vector<std::string> cmd : {std::vector<std::string>{"inspect"}, {"verify"}, {"compact"}, {"block", "show", "1"},
                                       {"scan", "--db", "header"}}) {
    cmd.push_back("--datadir");
    cmd.push_back(datadir());
    const auto r = run_in_process(run, cmd);
    EXPECT_EQ(r.code, 3) << cmd[0];
    EXPECT_NE(r.err.find("stopped node"), std::string::npos) << r.err;
  }
  // Another process sees the pid of the holder.
  const auto r = run_binary(std::string(KLAY_BIN_DIR) + "/kchaindata inspect --datadir " + datadir());
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.out.find("in use by another process (pid " + std::to_string(getpid()) + ")"), std::string::npos) << r.out;
}

TEST_F(KchaindataCli, WrongBackendOrPathIsOneSentence) {
  auto r = run_in_process(run, {"inspect", "--datadir", datadir(), "--db.type", "rocksdb"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("--db.type"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  r = run_in_process(run, {"inspect", "--datadir", datadir(), "--db.type", "nosuchdb"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("unknown database type"), std::string::npos) << r.err;
  r = run_in_process(run, {"inspect", "--datadir", datadir(), "--db.single"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("--db.single"), std::string::npos) << r.err;
  r = run_in_process(run, {"inspect", "--datadir", "/nonexistent/datadir"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  EXPECT_EQ(run_in_process(run, {"inspect"}).code, 2);
}

TEST_F(KchaindataCli, GetScanDump) {
  auto dbm = chaindata::DBManager::open(datadir(), [] { auto c = test_config(); c.read_only = true; return c; }());
  ASSERT_TRUE(dbm);
  const Hash h1 = *rawdb::read_canonical_hash(**dbm, 1);
  const Bytes header = *rawdb::read_header_rlp(**dbm, 1, h1);
  dbm->reset();
  const auto key = "0x" + to_hex(rawdb::header_key(1, h1));
  auto r = run_in_process(run, {"get", "--datadir", datadir(), "--db", "header", key});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "0x" + to_hex(header) + "\n");
  r = run_in_process(run, {"get", "--datadir", datadir(), "--db", "header", "0x6800"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("not in the header database"), std::string::npos);
  r = run_in_process(run, {"get", "--datadir", datadir(), "--db", "nodb", key});
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(run_in_process(run, {"get", "--datadir", datadir(), "--db", "header", "0xzz"}).code, 2);

  r = run_in_process(run, {"scan", "--datadir", datadir(), "--db", "header", "--prefix", "48", "--limit", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);
  EXPECT_EQ(r.out.rfind("0x48", 0), 0u) << r.out;
  r = run_in_process(run, {"scan", "--datadir", datadir(), "--db", "header", "--prefix", "48", "--limit", "100"});
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), static_cast<long>(chain_.blocks));
  r = run_in_process(run, {"dump", "--datadir", datadir(), "--db", "misc"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("DatabaseVersion => "), std::string::npos) << r.out;
  r = run_in_process(run, {"dump", "--datadir", datadir(), "--db", "txlookup", "--hex"});
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), static_cast<long>(chain_.txns));
}

TEST_F(KchaindataCli, TrieProofAndBlockShow) {
  const std::string addr = DevChain::contract_address().hex();
  auto r = run_in_process(run, {"trie", "proof", "--datadir", datadir(), "--address", addr, "--slot", "0x0", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["account_proof_valid"].get<bool>());
  EXPECT_TRUE(j["storage_proof_valid"].get<bool>());
  EXPECT_EQ(j["value"], "0x0000000000000000000000000000000000000000000000000000000000000003");  // block 3 wrote 3
  r = run_in_process(run, {"trie", "proof", "--datadir", datadir(), "--address", addr, "--slot", "0x0", "--block",
                           "1", "--json"});
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["value"], "0x0000000000000000000000000000000000000000000000000000000000000001");
  r = run_in_process(run, {"trie", "proof", "--datadir", datadir(), "--address", "0x1234"});
  EXPECT_EQ(r.code, 2);

  r = run_in_process(run, {"block", "show", "2", "--datadir", datadir(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["number"], 2);
  EXPECT_EQ(j["transactionCount"], 3);
  EXPECT_EQ(j["transactions"].size(), 3u);
  r = run_in_process(run, {"block", "show", "99", "--datadir", datadir()});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("not in the canonical chain"), std::string::npos);
}

TEST(KchaindataCompact, Range) {
  ScratchDir dir;
  build_chain(dir.path() / "l", test_config(), 1, 10);
  auto r = run_in_process(run, {"compact", "--datadir", (dir.path() / "l").string(), "--db", "statetrie", "--range",
                                "00", "80"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("statetrie"), std::string::npos);
  EXPECT_EQ(run_in_process(run, {"compact", "--datadir", (dir.path() / "l").string(), "--range", "80", "00"}).code, 2);
}

// LMDB compacts by copying each environment and replacing data.mdb; the chain
// must read identically and verify afterwards.
TEST(KchaindataCompact, LmdbCopyCompaction) {
  ScratchDir dir;
  const std::string d = (dir.path() / "m").string();
  build_chain(dir.path() / "m", test_config(kv::Backend::kLMDB), 1, 10);
  const auto before = run_in_process(run, {"dump", "--datadir", d, "--db", "statetrie", "--hex"});
  ASSERT_EQ(before.code, 0) << before.err;
  auto r = run_in_process(run, {"compact", "--datadir", d});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("LMDB compacts by copying"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("bytes on disk"), std::string::npos) << r.out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path() / "m"))
    EXPECT_EQ(e.path().string().find(".compacting"), std::string::npos) << e.path();
  const auto after = run_in_process(run, {"dump", "--datadir", d, "--db", "statetrie", "--hex"});
  ASSERT_EQ(after.code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
  r = run_in_process(run, {"verify", "--datadir", d, "--level", "all"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(run_in_process(run, {"compact", "--datadir", d, "--range", "00", "80"}).code, 2);
}

}  // namespace
}  // namespace klay::kchaindata
