#include <gtest/gtest.h>

#include "engine/kv/options.h"

namespace klay::kv {
namespace {

TEST(ParseBackend, AcceptsEveryNameInAnyCase) {
  EXPECT_EQ(*parse_backend("leveldb"), Backend::kLevelDB);
  EXPECT_EQ(*parse_backend("LevelDB"), Backend::kLevelDB);
  EXPECT_EQ(*parse_backend("ROCKSDB"), Backend::kRocksDB);
  EXPECT_EQ(*parse_backend("RocksDb"), Backend::kRocksDB);
  EXPECT_EQ(*parse_backend("lmdb"), Backend::kLMDB);
  EXPECT_EQ(*parse_backend("LMDB"), Backend::kLMDB);
  EXPECT_EQ(*parse_backend("Memory"), Backend::kMemory);
  EXPECT_EQ(*parse_backend("MEMORY"), Backend::kMemory);
}

TEST(ParseBackend, RoundTripsBackendName) {
  for (Backend bk : {Backend::kLevelDB, Backend::kRocksDB, Backend::kLMDB, Backend::kMemory}) {
    auto parsed = parse_backend(backend_name(bk));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, bk);
  }
}

TEST(ParseBackend, UnknownNameListsTheValidOnes) {
  for (std::string_view bad : {"", "badger", "level db", "leveldb ", "rocks"}) {
    auto r = parse_backend(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    const std::string msg = r.status().message();
    EXPECT_NE(msg.find("\"" + std::string(bad) + "\""), std::string::npos) << msg;
    for (const char* name : {"leveldb", "rocksdb", "lmdb", "memory"})
      EXPECT_NE(msg.find(name), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace klay::kv
