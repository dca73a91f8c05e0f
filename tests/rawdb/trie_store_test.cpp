// The state-trie node/code store: commit tries through the writers into a
// real (sharded) database, reopen, and read them back through the reader.
#include <gtest/gtest.h>

#include "engine/core/keccak.h"
#include "engine/rawdb/accessors_state.h"
#include "engine/rawdb/trie_store.h"
#include "engine/trie/secure_trie.h"
#include "engine/trie/trie.h"
#include "tests/rawdb/rawdb_test_support.h"

namespace klay::rawdb {
namespace {

std::vector<std::pair<Bytes, Bytes>> sample_pairs(size_t n) {
  std::vector<std::pair<Bytes, Bytes>> out;
  for (size_t i = 0; i < n; ++i) {
    const std::string k = "key-" + std::to_string(i * 7919);
    out.emplace_back(to_bytes(k), Bytes(20 + i % 50, static_cast<uint8_t>(i)));
  }
  return out;
}

class TrieStoreTest : public ::testing::TestWithParam<kv::Backend> {
 protected:
  std::unique_ptr<chaindata::DBManager> open() {
    return testing::open_manager(dir_.path(), testing::small_config(GetParam()));
  }
  testing::ScratchDir dir_;
};

TEST_P(TrieStoreTest, CommittedTrieReadsBackAfterReopen) {
  const auto pairs = sample_pairs(3000);
  Hash root;
  size_t written = 0;
  {
    auto dbm = open();
    trie::SecureTrie t;
    for (const auto& [k, v] : pairs) ASSERT_TRUE(t.put(k, v));
    StateStoreBatch out(dbm->state_trie(), /*flush_bytes=*/16 * 1024);
    auto c = t.commit(out);
    ASSERT_TRUE(c) << c.status().message();
    ASSERT_TRUE(out.flush());
    root = c->root;
    written = out.nodes_written();
    EXPECT_EQ(written, c->nodes_written);
    EXPECT_GT(written, 100u);
    ASSERT_TRUE(out.put(keccak256(as_view("code")), as_view("code")));
    ASSERT_TRUE(out.flush());
    ASSERT_TRUE(dbm->close());
  }
  auto dbm = open();
  StateStoreReader reader(dbm->state_trie());
  auto t = trie::SecureTrie::open(&reader, root.view());
  ASSERT_TRUE(t) << t.status().message();
  for (const auto& [k, v] : pairs) {
    auto got = t->get(k);
    ASSERT_TRUE(got) << got.status().message();
    ASSERT_TRUE(got->has_value());
    EXPECT_EQ(**got, v);
  }
  EXPECT_EQ(t->root_hash(), root);
  Bytes code;
  ASSERT_TRUE(static_cast<const state::CodeReader&>(reader).get(keccak256(as_view("code")), &code));
  EXPECT_EQ(code, to_bytes("code"));
  EXPECT_EQ(*read_code(*dbm, keccak256(as_view("code"))), to_bytes("code"));
}

TEST_P(TrieStoreTest, ChainStateWriterStagesIntoTheChainBatch) {
  auto dbm = open();
  trie::Trie t;
  for (const auto& [k, v] : sample_pairs(50)) ASSERT_TRUE(t.put(k, v));
  ChainBatch batch(*dbm);
  ChainStateWriter out(batch);
  auto c = t.commit(out);
  ASSERT_TRUE(c);
  StateStoreReader reader(dbm->state_trie());
  Bytes node;
  EXPECT_TRUE(static_cast<const trie::NodeReader&>(reader).get(c->root_key.view(), &node).is_not_found());
  ASSERT_TRUE(batch.commit());
  ASSERT_TRUE(static_cast<const trie::NodeReader&>(reader).get(c->root_key.view(), &node));
  auto reopened = trie::Trie::open(&reader, c->root_key.view());
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->root_hash(), c->root);
}

TEST_P(TrieStoreTest, ExtHashKeysAreStoredAsIs) {
  auto dbm = open();
  trie::TrieOptions opts;
  opts.ext_hash = true;
  opts.root_zero_extension = false;
  trie::Trie t(nullptr, opts);
  for (const auto& [k, v] : sample_pairs(200)) ASSERT_TRUE(t.put(k, v));
  StateStoreBatch out(dbm->state_trie());
  auto c = t.commit(out);
  ASSERT_TRUE(c);
  ASSERT_TRUE(out.flush());
  EXPECT_EQ(c->root_key.view().size(), 39u);
  StateStoreReader reader(dbm->state_trie());
  auto reopened = trie::Trie::open(&reader, c->root_key.view());
  ASSERT_TRUE(reopened);
  for (const auto& [k, v] : sample_pairs(200)) EXPECT_EQ(**reopened->get(k), v);
}

TEST_P(TrieStoreTest, BadKeysAndMissingNodes) {
  auto dbm = open();
  StateStoreReader reader(dbm->state_trie());
  StateStoreBatch out(dbm->state_trie());
  Bytes node;
  const trie::NodeReader& nr = reader;
  EXPECT_EQ(nr.get(Bytes(31, 1), &node).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(static_cast<trie::NodeWriter&>(out).put(Bytes(33, 1), Bytes{1}).code(), Status::Code::kInvalidArgument);
  const Status missing = nr.get(Bytes(32, 7), &node);
  EXPECT_TRUE(trie::is_missing_node(missing)) << missing.message();
}

INSTANTIATE_TEST_SUITE_P(Backends, TrieStoreTest,
                         ::testing::Values(kv::Backend::kMemory, kv::Backend::kLevelDB),
                         testing::backend_param_name);

}  // namespace
}  // namespace klay::rawdb
