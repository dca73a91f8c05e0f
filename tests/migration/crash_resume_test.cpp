// Crash and resume: the offline migration runs in a child process
// (migrate_driver) that is SIGKILLed at random moments; a rerun must finish
// it, the result must be complete and clean, and a run killed late must
// reuse the checkpoint instead of copying everything again.
#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "engine/rawdb/accessors_meta.h"
#include "tests/migration/migration_test_support.h"

namespace klay::migration {
namespace {

namespace fs = std::filesystem;
using testing::ChainShape;
using testing::ScratchDir;
using testing::TestChain;

const char* kDriver = KLAY_BIN_DIR "/migrate_driver";

pid_t spawn_driver(const fs::path& datadir, long throttle_us, int out_fd) {
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out_fd, STDOUT_FILENO);
    const std::string dd = datadir.string(), th = std::to_string(throttle_us);
    execl(kDriver, kDriver, "--datadir", dd.c_str(), "--backend", "leveldb", "--shards", "4", "--threads", "2",
          "--throttle-us", th.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// Runs the driver to completion and returns its JSON report.
nlohmann::json run_driver(const fs::path& datadir) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  const pid_t pid = spawn_driver(datadir, 0, fds[1]);
  close(fds[1]);
  std::string out;
  char buf[512];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("migrate_driver failed (status " + std::to_string(status) + ")");
  }
  const size_t json_at = out.find('{');  // after the "started ..." line, if any
  if (json_at == std::string::npos) return nlohmann::json::parse(out);  // throws: no report
  return nlohmann::json::parse(out.substr(json_at));
}

class CrashResumeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmpl_ = new ScratchDir();
    auto dbm = testing::open_manager(tmpl_->path(), testing::small_config(kv::Backend::kLevelDB, 4));
    TestChain chain(*dbm, ChainShape{});
    chain.add_blocks(10);
    root_ = new trie::NodeKey(chain.roots.back());
    Status ok;
    const auto keys = testing::reachable_keys(dbm->state_trie(), *root_, &ok);
    if (!ok) throw std::runtime_error(ok.message());
    expected_nodes_ = 0;
    for (const auto& k : keys) expected_nodes_ += (k.size() == 32 || k.size() == 39);
    if (!dbm->close()) throw std::runtime_error("close");
  }
  static void TearDownTestSuite() {
    delete tmpl_;
    delete root_;
  }

  static void copy_template(const fs::path& to) {
    fs::copy(tmpl_->path(), to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }

  // The migrated datadir holds exactly the state at the head, and no leftovers.
  static void expect_migrated(const fs::path& datadir) {
    auto dbm = testing::open_manager(datadir, testing::small_config(kv::Backend::kLevelDB, 4));
    Status ok;
    testing::reachable_keys(dbm->state_trie(), *root_, &ok);
    EXPECT_TRUE(ok) << ok.message();
    const auto counts = testing::count_keys(dbm->state_trie());
    EXPECT_EQ(counts.nodes, expected_nodes_);
    EXPECT_EQ(counts.records, 0u);
    EXPECT_EQ(*rawdb::read_migration_status(*dbm), 0u);
    EXPECT_EQ(*rawdb::read_migration_old_db_path(*dbm), "");
    EXPECT_FALSE(fs::exists(dbm->dir_path("statetrie")));
  }

  static ScratchDir* tmpl_;
  static trie::NodeKey* root_;
  static size_t expected_nodes_;
};

ScratchDir* CrashResumeTest::tmpl_ = nullptr;
trie::NodeKey* CrashResumeTest::root_ = nullptr;
size_t CrashResumeTest::expected_nodes_ = 0;

TEST_F(CrashResumeTest, KilledAtRandomMomentsAndRerun) {
  ASSERT_TRUE(fs::exists(kDriver)) << kDriver;
  ScratchDir work;
  // Baseline: an uninterrupted run.
  const fs::path base = work.path() / "base";
  copy_template(base);
  const auto full = run_driver(base);
  const uint64_t full_read = full["nodes_read"].get<uint64_t>();
  ASSERT_GT(full_read, 1000u);
  expect_migrated(base);

  // Every fourth trial is killed at a random moment after the spawn (maybe
  // before the migration is even recorded); the others at a random moment
  // after the driver said the copy starts, so most land inside the copy.
  std::mt19937 rng(20261121);
  std::uniform_int_distribution<int> spawn_delay_ms(20, 500);
  std::uniform_int_distribution<int> copy_delay_ms(0, 600);
  constexpr int kTrials = 20;
  int resumed = 0, resumed_cheaper = 0, after_start = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const fs::path dd = work.path() / ("t" + std::to_string(trial));
    copy_template(dd);
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t pid = spawn_driver(dd, /*throttle_us=*/8000, fds[1]);
    close(fds[1]);
    if (trial % 4 == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(spawn_delay_ms(rng)));
    } else {
      char c = 0;
      while (read(fds[0], &c, 1) == 1 && c != '\n') {
      }
      ++after_start;
      std::this_thread::sleep_for(std::chrono::milliseconds(copy_delay_ms(rng)));
    }
    kill(pid, SIGKILL);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    const auto report = run_driver(dd);
    if (report["resumed"].get<bool>()) {
      ++resumed;
      if (report["nodes_read"].get<uint64_t>() < full_read) ++resumed_cheaper;
    }
    expect_migrated(dd);
    fs::remove_all(dd);
  }
  std::printf("crash trials: %d, resumed %d, resumed with fewer reads than a full copy (%llu) %d\n", kTrials,
              resumed, static_cast<unsigned long long>(full_read), resumed_cheaper);
  EXPECT_GE(resumed, after_start / 2) << "most kills after the start should land inside the copy";
  EXPECT_GE(resumed_cheaper, 3) << "runs killed late must reuse the checkpoint";
}

}  // namespace
}  // namespace klay::migration
