// kchaindata verify: a clean chain passes; each kind of damage is found and named.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/rawdb/accessors_chain.h"
#include "engine/rawdb/schema.h"
#include "engine/rawdb/trie_store.h"
#include "engine/trie/node_iterator.h"
#include "tests/tools/chain_fixture.h"
#include "tests/tools/cli_capture.h"
#include "tools/kchaindata/commands.h"

namespace klay::kchaindata {
namespace {

using klay::testing::run_in_process;
using testing::build_chain;
using testing::ScratchDir;
using testing::test_config;

// Stored keys of the account trie at the head state, in walk order.
std::vector<Bytes> account_trie_keys(chaindata::DBManager& dbm) {
  auto head = rawdb::read_head(dbm, rawdb::Head::kBlock);
  auto n = rawdb::read_header_number(dbm, *head);
  auto h = rawdb::read_header(dbm, *n, *head);
  rawdb::StateStoreReader reader(dbm.state_trie());
  std::vector<Bytes> keys;
  Status s = trie::walk_nodes(reader, h->root.view(), [&](const trie::NodeVisit& v) {
    if (!v.is_embedded()) keys.push_back(to_bytes(v.key));
    return Status::ok();
  });
  EXPECT_TRUE(s) << s.message();
  return keys;
}

class VerifyCommand : public ::testing::Test {
 protected:
  void SetUp() override { chain_ = build_chain(dir_.path(), test_config(), 4, 100); }
  std::unique_ptr<chaindata::DBManager> open() {
    auto dbm = chaindata::DBManager::open(dir_.path(), test_config());
    EXPECT_TRUE(dbm) << dbm.status().message();
    return std::move(*dbm);
  }
  klay::testing::CliResult verify(const std::string& level) {
    return run_in_process(run, {"verify", "--datadir", dir_.path().string(), "--level", level});
  }
  ScratchDir dir_;
  testing::ChainSummary chain_;
};

TEST_F(VerifyCommand, CleanChainExitsZero) {
  const auto r = run_in_process(run, {"verify", "--datadir", dir_.path().string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["clean"].get<bool>());
  EXPECT_GT(j["levels"]["hashes"]["checked"].get<uint64_t>(), 500u);
  EXPECT_EQ(j["levels"]["chain"]["checked"].get<uint64_t>(), chain_.blocks);
  EXPECT_GT(j["levels"]["trie"]["checked"].get<uint64_t>(), 100u);
  // An older block's state is still complete (archive-style writes).
  EXPECT_EQ(run_in_process(run, {"verify", "--datadir", dir_.path().string(), "--level", "trie", "--block", "2"}).code, 0);
}

TEST_F(VerifyCommand, MissingTrieNodeIsNamedWithItsPath) {
  Bytes victim;
  {
    auto dbm = open();
    const auto keys = account_trie_keys(*dbm);
    ASSERT_GT(keys.size(), 3u);
    victim = keys[2];  // below the root
    ASSERT_TRUE(dbm->state_trie().del(victim));
  }
  const auto r = verify("trie");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("missing trie node 0x" + to_hex(victim)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("account trie path 0x"), std::string::npos) << r.out;
  // Hashes of what remains are fine.
  EXPECT_EQ(verify("hashes").code, 0);
}

TEST_F(VerifyCommand, CorruptTrieNodeValueIsNamed) {
  Bytes victim;
  {
    auto dbm = open();
    const auto keys = account_trie_keys(*dbm);
    victim = keys.back();
    Bytes value;
    ASSERT_TRUE(dbm->state_trie().get(victim, &value));
    value.back() ^= 0x01;
    ASSERT_TRUE(dbm->state_trie().put(victim, value));
  }
  const auto r = verify("hashes");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("0x" + to_hex(victim)), std::string::npos) << r.out;
  const auto t = verify("trie");
  EXPECT_EQ(t.code, 1);
  EXPECT_NE(t.out.find("0x" + to_hex(victim)), std::string::npos) << t.out;
}

TEST_F(VerifyCommand, WrongTxRootAndBrokenLookupAreFound) {
  {
    auto dbm = open();
    auto hash = rawdb::read_canonical_hash(*dbm, 2);
    auto body = rawdb::read_body(*dbm, 2, *hash);
    ASSERT_TRUE(body);
    ASSERT_EQ(body->transactions.size(), 3u);
    Body shorter = *body;
    shorter.transactions.pop_back();
    rawdb::DirectWriter w(*dbm);
    ASSERT_TRUE(rawdb::write_body(w, 2, *hash, shorter));
  }
  const auto r = verify("chain");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("block 2: the body's transactions give root"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[chain/tx_root]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[chain/receipt_count]"), std::string::npos) << r.out;
}

TEST_F(VerifyCommand, CorruptCodeAndUsageErrors) {
  {
    auto dbm = open();
    const Hash ch = keccak256(Bytes(40 + 1, static_cast<uint8_t>(0x61)));
    ASSERT_TRUE(dbm->state_trie().put(rawdb::code_key(ch), as_view("not the code")));
  }
  const auto r = verify("hashes");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("code 0x63" + to_hex(keccak256(Bytes(41, 0x61)).view())), std::string::npos) << r.out;
  EXPECT_EQ(verify("everything").code, 2);
  EXPECT_EQ(run_in_process(run, {"verify", "--datadir", dir_.path().string(), "--block", "99", "--level", "trie"}).code, 3);
}

}  // namespace
}  // namespace klay::kchaindata
