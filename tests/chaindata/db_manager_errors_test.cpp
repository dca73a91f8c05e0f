// DBManager's user-facing errors and the datadir lock across processes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "engine/chaindata/datadir_lock.h"
#include "engine/chaindata/db_manager.h"
#include "tests/chaindata/chaindata_test_support.h"

namespace klay::chaindata {
namespace {

namespace fs = std::filesystem;

Config config_for(kv::Backend backend) {
  Config c;
  c.backend = backend;
  c.cache_mib = 64;
  return c;
}

// A forked child that holds the datadir lock until told to exit.
class LockHolder {
 public:
  explicit LockHolder(const fs::path& datadir) {
    int ready[2], quit[2];
    if (pipe(ready) != 0 || pipe(quit) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::close(ready[0]);
      ::close(quit[1]);
      fs::create_directories(datadir / "klay");
      auto lock = DatadirLock::acquire(datadir / "klay" / "LOCK", datadir);
      const char ok = lock ? 'y' : 'n';
      if (write(ready[1], &ok, 1) != 1) _exit(2);
      char c;
      (void)!read(quit[0], &c, 1);  // returns on a byte or when the parent dies
      _exit(lock ? 0 : 1);
    }
    ::close(ready[1]);
    ::close(quit[0]);
    quit_fd_ = quit[1];
    char ok = 0;
    if (read(ready[0], &ok, 1) != 1 || ok != 'y') throw std::runtime_error("child could not take the lock");
    ::close(ready[0]);
  }
  ~LockHolder() {
    if (pid_ > 0) stop();
  }
  pid_t pid() const { return pid_; }
  // Lets the child exit normally; returns its exit status.
  int stop() {
    const char c = 'q';
    (void)!write(quit_fd_, &c, 1);
    return reap();
  }
  // Kills the child without letting it clean up (a crashed node).
  void kill_hard() {
    ::kill(pid_, SIGKILL);
    reap();
  }

 private:
  int reap() {
    int status = 0;
    waitpid(pid_, &status, 0);
    ::close(quit_fd_);
    pid_ = -1;
    return status;
  }
  pid_t pid_ = -1;
  int quit_fd_ = -1;
};

class DatadirLockTest : public ::testing::TestWithParam<kv::Backend> {
 protected:
  testing::ScratchDir dir_;
};

TEST_P(DatadirLockTest, LockHeldByAnotherProcessMakesOpenBusy) {
  LockHolder child(dir_.path());
  auto m = DBManager::open(dir_.path(), config_for(GetParam()));
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.status().code(), Status::Code::kBusy);
  EXPECT_EQ(m.status().message(), "datadir " + dir_.path().string() + " is in use by another process (pid " +
                                      std::to_string(child.pid()) + "); stop it first");
  EXPECT_EQ(child.stop(), 0);
  auto after = DBManager::open(dir_.path(), config_for(GetParam()));
  EXPECT_TRUE(after.has_value()) << after.status().to_string();
}

TEST_P(DatadirLockTest, StaleLockFileOfADeadProcessDoesNotBlock) {
  LockHolder child(dir_.path());
  const pid_t dead = child.pid();
  child.kill_hard();
  std::ifstream lock_file(dir_.path() / "klay" / "LOCK");
  long recorded = 0;
  lock_file >> recorded;
  EXPECT_EQ(recorded, dead) << "the dead holder's pid is still in the file";
  auto m = DBManager::open(dir_.path(), config_for(GetParam()));
  ASSERT_TRUE(m.has_value()) << m.status().to_string();
  std::ifstream reread(dir_.path() / "klay" / "LOCK");
  reread >> recorded;
  EXPECT_EQ(recorded, getpid());
}

INSTANTIATE_TEST_SUITE_P(Backends, DatadirLockTest, ::testing::ValuesIn(testing::all_backends()),
                         testing::backend_param_name);

TEST(DBManagerErrors, DatadirThatIsAFile) {
  testing::ScratchDir dir;
  const fs::path file = dir.path() / "not-a-dir";
  std::ofstream(file) << "x";
  auto m = DBManager::open(file, config_for(kv::Backend::kLevelDB));
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(m.status().message(), "datadir " + file.string() + " is a file, not a directory");
}

TEST(DBManagerErrors, UnwritableDatadir) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  testing::ScratchDir dir;
  const fs::path locked = dir.path() / "ro";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  auto m = DBManager::open(locked, config_for(kv::Backend::kLevelDB));
  fs::permissions(locked, fs::perms::owner_all);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.status().code(), Status::Code::kIOError);
  EXPECT_NE(m.status().message().find(locked.string()), std::string::npos) << m.status().message();
}

