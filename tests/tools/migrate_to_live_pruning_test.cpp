// kchaindata migrate --to-live-pruning in-process, on the fixture chain: the
// conversion flips the settings file, the state verifies, and the refusals
// (second conversion, usage, a program without the runner) are one sentence.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "migration/cli/migrate_command.h"
#include "tests/tools/chain_fixture.h"
#include "tests/tools/cli_capture.h"
#include "tools/kchaindata/commands.h"

namespace klay::kchaindata {
namespace {

using klay::testing::run_in_process;
using testing::build_chain;
using testing::ScratchDir;
using testing::test_config;

rawdb::DatadirSettings settings_of(const std::filesystem::path& d) {
  auto s = rawdb::load_datadir_settings(d);
  EXPECT_TRUE(s && *s);
  return **s;
}

TEST(MigrateToLivePruning, ConvertsVerifiesAndRefusesASecondRun) {
  ScratchDir dir;
  const auto chain = build_chain(dir.path(), test_config(), 4, 100);
  const std::string d = dir.path().string();
  EXPECT_FALSE(settings_of(dir.path()).live_pruning);

  const auto usage = run_in_process(run, {"migrate", "--datadir", d, "--state.live-pruning-retention", "5"});
  EXPECT_EQ(usage.code, 2) << usage.err;

  const auto r = run_in_process(run, {"migrate", "--datadir", d, "--to-live-pruning", "--block", "4",
                                      "--state.live-pruning-retention", "3600", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["block"], 4);
  EXPECT_GT(j["nodes_written"].get<uint64_t>(), 400u);
  EXPECT_GE(j["nodes_verified"].get<uint64_t>(), j["nodes_written"].get<uint64_t>());
  EXPECT_EQ(j["new_dir"], "statetrie_livepruning_4");
  const auto s = settings_of(dir.path());
  EXPECT_TRUE(s.live_pruning);
  EXPECT_EQ(s.live_pruning_retention, 3600u);
  EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "klay" / "chaindata" / "statetrie_livepruning_4"));

  const auto v = run_in_process(run, {"verify", "--datadir", d, "--level", "all"});
  EXPECT_EQ(v.code, 0) << v.out << v.err;
  const auto again = run_in_process(run, {"migrate", "--datadir", d, "--to-live-pruning"});
  EXPECT_EQ(again.code, 3);
  EXPECT_NE(again.err.find("already has live pruning"), std::string::npos) << again.err;
  (void)chain;
}

TEST(MigrateToLivePruning, ProgramWithoutTheRunnerRefusesTheFlag) {
  ScratchDir dir;
  build_chain(dir.path(), test_config(), 1, 10);
  auto bare = [](const std::vector<std::string>& argv, cli::Context& ctx) {
    return cli::run_commands("kchaindata", "test", {cli::migrate_command()}, argv, ctx);
  };
  const auto r = run_in_process(bare, {"migrate", "--datadir", dir.path().string(), "--to-live-pruning"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("--to-live-pruning is not available"), std::string::npos) << r.err;
  EXPECT_FALSE(settings_of(dir.path()).live_pruning);
}

}  // namespace
}  // namespace klay::kchaindata
