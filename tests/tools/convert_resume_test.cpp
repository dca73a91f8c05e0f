// kchaindata convert is resumable: the real binary is SIGKILLed mid-way, then
// rerun; it continues from its checkpoints and verifies.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/tools/chain_fixture.h"
#include "tests/tools/cli_capture.h"
#include "tools/kchaindata/commands.h"

extern char** environ;

namespace klay::kchaindata {
namespace {

namespace fs = std::filesystem;
using klay::testing::run_in_process;
using testing::build_chain;
using testing::dump_datadir;
using testing::ScratchDir;
using testing::test_config;

bool has_partial_checkpoint(const fs::path& progress_dir) {
  std::error_code ec;
  for (fs::directory_iterator it(progress_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename() != "statetrie.json") continue;
    std::ifstream in(it->path());
    std::stringstream ss;
    ss << in.rdbuf();
    if (ss.str().find("last_key") != std::string::npos) return true;
  }
  return false;
}

void resume_after_kill(const std::string& dst_type) {
  ScratchDir dir;
  const fs::path src = dir.path() / "src";
  build_chain(src, test_config(), 4, 300);
  const auto original = dump_datadir(src, false);
  const fs::path dst = dir.path() / "dst";
  const fs::path work = dir.path() / "dst.converting";

  const std::string bin = std::string(KLAY_BIN_DIR) + "/kchaindata";
  std::vector<std::string> args = {bin, "convert", "--datadir", src.string(), "--dst.datadir", dst.string(),
                                   "--dst.db.type", dst_type, "--test.chunk-keys", "16", "--test.pause-ms", "150"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&fa);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool seen = false;
  while (std::chrono::steady_clock::now() < deadline) {
    if (has_partial_checkpoint(work / "convert-progress")) {
      seen = true;
      break;
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0) << "the conversion ended before it could be interrupted";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(seen) << "no checkpoint appeared within 60 s";
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_FALSE(fs::exists(dst));
  ASSERT_TRUE(fs::exists(work));

  // A rerun with other flags is refused; the same flags resume.
  auto bad = run_in_process(run, {"convert", "--datadir", src.string(), "--dst.datadir", dst.string(),
                                  "--dst.db.type", dst_type == "rocksdb" ? "lmdb" : "rocksdb"});
  EXPECT_EQ(bad.code, 3);
  EXPECT_NE(bad.err.find("unfinished conversion"), std::string::npos) << bad.err;
  auto r = run_in_process(run, {"convert", "--datadir", src.string(), "--dst.datadir", dst.string(),
                                "--dst.db.type", dst_type, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["resumed"].get<bool>());
  EXPECT_LT(j["keys_loaded_this_run"].get<uint64_t>(), j["keys"].get<uint64_t>());
  EXPECT_FALSE(fs::exists(work));
  EXPECT_EQ(dump_datadir(dst, false), original);
  EXPECT_EQ(run_in_process(run, {"verify", "--datadir", dst.string()}).code, 0);
}

TEST(ConvertResume, RocksDbAfterSigkill) { resume_after_kill("rocksdb"); }
TEST(ConvertResume, LevelDbAfterSigkill) { resume_after_kill("leveldb"); }

}  // namespace
}  // namespace klay::kchaindata
