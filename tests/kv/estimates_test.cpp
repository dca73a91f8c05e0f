// Key-count estimates past the exact range, where backends extrapolate.
#include <gtest/gtest.h>

#include "engine/kv/open.h"
#include "tests/kv/kv_test_support.h"

namespace klay::kv {
namespace {

class LargeEstimate : public ::testing::TestWithParam<Backend> {};

TEST_P(LargeEstimate, StaysWithinAFactorOfTwoAfterCompaction) {
  constexpr uint64_t kKeys = 60000;
  test::TempDir tmp;
  auto db = open_database(GetParam(), tmp.db());
  ASSERT_TRUE(db) << db.status().to_string();
  auto batch = (*db)->new_batch();
  for (uint64_t i = 0; i < kKeys; ++i) {
    uint8_t key[16];
    put_be64(key, i * 0x9e3779b97f4a7c15ull);
    put_be64(key + 8, i);
    batch->put({key, 16}, test::b(std::string(40, static_cast<char>('a' + i % 26))));
    if (batch->value_bytes() >= kIdealBatchSize) {
      ASSERT_TRUE((*db)->write(*batch));
      batch->clear();
    }
  }
  ASSERT_TRUE((*db)->write(*batch));
  ASSERT_TRUE((*db)->compact());
  auto st = (*db)->stats();
  ASSERT_TRUE(st) << st.status().to_string();
  EXPECT_GE(st->estimated_keys, kKeys / 2);
  EXPECT_LE(st->estimated_keys, kKeys * 2);
  EXPECT_FALSE(st->details.empty());
}

INSTANTIATE_TEST_SUITE_P(Disk, LargeEstimate, ::testing::Values(Backend::kLevelDB, Backend::kRocksDB, Backend::kLMDB),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace klay::kv
