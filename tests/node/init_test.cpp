// End-to-end tests of `knode init` through the real binary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "engine/chaindata/db_manager.h"
#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/accessors_meta.h"
#include "engine/rawdb/datadir_settings.h"
#include "tests/rawdb/rawdb_test_support.h"

namespace klay::node {
namespace {

namespace fs = std::filesystem;
using rawdb::testing::ScratchDir;

const std::string kCypressHash = "0xc72e5293c3c3ba38ed8ae910f780e4caaa9fb95e79784f7ab74c3c262ea7137e";
const std::string kSmallHash = "0xd9d53ffcdd3676550a5f549d37ef48b42a104eae25da5b942ca30960e5a5e5e8";

std::string cypress() { return std::string(KLAY_SHARED_FIXTURES_DIR) + "/cypress-genesis.json"; }
std::string small_genesis() { return std::string(KLAY_NODE_TEST_DATA_DIR) + "/small-genesis.json"; }

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct RunResult {
  int code = -1;
  std::string out, err;
};

class KnodeTest : public ::testing::Test {
 protected:
  RunResult knode(const std::string& args) {
    const fs::path out = scratch_.path() / "stdout", err = scratch_.path() / "stderr";
    const std::string cmd = std::string(KLAY_BIN_DIR) + "/knode " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }
  std::string init_args(const std::string& genesis, const std::string& extra = "") {
    return "init --datadir " + datadir().string() + " --genesis " + genesis + (extra.empty() ? "" : " " + extra);
  }
  fs::path datadir() const { return scratch_.path() / "data"; }

  ScratchDir scratch_;
};

TEST_F(KnodeTest, NoCommandPrintsHelpAndExits2) {
  RunResult r = knode("");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("init"), std::string::npos) << r.out;
  RunResult h = knode("--help");
  EXPECT_EQ(h.code, 0);
  EXPECT_NE(h.out.find("init"), std::string::npos);
  EXPECT_EQ(knode("frobnicate").code, 2);
  EXPECT_EQ(knode("init --genesis " + cypress()).code, 2) << "--datadir is required";
}

struct Layout {
  std::string backend;
  bool single;
  uint32_t shards;
};

class KnodeCypressTest : public KnodeTest, public ::testing::WithParamInterface<Layout> {};

TEST_P(KnodeCypressTest, PrintsTheCypressGenesisHashAndRecordsSettings) {
  const Layout l = GetParam();
  std::string flags = "--db.type " + l.backend;
  flags += l.single ? " --db.single" : " --db.num-statetrie-shards " + std::to_string(l.shards);
  RunResult r = knode(init_args(cypress(), flags));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kCypressHash + "\n");
  EXPECT_NE(r.err.find("Successfully wrote genesis state"), std::string::npos) << r.err;

  // The recorded settings open the datadir without flags.
  auto settings = rawdb::load_datadir_settings(datadir());
  ASSERT_TRUE(settings && settings->has_value());
  EXPECT_EQ(std::string(kv::backend_name((*settings)->backend)), l.backend);
  EXPECT_EQ((*settings)->single_db, l.single);
  if (!l.single) {
    EXPECT_EQ((*settings)->num_statetrie_shards, l.shards);
  }
  {
    auto dbm = chaindata::DBManager::open(datadir(), (*settings)->apply(rawdb::testing::small_config(kv::Backend::kMemory)));
    ASSERT_TRUE(dbm) << dbm.status().message();
    auto head = rawdb::read_head(**dbm, rawdb::Head::kBlock);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->hex(), kCypressHash);
  }

  // Re-running with the same genesis (flags now optional) prints the same hash.
  RunResult again = knode(init_args(cypress()));
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, kCypressHash + "\n");
}

INSTANTIATE_TEST_SUITE_P(Layouts, KnodeCypressTest,
                         ::testing::Values(Layout{"leveldb", false, 4}, Layout{"leveldb", true, 1},
                                           Layout{"rocksdb", false, 4}, Layout{"rocksdb", true, 1},
                                           Layout{"lmdb", false, 4}, Layout{"lmdb", true, 1}),
                         [](const ::testing::TestParamInfo<Layout>& i) {
                           return i.param.backend + (i.param.single ? "_single" : "_shards4");
                         });

