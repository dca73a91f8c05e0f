// A full disk must come back as NoSpace, not a crash. Needs a small filesystem,
// so it runs only when KLAY_KV_SMALL_FS names an empty directory on one (a few
// MiB), e.g. as root: mount -t tmpfs -o size=4m tmpfs /mnt/small
#include <gtest/gtest.h>

#include <cstdlib>

#include "engine/kv/open.h"
#include "tests/kv/kv_test_support.h"

namespace klay::kv {
namespace {

class DiskFull : public ::testing::TestWithParam<Backend> {};

TEST_P(DiskFull, WritesFailWithNoSpace) {
  const char* small = std::getenv("KLAY_KV_SMALL_FS");
  if (!small || !*small) GTEST_SKIP() << "set KLAY_KV_SMALL_FS to a directory on a small filesystem";
  const auto dir = std::filesystem::path(small) / ("full-" + std::string(backend_name(GetParam())));
  std::filesystem::remove_all(dir);
  Options o;
  o.lmdb_initial_map_bytes = 1 << 20;
  Status st;
  {
    auto db = open_database(GetParam(), dir, o);
    if (!db) {
      st = db.status();
    } else {
      const Bytes value(64 * 1024, 0x42);
      for (int i = 0; i < 100000 && st.is_ok(); ++i) {
        auto batch = (*db)->new_batch();
        batch->put(test::b("k" + std::to_string(i)), value);
        st = (*db)->write(*batch);
      }
      (void)(*db)->close();
    }
  }
  std::filesystem::remove_all(dir);
  EXPECT_EQ(st.code(), Status::Code::kNoSpace) << st.to_string();
}

INSTANTIATE_TEST_SUITE_P(Disk, DiskFull, ::testing::Values(Backend::kLevelDB, Backend::kRocksDB, Backend::kLMDB),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace klay::kv
