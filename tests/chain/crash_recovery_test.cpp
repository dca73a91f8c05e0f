// Crash recovery: a child process produces blocks (gcmode full, state on disk
// every 8 blocks) and reports each inserted block through a pipe; the parent
// kills it with SIGKILL at random moments, reopens the datadir and checks that
// every reported block is still canonical and its state reachable.
//
// The child is this test binary re-executed with a gtest filter selecting
// CrashChild.ProduceUntilKilled (fork alone would inherit the parent's TBB
// threads in an unusable state).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>

#include "tests/chain/chain_test_support.h"

namespace klay::chain {
namespace {

constexpr const char* kDirEnv = "KLAY_CHAIN_CRASH_DIR";
constexpr const char* kFdEnv = "KLAY_CHAIN_CRASH_FD";
constexpr size_t kTxnsPerBlock = 3;

BlockChainOptions crash_options() {
  BlockChainOptions o;
  o.gc_mode = GcMode::kFull;
  o.state_block_interval = 8;
  o.tries_in_memory = 1024;
  return o;
}

std::vector<PrivateKey> crash_senders() {
  std::vector<PrivateKey> keys;
  for (int i = 0; i < 3; ++i) keys.push_back(testing::key_from_seed("crash-sender-" + std::to_string(i)));
  return keys;
}

std::string crash_genesis() {
  std::vector<Address> funded;
  for (const auto& k : crash_senders()) funded.push_back(k.address());
  return testing::dev_genesis_json(testing::key_from_seed("validator").address(), funded);
}

TEST(CrashChild, ProduceUntilKilled) {
  const char* dir = std::getenv(kDirEnv);
  const char* fd_text = std::getenv(kFdEnv);
  if (dir == nullptr || fd_text == nullptr) GTEST_SKIP() << "helper process of CrashRecovery.*";
  FILE* report = fdopen(std::atoi(fd_text), "w");
  ASSERT_NE(report, nullptr);
  auto dbm = testing::open_manager(dir, kv::Backend::kLevelDB);
  auto chain = testing::open_chain(*dbm, crash_options());
  const auto senders = crash_senders();
  std::vector<uint64_t> nonces;
  {
    auto st = chain->state_reader_at(chain->head().number);
    ASSERT_TRUE(st) << st.status().message();
    for (const auto& k : senders) nonces.push_back(*st->nonce(k.address()));
  }
  testing::VectorSource source;
  ProducerOptions po;
  po.now_ms = testing::stepping_clock(0x60000000 + chain->head().number);
  auto producer = BlockProducer::create(*chain, testing::key_from_seed("validator"), &source, po);
  ASSERT_TRUE(producer);
  const Address to = testing::key_from_seed("crash-recipient").address();
  for (;;) {
    for (size_t i = 0; i < kTxnsPerBlock; ++i) source.add(testing::make_transfer(senders[i], nonces[i]++, to, 1));
    auto b = (*producer)->produce_now();
    ASSERT_TRUE(b) << b.status().message();
    std::fprintf(report, "%llu %s\n", static_cast<unsigned long long>(b->block.header.number), b->hash.hex().c_str());
    std::fflush(report);
  }
}

// Runs one child until it has reported `kill_after` blocks (plus a random
// delay), kills it, and returns every block it reported.
std::map<uint64_t, std::string> run_child_and_kill(const std::filesystem::path& dir, size_t kill_after,
                                                   unsigned delay_us) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    setenv(kDirEnv, dir.c_str(), 1);
    setenv(kFdEnv, std::to_string(fds[1]).c_str(), 1);
    execl("/proc/self/exe", "chain_tests", "--gtest_filter=CrashChild.ProduceUntilKilled", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  FILE* in = fdopen(fds[0], "r");
  std::map<uint64_t, std::string> reported;
  char line[256];
  while (reported.size() < kill_after && std::fgets(line, sizeof(line), in) != nullptr) {
    unsigned long long num = 0;
    char hash[80];
    if (std::sscanf(line, "%llu %79s", &num, hash) == 2) reported[num] = hash;
  }
  usleep(delay_us);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  // Lines written before the kill are reports too.
  while (std::fgets(line, sizeof(line), in) != nullptr) {
    unsigned long long num = 0;
    char hash[80];
    if (std::sscanf(line, "%llu %79s", &num, hash) == 2) reported[num] = hash;
  }
  std::fclose(in);
  EXPECT_TRUE(WIFSIGNALED(status)) << "the child exited on its own (status " << status << ")";
  return reported;
}

TEST(CrashRecovery, KillNineLosesNoInsertedBlock) {
  testing::ScratchDir dir;
  testing::init_datadir(dir.path(), kv::Backend::kLevelDB, crash_genesis());  // closed again at once
  std::mt19937 rng(20190);
  std::map<uint64_t, std::string> all;
  uint64_t total_recovered = 0;
  for (int trial = 0; trial < 4; ++trial) {
    const size_t kill_after = 3 + rng() % 20;
    const unsigned delay_us = rng() % 20000;
    auto reported = run_child_and_kill(dir.path(), kill_after, delay_us);
    ASSERT_GE(reported.size(), kill_after) << "trial " << trial;
    for (auto& [n, h] : reported) all[n] = h;

    auto dbm = testing::open_manager(dir.path(), kv::Backend::kLevelDB);
    auto chain = testing::open_chain(*dbm, crash_options());
    const ChainHead head = chain->head();
    ASSERT_GE(head.number, all.rbegin()->first) << "trial " << trial;
    for (const auto& [n, h] : all) {
      auto canon = chain->canonical_hash(n);
      ASSERT_TRUE(canon) << "block " << n << ": " << canon.status().message();
      EXPECT_EQ(canon->hex(), h) << "block " << n;
    }
    // Every block since the last state on disk was re-executed into memory.
    const uint64_t base = head.number - chain->recovered_blocks();
    total_recovered += chain->recovered_blocks();
    EXPECT_LT(head.number - base, 8u + 1) << "state on disk is at most one interval behind";
    for (uint64_t n = base; n <= head.number; ++n) {
      auto st = chain->state_reader_at(n);
      ASSERT_TRUE(st) << "trial " << trial << " block " << n << ": " << st.status().message();
      uint64_t nonces = 0;
      for (const auto& k : crash_senders()) nonces += *st->nonce(k.address());
      EXPECT_EQ(nonces, kTxnsPerBlock * n) << "block " << n;
    }
    // The chain closes cleanly here; the next child starts from a flushed head.
  }
  // The kills must have hit between state commits at least once, or nothing was tested.
  EXPECT_GT(total_recovered, 0u);
}

}  // namespace
}  // namespace klay::chain
