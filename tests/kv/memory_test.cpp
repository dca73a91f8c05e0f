// Behaviour specific to the memory backend (the rest is in conformance_test.cpp).
#include <gtest/gtest.h>

#include "engine/kv/backends.h"
#include "tests/kv/kv_test_support.h"

namespace klay::kv {
namespace {

using test::b;

TEST(MemoryBackend, SameNameSeesTheDataAfterCloseOtherNamesDoNot) {
  {
    auto db = open_memory("memory-test-shared", {});
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->put(b("k"), b("v")));
  }  // the destructor closes
  auto again = open_memory("memory-test-shared", {});
  ASSERT_TRUE(again) << again.status().to_string();
  Bytes v;
  ASSERT_TRUE((*again)->get(b("k"), &v));
  EXPECT_EQ(v, b("v"));
  auto other = open_memory("memory-test-other", {});
  ASSERT_TRUE(other);
  EXPECT_TRUE((*other)->get(b("k"), &v).is_not_found());
}

TEST(MemoryBackend, EmptyNameIsAPrivateStore) {
  auto one = open_memory("", {});
  auto two = open_memory("", {});
  ASSERT_TRUE(one);
  ASSERT_TRUE(two) << "private stores never conflict";
  ASSERT_TRUE((*one)->put(b("k"), b("v")));
  Bytes v;
  EXPECT_TRUE((*two)->get(b("k"), &v).is_not_found());
}

TEST(MemoryBackend, MissingNameWithoutCreateIsNotFound) {
  Options o;
  o.create_if_missing = false;
  auto db = open_memory("memory-test-never-created", o);
  ASSERT_FALSE(db);
  EXPECT_TRUE(db.status().is_not_found());
}

TEST(MemoryBackend, ManyIteratorsKeepTheirOwnVersions) {
  auto db = open_memory("", {});
  ASSERT_TRUE(db);
  std::vector<std::unique_ptr<Iterator>> its;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE((*db)->put(b("k" + std::to_string(i)), b("v")));
    its.push_back((*db)->new_iterator());
  }
  for (int i = 0; i < 5; ++i) {
    int n = 0;
    for (auto& it = its[i]; it->valid(); it->next()) ++n;
    EXPECT_EQ(n, i + 1);
  }
  its.clear();
  ASSERT_TRUE((*db)->del(b("k0")));  // with no snapshot alive, in place
  auto st = (*db)->stats();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->estimated_keys, 4u);
  EXPECT_NE(st->details.find("4 keys, 12 bytes"), std::string::npos) << st->details;
}

}  // namespace
}  // namespace klay::kv