TEST_F(KnodeTest, AnotherGenesisIsRefusedNamingBothHashes) {
  ASSERT_EQ(knode(init_args(cypress())).code, 0);
  RunResult r = knode(init_args(small_genesis()));
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("incompatible genesis"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(kCypressHash), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(kSmallHash), std::string::npos) << r.err;
}

TEST_F(KnodeTest, SmallGenesisWithContractStorage) {
  RunResult r = knode(init_args(small_genesis(), "--db.type leveldb --db.num-statetrie-shards 2"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, kSmallHash + "\n");
}

TEST_F(KnodeTest, LockedDatadirIsRefused) {
  ASSERT_EQ(knode(init_args(cypress())).code, 0);
  chaindata::Config c = rawdb::testing::small_config(kv::Backend::kLevelDB, 4);
  auto holder = chaindata::DBManager::open(datadir(), c);
  ASSERT_TRUE(holder) << holder.status().message();
  RunResult r = knode(init_args(cypress()));
  EXPECT_EQ(r.code, 3);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("in use"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one sentence: " << r.err;
}

TEST_F(KnodeTest, GenesisFileProblemsAreOneSentence) {
  RunResult missing = knode(init_args((scratch_.path() / "nope.json").string()));
  EXPECT_EQ(missing.code, 3);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(datadir())) << "nothing is created for a bad genesis";

  std::ofstream(scratch_.path() / "bad.json") << "{ \"config\": ";
  RunResult bad = knode(init_args((scratch_.path() / "bad.json").string()));
  EXPECT_EQ(bad.code, 3);
  EXPECT_NE(bad.err.find("invalid genesis file"), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
}

TEST_F(KnodeTest, WrongBackendIsRefused) {
  ASSERT_EQ(knode(init_args(cypress(), "--db.type leveldb")).code, 0);
  RunResult flag = knode(init_args(cypress(), "--db.type rocksdb"));
  EXPECT_EQ(flag.code, 3);
  EXPECT_NE(flag.err.find("leveldb"), std::string::npos) << flag.err;
  // Without the settings file the backend on disk still decides.
  fs::remove(rawdb::datadir_settings_path(datadir()));
  RunResult disk = knode(init_args(cypress(), "--db.type rocksdb"));
  EXPECT_EQ(disk.code, 3);
  EXPECT_NE(disk.err.find("LevelDB"), std::string::npos) << disk.err;
  RunResult shards = knode(init_args(cypress(), "--db.num-statetrie-shards 8"));
  EXPECT_NE(shards.code, 0);
  RunResult bad_type = knode(init_args(cypress(), "--db.type badger"));
  EXPECT_EQ(bad_type.code, 2);
}

TEST_F(KnodeTest, LivePruningIsRecorded) {
  RunResult r = knode(init_args(cypress(), "--state.live-pruning --state.live-pruning-retention 1000"));
  ASSERT_EQ(r.code, 0) << r.err;
  auto settings = rawdb::load_datadir_settings(datadir());
  ASSERT_TRUE(settings && settings->has_value());
  EXPECT_TRUE((*settings)->live_pruning);
  EXPECT_EQ((*settings)->live_pruning_retention, 1000u);
  {
    auto dbm = chaindata::DBManager::open(datadir(), (*settings)->apply(rawdb::testing::small_config(kv::Backend::kLevelDB)));
    ASSERT_TRUE(dbm);
    EXPECT_TRUE(*rawdb::read_pruning_enabled(**dbm));
  }
  RunResult off = knode(init_args(cypress(), "--state.live-pruning=false"));
  EXPECT_EQ(off.code, 3);
  EXPECT_NE(off.err.find("--state.live-pruning"), std::string::npos) << off.err;
}

}  // namespace
}  // namespace klay::node
