// `knode run`, `knode import` and `knode export` user errors through the
// real binary: one sentence and a non-zero exit, nothing started. (The
// running node is tested end to end in tests/e2e.)
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "node/dev_chain.h"
#include "tests/rawdb/rawdb_test_support.h"

namespace klay::node {
namespace {

namespace fs = std::filesystem;

struct RunResult {
  int code = -1;
  std::string out, err;
};

class RunCommandTest : public ::testing::Test {
 protected:
  RunResult knode(const std::string& args) {
    const fs::path out = dir_.path() / "stdout", err = dir_.path() / "stderr";
    const std::string cmd = std::string(KLAY_BIN_DIR) + "/knode " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream o(out), e(err);
    std::stringstream so, se;
    so << o.rdbuf();
    se << e.rdbuf();
    r.out = so.str();
    r.err = se.str();
    return r;
  }
  rawdb::testing::ScratchDir dir_;
};

TEST_F(RunCommandTest, UsageErrorsExit2WithOneSentence) {
  for (const std::string args : {"run", "run --dev --dev.period 0", "run --dev --dev.period abc",
                                 "run --datadir x --dev.period 1", "run --datadir x --gcmode sometimes",
                                 "run --datadir x --rpc.port 70000", "run --datadir x --log.level loud",
                                 "run --datadir x extra", "import --datadir x", "import a.rlp",
                                 "export --datadir x", "export --datadir x f 5 2", "export --datadir x f five"}) {
    RunResult r = knode(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_FALSE(r.err.empty()) << args;
    EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 2) << args << "\n" << r.err;
  }
}

TEST_F(RunCommandTest, UninitialisedDatadirIsRefused) {
  fs::create_directories(dir_.path() / "empty");
  RunResult r = knode("run --datadir " + (dir_.path() / "empty").string() + " --rpc.port 0 --metrics.port -1");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("is not initialised"), std::string::npos) << r.err;
  RunResult missing = knode("run --datadir " + (dir_.path() / "nope").string());
  EXPECT_EQ(missing.code, 3);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
}

TEST_F(RunCommandTest, DevRefusesAChainItDidNotCreate) {
  const fs::path d = dir_.path() / "plain";
  RunResult init = knode("init --datadir " + d.string() + " --genesis " + std::string(KLAY_NODE_TEST_DATA_DIR) +
                         "/small-genesis.json");
  ASSERT_EQ(init.code, 0) << init.err;
  RunResult r = knode("run --dev --datadir " + d.string() + " --rpc.port 0 --metrics.port -1");
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("did not create"), std::string::npos) << r.err;
}

TEST_F(RunCommandTest, DevKeyFilesArePrivateAndRoundTrip) {
  const fs::path d = dir_.path() / "dev";
  auto keys = create_dev_files(d);
  ASSERT_TRUE(keys) << keys.status().message();
  for (const fs::path& p : {dev_nodekey_path(d), dev_account_key_path(d)}) {
    EXPECT_EQ(fs::status(p).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write) << p;
  }
  auto loaded = load_dev_keys(d);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->account.address(), keys->account.address());
  EXPECT_EQ(loaded->validator.address(), keys->validator.address());
  EXPECT_FALSE(create_dev_files(d)) << "existing keys are never overwritten";
  std::ofstream(dev_account_key_path(d)) << "not a key\n";
  auto bad = load_dev_keys(d);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("dev-account.key"), std::string::npos);
}

}  // namespace
}  // namespace klay::node
