// `kchaindata migrate` in-process: a JSON run, and the refusals a user can hit.
#include "migration/cli/migrate_command.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "tests/migration/migration_test_support.h"

namespace klay::migration {
namespace {

using testing::ChainShape;
using testing::ScratchDir;
using testing::TestChain;

struct Captured {
  int code = 0;
  std::string out;
  std::string err;
};

std::string slurp(FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
  std::fclose(f);
  return s;
}

Captured run(const std::vector<std::string>& args) {
  cli::Context ctx;
  ctx.out = std::tmpfile();
  ctx.err = std::tmpfile();
  Captured c;
  std::vector<std::string> argv = {"migrate"};
  argv.insert(argv.end(), args.begin(), args.end());
  c.code = cli::run_commands("kchaindata", "test", {cli::migrate_command()}, argv, ctx);
  c.out = slurp(ctx.out);
  c.err = slurp(ctx.err);
  return c;
}

class MigrateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dbm = testing::open_manager(dir_.path(), testing::small_config(kv::Backend::kLevelDB, 4));
    TestChain chain(*dbm, ChainShape{});
    chain.add_blocks(6);
    head_ = chain.head();
    ASSERT_TRUE(dbm->close());
  }
  std::vector<std::string> base() const {
    return {"--datadir", dir_.path().string(), "--db.type", "leveldb", "--db.num-statetrie-shards", "4"};
  }
  ScratchDir dir_;
  uint64_t head_ = 0;
};

TEST_F(MigrateCommandTest, JsonRunMigratesTheHead) {
  auto args = base();
  args.push_back("--json");
  args.push_back("--threads");
  args.push_back("2");
  const Captured c = run(args);
  ASSERT_EQ(c.code, cli::kExitOk) << c.err;
  const auto j = nlohmann::json::parse(c.out);
  EXPECT_EQ(j["block"].get<uint64_t>(), head_);
  EXPECT_EQ(j["old_dir"], "statetrie");
  EXPECT_EQ(j["new_dir"], chaindata::migration_dir_name(head_));
  EXPECT_GT(j["nodes_read"].get<uint64_t>(), 0u);
  EXPECT_TRUE(c.err.empty()) << "--json keeps stderr quiet: " << c.err;
}

TEST_F(MigrateCommandTest, RefusesALockedDatadir) {
  auto holder = testing::open_manager(dir_.path(), testing::small_config(kv::Backend::kLevelDB, 4));
  const Captured c = run(base());
  EXPECT_EQ(c.code, cli::kExitFailure);
  EXPECT_NE(c.err.find("stopped node"), std::string::npos) << c.err;
}

TEST_F(MigrateCommandTest, RefusesSingleDatabaseMode) {
  auto args = base();
  args.push_back("--db.single");
  const Captured c = run(args);
  EXPECT_EQ(c.code, cli::kExitFailure);
  EXPECT_NE(c.err.find("single-DB mode"), std::string::npos) << c.err;
}

TEST_F(MigrateCommandTest, RefusesABlockWithoutState) {
  auto args = base();
  args.push_back("--block");
  args.push_back("99");
  const Captured c = run(args);
  EXPECT_EQ(c.code, cli::kExitFailure);
  EXPECT_NE(c.err.find("block 99 is unknown"), std::string::npos) << c.err;
}

TEST_F(MigrateCommandTest, MissingDatadirIsAUsageError) {
  const Captured c = run({"--json"});
  EXPECT_EQ(c.code, cli::kExitUsage);
}

}  // namespace
}  // namespace klay::migration
