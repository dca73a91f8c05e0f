// kchaindata convert: round trips across backends and layouts keep every key
// and value; the destination opens without flags; refusals are clear.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/tools/chain_fixture.h"
#include "tests/tools/cli_capture.h"
#include "tools/kchaindata/commands.h"

namespace klay::kchaindata {
namespace {

namespace fs = std::filesystem;
using klay::testing::run_in_process;
using testing::build_chain;
using testing::dump_datadir;
using testing::ScratchDir;
using testing::test_config;

klay::testing::CliResult convert(const fs::path& src, const fs::path& dst, std::vector<std::string> extra) {
  std::vector<std::string> argv = {"convert", "--datadir", src.string(), "--dst.datadir", dst.string(), "--json"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_in_process(run, argv);
}

TEST(ConvertCommand, RoundTripAcrossBackendsAndShardLayouts) {
  ScratchDir dir;
  const fs::path a = dir.path() / "leveldb4";
  build_chain(a, test_config(kv::Backend::kLevelDB, 4), 4, 150);
  const auto original = dump_datadir(a, false);
  const auto original_merged = dump_datadir(a, true);
  ASSERT_GT(original.size(), 500u);

  const fs::path b = dir.path() / "rocksdb1";
  auto r = convert(a, b, {"--dst.db.type", "rocksdb", "--dst.db.num-statetrie-shards", "1",
                          "--dst.db.rocksdb.compression-type", "none", "--threads", "3"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["keys"].get<size_t>(), original.size());
  EXPECT_TRUE(j["verified"].get<bool>());
  EXPECT_FALSE(fs::exists(dir.path() / "rocksdb1.converting"));
  EXPECT_EQ(dump_datadir(b, false), original);

  const fs::path c = dir.path() / "lmdb-single";
  r = convert(b, c, {"--dst.db.type", "lmdb", "--dst.db.single"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(dump_datadir(c, true), original_merged);

  const fs::path d = dir.path() / "leveldb4-again";
  r = convert(c, d, {"--dst.db.type", "leveldb", "--dst.db.num-statetrie-shards", "4"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(dump_datadir(d, false), original);  // every key back in its entry type

  // The converted datadirs open without flags and verify clean.
  for (const fs::path& p : {b, c, d}) {
    const auto v = run_in_process(run, {"verify", "--datadir", p.string()});
    EXPECT_EQ(v.code, 0) << p << ": " << v.out << v.err;
  }
  const auto settings = rawdb::load_datadir_settings(c);
  ASSERT_TRUE(settings && *settings);
  EXPECT_EQ((*settings)->backend, kv::Backend::kLMDB);
  EXPECT_TRUE((*settings)->single_db);
}

TEST(ConvertCommand, RefusesBadDestinationsWithOneSentence) {
  ScratchDir dir;
  const fs::path src = dir.path() / "src";
  build_chain(src, test_config(), 1, 10);
  const fs::path busy = dir.path() / "busy";
  fs::create_directories(busy);
  std::ofstream(busy / "file") << "x";
  auto r = convert(src, busy, {"--dst.db.type", "rocksdb"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("already exists and is not empty"), std::string::npos) << r.err;

  r = convert(src, dir.path() / "x", {"--dst.db.type", "badger"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("--dst.db.type"), std::string::npos) << r.err;

  r = convert(src, dir.path() / "x", {"--dst.db.type", "rocksdb", "--dst.db.num-statetrie-shards", "3"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("shards"), std::string::npos) << r.err;

  r = convert(src, dir.path() / "x", {"--dst.db.type", "rocksdb", "--dst.db.rocksdb.compression-type", "lzma"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("--dst.db.rocksdb.compression-type must be"), std::string::npos) << r.err;

  r = convert(src, dir.path() / "small", {"--dst.db.type", "rocksdb", "--test.free-bytes", "1000"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("not enough free space"), std::string::npos) << r.err;

  r = convert(src, dir.path() / "no" / "parent", {"--dst.db.type", "rocksdb"});
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;

  EXPECT_EQ(run_in_process(run, {"convert", "--datadir", src.string()}).code, 2);
  // The source was never touched: it still verifies and converts.
  EXPECT_EQ(run_in_process(run, {"verify", "--datadir", src.string()}).code, 0);
  r = convert(src, dir.path() / "empty-ok", {"--dst.db.type", "lmdb"});
  EXPECT_EQ(r.code, 0) << r.err;
}

}  // namespace
}  // namespace klay::kchaindata
