#include <gtest/gtest.h>

#include <fstream>

#include "engine/kv/backend_support.h"
#include "tests/kv/kv_test_support.h"

namespace klay::kv {
namespace {

using test::b;

TEST(PrefixSuccessor, IncrementsTheLastByteBelowFF) {
  EXPECT_EQ(*prefix_successor(b("ab")), b("ac"));
  EXPECT_EQ(*prefix_successor(b("a\xff\xff")), b("b"));
  EXPECT_EQ(*prefix_successor(b(std::string("\x00", 1))), b("\x01"));
  EXPECT_FALSE(prefix_successor(b("")).has_value());
  EXPECT_FALSE(prefix_successor(b("\xff\xff")).has_value());
}

TEST(NativeErrorText, RecognisesDiskFullAndLocks) {
  EXPECT_TRUE(mentions_no_space("IO error: /d/000012.log: No space left on device"));
  EXPECT_TRUE(mentions_no_space("IO error: No space left on device: While appending to file"));
  EXPECT_FALSE(mentions_no_space("IO error: /d/000012.log: Permission denied"));
  EXPECT_TRUE(mentions_lock("IO error: lock /d/LOCK: already held by process"));
  EXPECT_TRUE(mentions_lock("IO error: While lock file: /d/LOCK: Resource temporarily unavailable"));
  EXPECT_TRUE(mentions_lock("IO error: lock hold by current process, acquire time 1 acquiring thread 2"));
  EXPECT_FALSE(mentions_lock("IO error: /d/CURRENT: No such file or directory"));
}

TEST(DirectoryBytes, SumsFilesRecursively) {
  test::TempDir tmp;
  EXPECT_EQ(directory_bytes(tmp.db()), 0u);
  std::filesystem::create_directories(tmp.db() / "sub");
  std::ofstream(tmp.db() / "a") << std::string(100, 'x');
  std::ofstream(tmp.db() / "sub" / "b") << std::string(23, 'y');
  EXPECT_EQ(directory_bytes(tmp.db()), 123u);
}

}  // namespace
}  // namespace klay::kv