TEST(DBManagerErrors, DatadirThatCannotBeCreated) {
  testing::ScratchDir dir;
  const fs::path file = dir.path() / "file";
  std::ofstream(file) << "x";
  const fs::path datadir = file / "node";  // a directory below a regular file: ENOTDIR even for root
  auto m = DBManager::open(datadir, config_for(kv::Backend::kLevelDB));
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.status().code(), Status::Code::kIOError);
  EXPECT_EQ(m.status().message().rfind("cannot create " + (datadir / "klay").string() + ": ", 0), 0u)
      << m.status().message();
}

TEST(DBManagerErrors, InvalidShardCountNamesTheFlag) {
  testing::ScratchDir dir;
  Config c = config_for(kv::Backend::kMemory);
  c.num_statetrie_shards = 6;
  auto m = DBManager::open(dir.path(), c);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(m.status().message(), "--db.num-statetrie-shards must be a power of two between 1 and 256, got 6");
  EXPECT_FALSE(fs::exists(dir.path() / "klay")) << "nothing is created for an invalid config";
}

TEST(DBManagerErrors, WrongBackendOnDiskNamesTheEntryType) {
  testing::ScratchDir dir;
  { ASSERT_TRUE(DBManager::open(dir.path(), config_for(kv::Backend::kLevelDB)).has_value()); }
  auto m = DBManager::open(dir.path(), config_for(kv::Backend::kRocksDB));
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(m.status().message().rfind("misc database: ", 0), 0u) << m.status().message();
  EXPECT_NE(m.status().message().find("LevelDB"), std::string::npos) << m.status().message();
  // The failure released the lock.
  EXPECT_TRUE(DBManager::open(dir.path(), config_for(kv::Backend::kLevelDB)).has_value());
}

TEST(DBManagerErrors, ReadOnlyOpenOfAMissingDatadir) {
  testing::ScratchDir dir;
  Config c = config_for(kv::Backend::kLevelDB);
  c.read_only = true;
  auto m = DBManager::open(dir.path() / "nothing", c);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(m.status().message().find("holds no chaindata"), std::string::npos) << m.status().message();
}

TEST(DBManagerErrors, ReadOnlyOpenReadsAndRefusesWrites) {
  testing::ScratchDir dir;
  {
    auto m = DBManager::open(dir.path(), config_for(kv::Backend::kRocksDB));
    ASSERT_TRUE(m.has_value()) << m.status().to_string();
    ASSERT_TRUE((*m)->db(EntryType::kHeader).put(to_bytes("h"), to_bytes("1")));
  }
  Config c = config_for(kv::Backend::kRocksDB);
  c.read_only = true;
  auto m = DBManager::open(dir.path(), c);
  ASSERT_TRUE(m.has_value()) << m.status().to_string();
  Bytes v;
  EXPECT_TRUE((*m)->db(EntryType::kHeader).get(to_bytes("h"), &v));
  EXPECT_FALSE((*m)->db(EntryType::kHeader).put(to_bytes("h"), to_bytes("2")));
  EXPECT_EQ((*m)->open_entry(EntryType::kStateTrieMigration, "statetrie_migrated_1").code(),
            Status::Code::kNotSupported);
}

}  // namespace
}  // namespace klay::chaindata
